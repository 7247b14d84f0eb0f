"""Run the DfE's CIN census rules (``csc-validator-be-cin``) on a file; print the issues as JSON lines.

Run by the validator's own Python (it pins pandas 1.5 and numpy < 2, so it lives in its own virtual
environment): ``python cin_validate_script.py FILE.xml RULESET``. Imports nothing of the desk.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import sys
import xml.etree.ElementTree as ET


def _episode(data: dict, table: str, row_id: str) -> int | None:
    """The child's CINdetails (1, 2, …) the flagged row belongs to, where the table has one."""
    frame = data.get(table)
    if frame is None or "CINdetailsID" not in frame.columns or not row_id.isdigit():
        return None
    try:
        return int(frame.loc[int(row_id), "CINdetailsID"])
    except (KeyError, TypeError, ValueError):
        return None


def main(path: str, ruleset: str) -> int:
    from cin_validator import cin_validator

    try:
        module = importlib.import_module(f"cin_validator.rules.{ruleset}")
    except ModuleNotFoundError:
        print(json.dumps({"unknown_ruleset": ruleset}))
        return 3
    with contextlib.redirect_stdout(io.StringIO()):
        root = ET.parse(path).getroot()
        data = cin_validator.process_data(cin_validator.convert_data(root))
        result = cin_validator.CinValidator(data, module.registry)
    report = result.user_report
    for row in report.to_dict("records") if len(report) else []:
        print(json.dumps({"rule": str(row["rule_code"]), "child": str(row["LAchildID"]),
                          "episode": _episode(data, str(row["tables_affected"]), str(row["ROW_ID"])),
                          "table": str(row["tables_affected"]), "field": str(row["columns_affected"]),
                          "value": str(row["value_flagged"]), "message": str(row["rule_description"])}))
    for row in result.multichild_issues.drop_duplicates().to_dict("records"):
        print(json.dumps({"rule": str(row["rule_code"]), "child": "", "episode": None, "table": "Header",
                          "field": "",
                          "value": "", "message": str(row["rule_description"])}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
