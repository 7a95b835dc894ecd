"""Estate screens (communities, buildings, houses); the house ledger, which several areas open, is screens.common.ledger."""
