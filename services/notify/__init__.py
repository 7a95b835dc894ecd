"""Notifications: the SMS/e-mail outbox, its sender with retries, and the verification codes sent through it."""
