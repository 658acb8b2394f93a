"""Settings, read from environment variables (base, dev, test, production)."""
