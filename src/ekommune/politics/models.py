"""Data of the politics app (docs/architecture.md)."""
