"""Pure rules, no I/O: codes, calendar, statuses, ID-card QR, text folding."""
