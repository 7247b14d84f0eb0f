"""What the demo data is made of: its users, referral sources, places, and the words of its records.

Everything here is invented. Each concern says which ages of child it can be about, so a contact's
concern always fits the child it is about.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_USERS = {
    "demo.practitioner": ("practitioner", "Priya Sharma", "MASH"),
    "demo.manager": ("manager", "Daniel Okafor", "MASH"),
    "demo.police": ("police", "DC Laura Hughes", "MASH police"),
    "demo.health": ("health", "Grace Mensah", "MASH health"),
    "demo.education": ("education", "Tom Whitfield", "Education safeguarding"),
    "demo.edt": ("edt", "Sam Patel", "EDT"),
    "demo.earlyhelp": ("earlyhelp", "Rachel Green", "Early Help"),
    "demo.admin": ("admin", "Alex Morgan", "Performance and systems"),
    "demo.atlas": ("atlas", "Jordan Reid", "Atlas team"),
}
DEMO_PASSWORD = "demo"

#: (CIN source, weight, channel choices, agency code, organisation kind)
SOURCES: list[tuple[str, int, tuple[str, ...], str | None, str]] = [
    ("6", 30, ("police_notification",), "police", "police"),
    ("2A", 17, ("online_form", "email", "phone"), "education", "school"),
    ("2B", 2, ("email", "online_form"), "education", "education"),
    ("3A", 3, ("email", "phone"), "health", "gp"),
    ("3B", 4, ("phone", "email"), "health", "hv"),
    ("3C", 1, ("phone", "email"), "health", "school_nurse"),
    ("3D", 1, ("email",), "health", "health"),
    ("3E", 4, ("phone", "email"), "health", "hospital"),
    ("3F", 2, ("email",), "health", "health"),
    ("1A", 7, ("phone", "online_form"), None, "family"),
    ("1B", 2, ("phone",), None, "public"),
    ("1C", 1, ("phone",), None, "self"),
    ("1D", 1, ("phone",), None, "public"),
    ("4", 3, ("email",), "housing", "housing"),
    ("5A", 3, ("email", "phone"), "mash", "la"),
    ("5B", 2, ("email",), "youth_offending", "la"),
    ("5C", 2, ("email", "other_la"), "other_la", "other_la"),
    ("5D", 3, ("email",), "early_help", "early_help"),
    ("7", 3, ("email",), "probation", "probation"),
    ("8", 4, ("email", "phone"), "voluntary", "voluntary"),
    ("9", 4, ("phone",), None, "anonymous"),
    ("10", 1, ("email",), None, "unknown"),
]

OUTCOME_WEIGHTS = [("nfa_advice", 44), ("early_help", 27), ("assessment", 19), ("strategy_discussion", 7),
                   ("pass_to_allocated_worker", 2), ("transfer_other_la", 1)]
OUTCOME_LEVEL = {"nfa_advice": 1, "early_help": 2, "assessment": 3, "strategy_discussion": 4,
                 "pass_to_allocated_worker": 3, "transfer_other_la": 2}
NEED_BY_LEVEL = {1: ["N9", "N4", "N0"], 2: ["N4", "N5", "N7", "N3"], 3: ["N1", "N5", "N4", "N2", "N3"],
                 4: ["N1"]}
TOWNS = [("Bromley", "BR1"), ("Bromley", "BR2"), ("Beckenham", "BR3"), ("West Wickham", "BR4"),
         ("Orpington", "BR5"), ("Orpington", "BR6"), ("Chislehurst", "BR7"), ("Swanley", "BR8"),
         ("Penge", "SE20"), ("Anerley", "SE20"), ("Mottingham", "SE9"), ("Biggin Hill", "TN16")]
SCHOOLS = ["Hayes Primary School", "Pickhurst Academy", "Darrick Wood School", "Langley Park School",
           "Bishop Justus CE School", "Oak Lodge Primary", "Perry Hall Primary", "Crofton Junior School",
           "Harris Academy Orpington", "Ravens Wood School", "Chislehurst School for Girls",
           "Stewart Fleming Primary", "Churchfields Primary", "Red Hill Primary", "Warren Road Primary"]
GPS = ["Elm House Surgery", "Station Road Medical Centre", "Cator Medical Centre", "Park Group Practice",
       "Mottingham Surgery", "Knoll Medical Practice", "Links Medical Practice", "Highland Road Surgery"]
@dataclass(frozen=True)
class Concern:
    """A reason for a contact, and the children it can be about: ages in whole years (inclusive);
    ``unborn``: it can be about a child not yet born."""

    text: str
    youngest: int
    oldest: int
    unborn: bool = False

    def fits(self, age: int | None) -> bool:
        return self.unborn if age is None else self.youngest <= age <= self.oldest


#: Concerns by the threshold level they describe (1 universal … 4 acute).
CONCERNS: dict[int, list[Concern]] = {
    1: [Concern("Parent asked for advice about managing a teenager's behaviour at home.", 13, 17),
        Concern("Child was upset after a family argument; no injuries, parents engaging with support.", 3, 17),
        Concern("Worry about noise from the family's flat; no specific concern about the children.", 0, 17, True),
        Concern("Mother asked for advice about her baby's sleep and feeding; no concerns about care.", 0, 1)],
    2: [Concern("Attendance has fallen to 84% this term and the child often arrives hungry.", 5, 16),
        Concern("Missed developmental checks; mother seems isolated since moving to the area.", 0, 4),
        Concern("Family struggling with debt and overcrowding; mother has asked for help.", 0, 17, True),
        Concern("Young carer for a parent with a long-term illness; tired in class, no other concerns.", 8, 17),
        Concern("Mother is 28 weeks pregnant, has missed antenatal appointments and has nowhere settled "
                "to live.", 0, -1, True)],
    3: [Concern("Police attended a domestic incident overnight; children present, assessed as medium risk.",
                0, 17),
        Concern("Mother's mental health has deteriorated; the children are unkempt and withdrawn.", 1, 17),
        Concern("Young person missing from home twice this month, returned by police, will not say where.",
                11, 17),
        Concern("Father released from prison to the family home; history of violence to a former partner.",
                0, 17, True)],
    4: [Concern("Bruise to the cheek of a non-mobile baby; the parents' account is inconsistent.", 0, 0),
        Concern("Child disclosed that an adult at home touched them; frightened to go home.", 4, 17),
        Concern("Young person found in a trap house in another borough with cash and two phones.", 12, 17),
        Concern("High-risk domestic abuse incident; mother is 30 weeks pregnant and was strangled.", 0, 17, True)],
}
DECISION_TEXT = {
    "nfa_advice": "No further action: information and advice given to the referrer and family.",
    "early_help": "Needs can be met by Early Help with the family's consent; step-down agreed.",
    "assessment": "Complex needs: refer for a single assessment under section 17.",
    "strategy_discussion": "Reasonable cause to suspect significant harm: convene a strategy discussion.",
    "pass_to_allocated_worker": "Case open to a social worker: passed to the allocated worker.",
    "transfer_other_la": "Family now lives in another borough: transferred to that authority's MASH.",
}
#: Answers to agency checks, for the agencies whose officers answer them on the desk (the demo's
#: police, health, education and Atlas users). The second police answer is the restricted one.
CHECK_ANSWERS = {
    "police": ["Two domestic incidents recorded at the address in the last year; no arrests.",
               "Father known for possession with intent to supply; intelligence suggests links to a local "
               "gang. Do not disclose to the family.",
               "No trace on police systems for the named adults."],
    "health": ["Child up to date with immunisations; missed last two dental appointments.",
               "Mother under the perinatal mental health team; last seen three weeks ago."],
    "education": ["Attendance 82% this year; two fixed-term exclusions.",
                  "No concerns from school; child described as settled and well presented."],
    "atlas": ["Young person on the missing and exploited children list; three missing episodes this year."],
}
#: Who answers each agency's checks in the demo.
CHECK_RESPONDERS = {"police": "demo.police", "health": "demo.health", "education": "demo.education",
                    "atlas": "demo.atlas"}
STEP_DOWN_NEEDS = [
    "Parenting support and help with routines at bedtime and before school.",
    "Help with school attendance (82% this term) and the morning routine.",
    "Support for a young carer looking after a parent with a long-term illness.",
    "Debt advice and housing support; the family is in temporary accommodation.",
    "Help managing a teenager's behaviour at home; parents want a parenting course.",
    "Emotional support for a child after the parents' separation; contact arrangements.",
]
