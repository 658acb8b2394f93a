"""The public journal's pages: ``public`` (search, entry, case, documents, sitemap, access
requests), ``staff`` (the access-request queue and answer, the journal's settings), ``feeds``
(Atom), ``forms`` (the Django forms they and the API parse with)."""
