"""ekommune: the eKommune platform for Norwegian municipalities."""

__version__ = "0.1.0"
