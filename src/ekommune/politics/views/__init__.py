"""Pages of the politics app: ``public`` (everyone), ``feeds`` (Atom), ``staff`` and ``forms`` (the
political secretariat)."""
