"""分户账: one house's fund account and its ledger."""
