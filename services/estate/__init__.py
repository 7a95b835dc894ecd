"""Communities, buildings and houses as an organisation may see them, fund accounts, ledger and freezes."""
