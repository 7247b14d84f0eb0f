"""The out-of-hours log: the EDT's calls for every period of the demo year, acknowledged and dealt with at
the morning handover; some become contacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mashdesk.demo.bulk import weighted
from mashdesk.demo.catalogue import CONCERNS, TOWNS
from mashdesk.demo.families import DemoBuilder
from mashdesk.handover.workflow import period_of_call


@dataclass
class Spec:
    """A contact to make: when it came in, and the EDT entry it came from (if any)."""

    received_at: datetime
    edt_entry: dict[str, Any] | None = None


class EdtLog(DemoBuilder):
    def edt_log(self) -> list[Spec]:
        """The out-of-hours log for every period of the year; returns contacts made from it."""
        r = self.rng
        specs: list[Spec] = []
        periods = []
        day = self.today - timedelta(days=364)
        while day <= self.today + timedelta(days=7):
            if self.cal.is_working_day(day):
                start, end = self.cal.edt_period_ending(day)
                if start >= self.now:
                    break
                periods.append((start, end))
            day += timedelta(days=1)
        # About one contact in twenty-five starts as an out-of-hours call, at most 12 calls a period;
        # the latest period always has a few, so the morning handover has something to show.
        rate = min(12.0, self.n_contacts / 25 / max(1, len(periods)))
        max_conversions = self.n_contacts // 5
        edt_user = self.user_ids["demo.edt"]
        manager = self.user_ids["demo.manager"]
        for index, (start, end) in enumerate(periods):
            calls = int(rate) + (r.random() < rate - int(rate))
            if index == len(periods) - 1:
                calls = max(calls, 4)
            deadline = self.cal.edt_handover(end)
            span = (min(end, self.now) - start).total_seconds()
            for _ in range(calls):
                call_at = start + timedelta(seconds=r.uniform(0, span))
                period = period_of_call(self.cal, call_at)  # the handover workflow says which night it is
                level = weighted(r, [(2, 5), (3, 4), (4, 1)])
                urgent = level == 4 or r.random() < 0.1
                surname = r.choice(self.last)
                ages = [r.randint(0, 17) for _ in range(r.randint(1, 3))]
                kids = ", ".join(f"{r.choice(self.first_f + self.first_m)} {surname} ({age})" for age in ages)
                concerns = [c for c in CONCERNS[level] if any(c.fits(a) for a in ages)] or CONCERNS[level][2:3]
                town, outward = r.choice(TOWNS)
                entry = {
                    "call_at": call_at, "caller_name": r.choice(self.full_names),
                    "caller_agency": r.choice(["Metropolitan Police", "Princess Royal University Hospital",
                                               "Parent", "Neighbour", "Out-of-hours GP", "Foster carer"]),
                    "phone": f"020 7946 {r.randint(0, 9999):04d}", "children_text": kids,
                    "address_text": f"{r.randint(1, 120)} {r.choice(self.streets)}, {town} "
                                    f"{self._postcode(outward)}",
                    "reported": r.choice(concerns).text, "emergency_services": level >= 3 and r.random() < 0.5,
                    "action_taken": r.choice(["Advice given to caller; police to visit.",
                                              "Spoke to mother by phone; children safe with grandmother tonight.",
                                              "Police protection not needed; safety plan agreed.",
                                              "Visited with police; children asleep and well."]),
                    "outstanding": r.choice(["MASH to screen in the morning.", "Check with school on attendance.",
                                             "Agency checks needed.", "None: for information."]),
                    "urgency": "urgent" if urgent else "routine", "recorded_by_id": edt_user,
                    "completed_at": min(call_at + timedelta(minutes=r.randint(10, 90)), self.now),
                    "period_start": period[0], "period_end": period[1], "is_demo": True, **self.stamp,
                }
                entry_id = self.rows.add("edt_entries", entry)
                if deadline < self.now or (end <= self.now and r.random() < 0.4):
                    acked = min(end + timedelta(minutes=r.randint(5, 80)), self.now)
                    converts = r.random() < 0.35
                    ack = {"entry_id": entry_id, "acknowledged_at": acked, "acknowledged_by_id": manager,
                           "outcome": "pending", "contact_id": None, "no_action_reason": None,
                           "dealt_at": None, "dealt_by_id": None, "breached": False, **self.stamp}
                    if deadline < self.now:
                        ack["dealt_at"] = acked + timedelta(minutes=r.randint(1, 40))
                        ack["dealt_by_id"] = manager
                        if converts and len(specs) < max_conversions:
                            ack["outcome"] = "contact_created"
                            specs.append(Spec(call_at, edt_entry={"entry": entry, "ack": ack}))
                        else:
                            ack["outcome"] = "no_action"
                            ack["no_action_reason"] = r.choice(["Information only; no role for the day service.",
                                                                "Already open to the allocated social worker.",
                                                                "Resolved overnight; family in another borough."])
                    self.rows.add("handover_acknowledgements", ack)
        return specs

