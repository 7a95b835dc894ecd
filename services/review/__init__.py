"""The district department's review: the queue, decisions, owners' consent and working-day deadlines."""
