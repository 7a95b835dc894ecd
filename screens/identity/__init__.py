"""Login, identity choice, idle lock and password change."""
