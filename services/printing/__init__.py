"""Printed documents: the snapshot they are printed from, the store, and reprints (补打)."""
