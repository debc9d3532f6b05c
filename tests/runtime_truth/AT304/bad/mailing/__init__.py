"""Mail helpers (the old mailing.legacy module was merged into mailing.smtp)."""
