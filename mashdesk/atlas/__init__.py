"""The Atlas team's intelligence markers on people (missing and exploited children).

Below the people package, so the known-child search can show a child's markers; the meeting's agenda
takes its Atlas items from :mod:`mashdesk.atlas.agenda`.
"""
