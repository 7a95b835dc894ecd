"""Who may come in: login, lockout, passwords, captcha and the user's own account."""
