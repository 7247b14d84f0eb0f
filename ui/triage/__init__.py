"""The triage dialogs: screening, allocation, agency checks, the threshold and decisions."""
