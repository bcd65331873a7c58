"""Officers, the audit trail, backups and reports in the window: plugged in by ui/admin/install.py."""
