"""The public input and output types of the security app (frozen dataclasses)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DeviationReport:
    """What a deviation report (avviksmelding) says: what happened, when, what and who it touched."""

    kind: str
    title: str
    description: str
    discovered_at: dt.datetime
    occurred_at: dt.datetime | None = None
    systems: str = ""
    data_involved: str = ""
    person_categories: str = ""
    persons_affected: int | None = None
    immediate_measures: str = ""


@dataclass(frozen=True)
class BreachClock:
    """The 72-hour clock of a personal-data breach (GDPR art. 33): from discovery to the deadline."""

    started_at: dt.datetime
    deadline: dt.datetime
    hours_left: float
    stopped: bool  # the decision on notifying is recorded (or the deviation is closed)

    @property
    def overdue(self) -> bool:
        return not self.stopped and self.hours_left < 0


@dataclass(frozen=True)
class NoticeField:
    """One field of the draft notice to Datatilsynet: its label as the form asks, and our answer."""

    label: str
    value: str


@dataclass(frozen=True)
class NoticeSection:
    heading: str
    fields: tuple[NoticeField, ...]


@dataclass(frozen=True)
class QuarterRow:
    """Deviations reported in one quarter, per class."""

    quarter: int
    information_security: int
    personal_data_breach: int
    other: int

    @property
    def total(self) -> int:
        return self.information_security + self.personal_data_breach + self.other


# ------------------------------------------------------------------ risk assessments (ROS)


@dataclass(frozen=True)
class ThreatInput:
    """An unwanted event (uønsket hendelse) of a ROS: likelihood and the three consequences, 1–5."""

    title: str
    likelihood: int
    confidentiality: int
    integrity: int
    availability: int
    description: str = ""


@dataclass(frozen=True)
class MeasureInput:
    """A measure (tiltak) against a threat, and how many steps it lowers likelihood and consequence."""

    description: str
    owner_id: int
    due_date: dt.date
    reduces_likelihood: int = 0
    reduces_consequence: int = 0


@dataclass(frozen=True)
class MatrixCell:
    """One cell of the heat matrix: its likelihood and consequence, score, level and threats."""

    likelihood: int
    consequence: int
    score: int
    level: str  # low, medium, high
    codes: tuple[str, ...]  # the threats in the cell, "H1", "H4"


@dataclass(frozen=True)
class RiskMatrix:
    """The 5 × 5 heat matrix, rows from likelihood 5 (top) down to 1, columns consequence 1 to 5."""

    rows: tuple[tuple[MatrixCell, ...], ...]

    @property
    def cells(self) -> tuple[MatrixCell, ...]:
        return tuple(cell for row in self.rows for cell in row)

    @property
    def highest(self) -> int:
        return max((cell.score for cell in self.cells if cell.codes), default=0)


# ------------------------------------------------------------------ record of processing (art. 30)


@dataclass(frozen=True)
class ProcessingInput:
    """A processing activity as staff write it (the fields of GDPR art. 30 nr. 1)."""

    name: str
    purpose: str
    legal_basis_art6: tuple[str, ...]
    data_subject_categories: str
    data_categories: str
    retention: str
    legal_basis_art9: tuple[str, ...] = ()
    legal_basis_reference: str = ""
    recipients: str = ""
    transfers: str = ""
    security_measures: str = ""
    systems: str = ""
    internal_note: str = ""
    published: bool = False


@dataclass(frozen=True)
class PublicProcessingActivity:
    """What the public page shows of an activity: the fields meant for the public, nothing else."""

    name: str
    purpose: str
    legal_basis_art6: tuple[str, ...]  # labels, "e) oppgave i allmennhetens interesse ..."
    legal_basis_art9: tuple[str, ...]
    legal_basis_reference: str
    data_subject_categories: str
    data_categories: str
    recipients: str
    transfers: str
    retention: str


@dataclass(frozen=True)
class ReviewedRead:
    """One line of the read log as the review shows it; ``flagged`` when the reader neither handles
    the case nor works in its unit (decision 0226)."""

    occurred_at: dt.datetime
    reader: str
    reader_id: int | None
    kind: str
    object_id: str
    purpose: str
    case_file: str
    via: str
    unit: str
    flagged: bool


@dataclass(frozen=True)
class ReadWeek:
    """A week of the read log: how many reads, the random sample, and its flagged reads."""

    week_start: dt.date
    reads_in_week: int
    sample: list[ReviewedRead]

    @property
    def flagged(self) -> int:
        return sum(1 for read in self.sample if read.flagged)


@dataclass(frozen=True)
class PersonReads:
    """Who has read data about one person: the cases the person is a party to, and their reads."""

    case_numbers: list[str]
    reads: list[ReviewedRead]
