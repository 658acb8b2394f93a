"""The public types of the politics app: what callers hand to the services, what the public sees
(``PublicItem`` and its parts, built by the selectors), and the app's errors.

Rule violations carry a stable ``code`` (tests and API clients match on it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ekommune.core.errors import ConflictError
from ekommune.politics.models import Absence, Person, Vote
from ekommune.publicjournal.types import PublicDocument

# ------------------------------------------------------------------ errors


class MeetingRuleError(ConflictError):
    """The meeting's state does not allow the change (HTTP 409)."""

    code = "meeting_rule"


# ------------------------------------------------------------------ inputs of the services


@dataclass(frozen=True)
class AttendanceInput:
    """One person's attendance: ``status`` tilstede or forfall; a deputy present names the member."""

    person: Person
    status: str
    substitute_for: Person | None = None


@dataclass(frozen=True)
class VoteInput:
    """How a named member (``person``) or a party (``party`` with ``count`` votes) voted."""

    choice: str
    person: Person | None = None
    party: str = ""
    count: int = 1


@dataclass(frozen=True)
class AmendmentInput:
    """Endringsforslag put forward in the debate, and whether it was adopted."""

    proposed_by: str
    text: str
    adopted: bool = False
    votes_for: int | None = None
    votes_against: int | None = None


@dataclass(frozen=True)
class AbsenceInput:
    """Forfall or inhabilitet of a member for one item."""

    person: Person
    reason: str = Absence.Reason.ABSENT


# ------------------------------------------------------------------ what the public sees


@dataclass(frozen=True)
class PublicVote:
    label: str  # the party, or "Name (Party)"
    choice: str
    choice_label: str
    count: int


@dataclass(frozen=True)
class PublicAmendment:
    proposed_by: str
    text: str
    adopted: bool
    votes_for: int | None
    votes_against: int | None


@dataclass(frozen=True)
class PublicAbsence:
    name: str
    reason: str


@dataclass(frozen=True)
class PublicDecision:
    text: str  # empty when the item is closed or screened
    unanimous: bool
    provisional: bool
    recorded_at: dt.datetime
    final_at: dt.datetime | None
    votes: tuple[PublicVote, ...]
    amendments: tuple[PublicAmendment, ...]
    absences: tuple[PublicAbsence, ...]

    def tally(self) -> dict[str, int]:
        totals = dict.fromkeys(Vote.Choice.values, 0)
        for vote in self.votes:
            totals[vote.choice] += vote.count
        return totals


@dataclass(frozen=True)
class PublicItem:
    """An agenda item as the public may see it."""

    pk: int
    number: str
    body_id: int
    body_name: str
    body_abbreviation: str
    meeting_id: int
    meeting_starts_at: dt.datetime
    meeting_status: str
    case_number: str
    case_title: str
    title: str
    documents: tuple[PublicDocument, ...]
    legal_bases: tuple[str, ...]
    is_open: bool  # the texts may be shown
    closed_basis: str
    recommendation: str
    decision: PublicDecision | None
    video_url: str
    created_at: dt.datetime | None = None  # OParl ``created`` / ``modified``
    modified_at: dt.datetime | None = None

    def texts(self) -> Iterable[str]:
        yield from (self.case_title, self.title, self.recommendation)
        yield from (document.title for document in self.documents)
        if self.decision is not None:
            yield self.decision.text
            yield from (amendment.text for amendment in self.decision.amendments)
