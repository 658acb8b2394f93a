"""Data of the portal app (docs/architecture.md)."""
