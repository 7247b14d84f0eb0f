"""The EDT handover view: the morning handover for managers and the EDT log form."""
