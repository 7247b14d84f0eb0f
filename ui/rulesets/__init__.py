"""The Ruleset view: Threshold of Need versions, their differences, what-if replay and consistency."""
