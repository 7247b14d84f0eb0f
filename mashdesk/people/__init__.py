"""People: the children and adults the MASH knows, and finding the known child.

``names`` (search keys), ``scoring`` (pure) and ``blocking`` (the candidate query) are
the known-child search; ``importing`` reads the people CSV; ``history`` is what the MASH
knows of a person; ``merging`` moves a duplicate's links; ``views`` holds the display
objects; ``service`` the units of work. Nothing here imports another capability.
"""
