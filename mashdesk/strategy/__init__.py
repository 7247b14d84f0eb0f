"""Strategy discussions: convening, the meeting record, the ICPC clock and the meeting pack.

- ``workflow``: the states, what may happen in which, and the clocks (pure: no database);
- ``service``: the units of work (convening, recording, building the pack);
- ``reads``: the lists and the record as the screen shows them;
- ``views``: the immutable display objects, the pack's content among them;
- ``pack``: gathering the pack for one reader, with its chronology;
- ``documents``: the pack's PDF layout;
- ``notices``: the deadline sweep.

Nothing is imported here, so importing one module does not load the others.
"""
