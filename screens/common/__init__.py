"""Popups and helpers shared by every area: confirmations, reasons, document delivery."""
