"""Statutory returns: the CIN census and Annex A."""
