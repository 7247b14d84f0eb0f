"""Step-downs to Early Help and step-up back to the MASH.

``workflow`` (states, transitions, clocks; no database) · ``views`` (what the window and the form are
given) · ``service`` (the units of work) · ``notices`` (the deadline sweep) · ``documents`` (the form
sent to the centre) · ``centres`` (the receiving teams, from ``early_help.toml``).
"""
