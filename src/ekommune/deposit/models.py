"""Data of the deposit app (docs/architecture.md)."""
