"""The window's side of sync with the district server (counter_app/sync does the work)."""
