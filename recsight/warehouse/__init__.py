"""Warehouses: the demo generator and the sandboxed query executor."""
