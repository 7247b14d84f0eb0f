"""The performance digest: figures for a period beside the one before, each with the records behind it."""
