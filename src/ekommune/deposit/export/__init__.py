"""Writing a Noark 5 extraction package (arkivuttrekk) for one or more series, streamed.

The database is read in keyset pages (case files) and chunked iterators (entries, journal, change
log); each registry entry is built as a small element tree and written at once with lxml's
incremental writer (``etree.xmlfile``), so memory does not grow with the archive. Element order
follows the official XSDs (reference/noark5.md §4.3); elements without a value are left out (no
empty elements, Arkade N5.63). Codes are written as their kodenavn. Decisions: docs/decisions/0010.
"""

from ekommune.deposit.export.common import Progress
from ekommune.deposit.export.runner import UnclassifiedCasesError, export_package

__all__ = ["Progress", "UnclassifiedCasesError", "export_package"]
