"""The document model: a page format, metadata and a flat list of blocks flowing down the pages.

Deliberately small: what receipts and letters need (paragraphs, headings, key-value tables,
vertical space), each block with one ``Style``. All classes are frozen, keyword-only dataclasses;
they check their geometry when made, so a bad size fails where it is written, not in the writer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ekommune.pdfa.errors import InvalidDocumentError
from ekommune.pdfa.fonts import Family

A4 = (595.28, 841.89)
"""A4 in points (1/72 inch)."""
CM = 72 / 2.54


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidDocumentError(message)


def _finite(*values: float) -> bool:
    return all(isinstance(v, int | float) and math.isfinite(v) for v in values)


@dataclass(frozen=True, slots=True, kw_only=True)
class Style:
    """How a block's text looks: DejaVu Sans or Serif, weight, size and spacing in points.

    ``line_height`` is a factor of ``size`` (CSS ``line-height: 1.4``); ``space_before`` and
    ``space_after`` collapse like CSS margins (the larger of two neighbours wins) and vanish at
    the top of a page. ``colour`` is RGB with components from 0 to 1.
    """

    family: Family = "sans"
    bold: bool = False
    size: float = 11.0
    line_height: float = 1.4
    space_before: float = 0.0
    space_after: float = 6.0
    colour: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def __post_init__(self) -> None:
        _check(
            self.family in ("sans", "serif"), f"font family must be 'sans' or 'serif', not {self.family!r}"
        )
        _check(_finite(self.size) and 0 < self.size <= 1000, f"font size out of range: {self.size!r}")
        _check(_finite(self.line_height) and 0 < self.line_height <= 10, "line_height out of range")
        _check(_finite(self.space_before, self.space_after), "spacing must be finite numbers")
        _check(self.space_before >= 0 and self.space_after >= 0, "spacing must not be negative")
        _check(
            len(self.colour) == 3 and _finite(*self.colour) and all(0 <= c <= 1 for c in self.colour),
            f"colour must be three numbers from 0 to 1, not {self.colour!r}",
        )


HEADING_STYLES = {
    1: Style(bold=True, size=16, line_height=1.25, space_before=12, space_after=6),
    2: Style(bold=True, size=13, line_height=1.25, space_before=10, space_after=4),
    3: Style(bold=True, size=11.5, line_height=1.25, space_before=8, space_after=3),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    """A paragraph of text (tag P); "\\n" in ``text`` is a line break."""

    text: str
    style: Style = field(default_factory=Style)

    def __post_init__(self) -> None:
        _check(isinstance(self.text, str), "paragraph text must be a str")


@dataclass(frozen=True, slots=True, kw_only=True)
class Heading:
    """A heading (tags H1–H6); without a style it gets the bold default of its level."""

    text: str
    level: int = 1
    style: Style | None = None

    def __post_init__(self) -> None:
        _check(isinstance(self.text, str), "heading text must be a str")
        _check(isinstance(self.level, int) and 1 <= self.level <= 6, "heading level must be 1 to 6")

    @property
    def resolved_style(self) -> Style:
        """The style given, else the default for the level."""
        return self.style or HEADING_STYLES.get(self.level, HEADING_STYLES[3])


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyValueTable:
    """A two-column table of (label, value, depth) rows, like an HTML table with collapsed borders.

    The label cell (a row header, tag TH) is bold at depth 0 and normal weight, indented, at
    depth 1 and deeper; the value is a TD. ``label_fraction`` of the text width goes to the
    labels. A thin grey rule is drawn under each row. ``style`` applies to both cells.
    """

    rows: Sequence[tuple[str, str, int]]
    label_fraction: float = 0.4
    style: Style = field(default_factory=lambda: Style(space_before=4, space_after=8))
    padding: tuple[float, float] = (4.0, 6.0)
    """Cell padding (vertical, horizontal) in points."""
    indent: float = 18.0
    """Extra left padding of labels at depth 1 and deeper."""
    rule_colour: tuple[float, float, float] = (0.6, 0.6, 0.6)
    rule_width: float = 0.75

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(self.rows))
        for row in self.rows:
            _check(
                len(row) == 3
                and isinstance(row[0], str)
                and isinstance(row[1], str)
                and isinstance(row[2], int),
                f"a row is (label: str, value: str, depth: int), not {row!r}",
            )
        _check(
            _finite(self.label_fraction) and 0.05 <= self.label_fraction <= 0.95,
            "label_fraction out of range",
        )
        _check(_finite(*self.padding, self.indent, self.rule_width), "table geometry must be finite numbers")
        _check(min(*self.padding, self.indent, self.rule_width) >= 0, "table geometry must not be negative")
        _check(
            all(0 <= c <= 1 for c in self.rule_colour) and len(self.rule_colour) == 3, "rule_colour: 0 to 1"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Spacer:
    """Vertical space in points (dropped at the top of a page)."""

    height: float

    def __post_init__(self) -> None:
        _check(_finite(self.height) and 0 <= self.height <= 10_000, "spacer height out of range")


Block = Paragraph | Heading | KeyValueTable | Spacer


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A document to render: metadata (Info dictionary and XMP), page geometry and blocks.

    ``created_at`` must be timezone-aware; it is both the creation and the modification date.
    ``margins`` are (top, right, bottom, left) in points. With ``page_numbers`` every page gets a
    footer "n / N" at the bottom right, in the bottom margin.
    """

    created_at: datetime
    title: str = ""
    author: str = ""
    subject: str = ""
    language: str = "nb-NO"
    creator: str = "ekommune"
    page_size: tuple[float, float] = A4
    margins: tuple[float, float, float, float] = (2 * CM, 2 * CM, 2 * CM, 2 * CM)
    page_numbers: bool = False
    blocks: Sequence[Block] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))
        _check(
            isinstance(self.created_at, datetime) and self.created_at.utcoffset() is not None,
            "created_at must be a timezone-aware datetime",
        )
        width, height = self.page_size
        top, right, bottom, left = self.margins
        _check(
            _finite(width, height) and 1 <= width <= 14_400 and 1 <= height <= 14_400,
            "page size out of range",
        )
        _check(_finite(*self.margins) and min(self.margins) >= 0, "margins must be finite and not negative")
        _check(left + right < width - 1 and top + bottom < height - 1, "margins leave no room for text")
        for block in self.blocks:
            _check(isinstance(block, Paragraph | Heading | KeyValueTable | Spacer), f"not a block: {block!r}")
