"""The public journal's JSON API (``api/journal/``): ``views`` and ``urls``."""
