"""The EDT's out-of-hours log and the MASH's morning handover of it.

``workflow`` (periods, deadlines, what may still change; no database) · ``views`` (what the window and
the sheet are given) · ``parsing`` (children, addresses and the referral source read from the log's free
text) · ``service`` (the units of work) · ``notices`` (the 08:45 reminder and the 10:00 breach job) ·
``documents`` (the handover sheet).
"""
