"""Pages of the security app: ``public`` (the citizens' deviation form) and ``staff`` (the register)."""
