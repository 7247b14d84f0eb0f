"""Threshold of Need ruleset versions: loading, activation from a date, the version in force, diff, what-if
replay over stored assessments, and the consistency of decisions with suggestions."""
