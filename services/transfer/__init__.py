"""Import and export (BY-06): spreadsheets in (estates, owners, opening balances) and every list out to XLSX."""
