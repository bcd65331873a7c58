"""Digitisation at the counter: pages into one PDF per component, kept by hash (docs/digitisation.md)."""
