"""Digitisation at the counter: scans kept, signed and sent (docs/digitisation.md)."""
