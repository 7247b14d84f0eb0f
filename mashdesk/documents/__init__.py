"""Printed documents (ReportLab platypus): every page carries the protective marking and page x of y."""
