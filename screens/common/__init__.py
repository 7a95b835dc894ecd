"""Screens and helpers shared by every area: confirmations, reasons, document delivery, the house ledger (分户账)."""
