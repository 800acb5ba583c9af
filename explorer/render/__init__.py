"""Graphs and maps -> HTML; no file writes."""
