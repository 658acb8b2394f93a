"""Decisions (vedtak) on agenda items, with votes (stemmer), amendments (endringsforslag) and
absences (forfall, inhabilitet)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality
from ekommune.core.services import Actor, tenant_object_check, tenant_row_lock
from ekommune.politics import selectors, tasks
from ekommune.politics.models import Absence, AgendaItem, Amendment, Decision, Meeting, Vote
from ekommune.politics.services.common import audit, secretariat_require, touch
from ekommune.politics.types import AbsenceInput, AmendmentInput, MeetingRuleError, VoteInput


def _votes_check(
    municipality: Municipality,
    unanimous: bool,
    votes: Sequence[VoteInput],
    absences: Sequence[AbsenceInput],
) -> None:
    if unanimous and votes:
        raise ValidationError(
            "Et enstemmig vedtak har ingen stemmetall.", code="unanimous_with_votes", field="votes"
        )
    if not unanimous and not votes:
        raise ValidationError(
            "Oppgi stemmene, eller at vedtaket var enstemmig.", code="votes_required", field="votes"
        )
    absent = {absence.person.pk for absence in absences}
    for index, vote in enumerate(votes):
        if vote.choice not in Vote.Choice.values:
            raise ValidationError(
                f"Ukjent stemme {vote.choice!r}.", code="invalid_code", field=f"votes[{index}].choice"
            )
        if (vote.person is None) == (not vote.party.strip()):
            raise ValidationError(
                "En stemme gjelder enten en folkevalgt eller et parti.",
                code="member_or_party",
                field=f"votes[{index}]",
            )
        if vote.person is not None:
            tenant_object_check(vote.person, municipality=municipality, field=f"votes[{index}].person")
            if vote.person.pk in absent:
                raise ValidationError(
                    "Et medlem med forfall eller inhabilitet kan ikke stemme.",
                    code="absent_member_voted",
                    field=f"votes[{index}].person",
                )
        if vote.count < 1 or (vote.person is not None and vote.count != 1):
            raise ValidationError(
                "Ugyldig antall stemmer.", code="invalid_count", field=f"votes[{index}].count"
            )
    for index, absence in enumerate(absences):
        tenant_object_check(absence.person, municipality=municipality, field=f"absences[{index}].person")
        if absence.reason not in Absence.Reason.values:
            raise ValidationError(
                f"Ukjent fraværsgrunn {absence.reason!r}.",
                code="invalid_code",
                field=f"absences[{index}].reason",
            )


def _amendments_check(amendments: Sequence[AmendmentInput]) -> None:
    for index, amendment in enumerate(amendments):
        if not amendment.text.strip() or not amendment.proposed_by.strip():
            raise ValidationError(
                "Et endringsforslag må ha forslagsstiller og tekst.",
                code="required",
                field=f"amendments[{index}]",
            )


def _decision_rows_create(
    municipality: Municipality,
    decision: Decision,
    votes: Sequence[VoteInput],
    amendments: Sequence[AmendmentInput],
    absences: Sequence[AbsenceInput],
) -> None:
    Vote.objects.bulk_create(
        Vote(
            municipality=municipality,
            decision=decision,
            person=vote.person,
            party=vote.party.strip(),
            choice=vote.choice,
            count=vote.count,
        )
        for vote in votes
    )
    Amendment.objects.bulk_create(
        Amendment(
            municipality=municipality,
            decision=decision,
            proposed_by=amendment.proposed_by.strip(),
            text=amendment.text.strip(),
            adopted=amendment.adopted,
            votes_for=amendment.votes_for,
            votes_against=amendment.votes_against,
            position=index + 1,
        )
        for index, amendment in enumerate(amendments)
    )
    try:
        with transaction.atomic():
            Absence.objects.bulk_create(
                Absence(
                    municipality=municipality, decision=decision, person=absence.person, reason=absence.reason
                )
                for absence in absences
            )
    except IntegrityError as exc:
        raise ValidationError(
            "Et medlem er oppført med fravær to ganger.", code="duplicate", field="absences"
        ) from exc


def decision_record(
    *,
    actor: Actor,
    municipality: Municipality,
    item: AgendaItem,
    text: str,
    unanimous: bool = False,
    votes: Sequence[VoteInput] = (),
    amendments: Sequence[AmendmentInput] = (),
    absences: Sequence[AbsenceInput] = (),
) -> Decision:
    """Record the decision (vedtak) on an item, during or after the meeting.

    Published at once, marked provisional until the minutes are approved; until then it may be
    recorded again (the new record replaces the old one). Subscribers of the case and of the body
    are told (``tasks.decision_notice_send``, once the transaction has committed).
    """
    label = secretariat_require(actor, municipality)
    if not text or not text.strip():
        raise ValidationError("Vedtaket må ha en tekst.", code="required", field="text")
    _votes_check(municipality, unanimous, votes, absences)
    _amendments_check(amendments)
    with transaction.atomic():
        locked = tenant_row_lock(AgendaItem, pk=item.pk, municipality=municipality)
        meeting = tenant_row_lock(Meeting, pk=locked.meeting_id, municipality=municipality)
        if meeting.status not in {Meeting.Status.SUMMONED, Meeting.Status.HELD}:
            raise MeetingRuleError(
                "Vedtak registreres i et innkalt eller avholdt møte før protokollen er godkjent.",
                code="meeting_not_open_for_decisions",
            )
        Decision.objects.filter(item=locked).delete()
        # What the search may match follows the archive's screening as it is now.
        locked.public_title, locked.presentation_screened = selectors.screened_title(
            municipality=municipality, system_id=locked.presentation_system_id
        )
        locked.save(update_fields=["public_title", "presentation_screened"])
        decision = Decision.objects.create(
            municipality=municipality,
            item=locked,
            text=text.strip(),
            unanimous=unanimous,
            recorded_at=timezone.now(),
            recorded_by=label,
        )
        _decision_rows_create(municipality, decision, votes, amendments, absences)
        touch(municipality=municipality, item_ids=[locked.pk])
        audit(actor, municipality, "decision.record", decision, item=locked.number, case=locked.case_number)
        if selectors.item_subscribers(municipality=municipality, item=locked):
            item_pk = locked.pk
            transaction.on_commit(lambda: tasks.decision_notice_send.enqueue(item_id=item_pk), robust=True)
    return decision
