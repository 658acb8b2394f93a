"""Terms (valgperioder), bodies (utvalg), elected members (folkevalgte) and their seats (verv)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q

from ekommune.archive import services as archive_services
from ekommune.core.errors import ConflictError, ValidationError
from ekommune.core.models import Municipality
from ekommune.core.services import Actor, tenant_object_check
from ekommune.politics import selectors
from ekommune.politics.models import Body, Membership, Person, Term
from ekommune.politics.services.common import SECRETARIAT_UNIT, audit, clean, save, secretariat_require


def term_create(
    *, actor: Actor, municipality: Municipality, name: str, starts_on: dt.date, ends_on: dt.date
) -> Term:
    """A council period (valgperiode)."""
    secretariat_require(actor, municipality)
    if ends_on <= starts_on:
        raise ValidationError(
            "Perioden må slutte etter at den starter.", code="invalid_period", field="ends_on"
        )
    term = Term(municipality=municipality, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    clean(term, exclude=["municipality"])
    with transaction.atomic():
        save(term, "Det finnes allerede en valgperiode med dette navnet.", "name")
        audit(actor, municipality, "term.create", term, name=term.name)
    return term


def _case_class(
    *, municipality: Municipality, series: Any, case_class: str, parent: Body | None
) -> Any | None:
    """The archive class (klasse) of the body's cases: the one named by ``case_class`` (klasseID in
    the series' classification scheme), else the parent body's. A classified series gets no case
    without a class (a deposit package has no place for one); an unclassified series has none to give."""
    classes = selectors.series_classes(municipality=municipality, series=series)
    wanted = case_class.strip()
    if wanted:
        found = next((c for c in classes if c.class_id == wanted), None)
        if found is None:
            raise ValidationError(
                f"Klassen {wanted} finnes ikke i arkivdelens klassifikasjonssystem.",
                code="unknown_class",
                field="case_class",
            )
        return found
    if not classes:
        return None
    inherited = parent.case_class_system_id if parent is not None else None
    found = next((c for c in classes if c.system_id == inherited), None)
    if found is None:
        raise ValidationError(
            "Velg klassen utvalgets saker arkiveres under.", code="class_required", field="case_class"
        )
    return found


def body_create(
    *,
    actor: Actor,
    municipality: Municipality,
    name: str,
    abbreviation: str,
    kind: str,
    series: Any,
    case_class: str = "",
    parent: Body | None = None,
    video_channel: str = "",
) -> Body:
    """A political body (utvalg), with a case in ``series`` (arkivdel) for its minutes (møtebøker).

    The case is filed under ``case_class`` (klasseID in the series' classification scheme, e.g.
    ``033``), or under the parent body's class when none is given (``selectors.series_classes``).
    """
    label = secretariat_require(actor, municipality)
    if kind not in Body.Kind.values:
        raise ValidationError(f"Ukjent type utvalg {kind!r}.", code="invalid_code", field="kind")
    tenant_object_check(series, municipality=municipality, field="series")
    if parent is not None:
        tenant_object_check(parent, municipality=municipality, field="parent")
    primary_class = _case_class(
        municipality=municipality, series=series, case_class=case_class, parent=parent
    )
    body = Body(
        municipality=municipality,
        name=name.strip(),
        abbreviation=abbreviation.strip().upper(),
        kind=kind,
        parent=parent,
        video_channel=video_channel,
        minutes_case_number="-",
        case_class_system_id=primary_class.system_id if primary_class is not None else None,
    )
    clean(body, exclude=["municipality", "parent"])
    with transaction.atomic():
        if Body.objects.filter(
            Q(name__iexact=body.name) | Q(abbreviation=body.abbreviation), municipality=municipality
        ).exists():
            raise ConflictError(
                "Det finnes allerede et utvalg med dette navnet eller forkortelsen.", field="name"
            )
        case_file = archive_services.case_file_create(
            actor=actor,
            municipality=municipality,
            series=series,
            title=f"Møtebøker – {body.name}",
            administrative_unit=SECRETARIAT_UNIT,
            case_responsible=label,
            primary_class=primary_class,
        )
        body.minutes_case_number = case_file.file_id
        save(body, "Det finnes allerede et utvalg med dette navnet eller forkortelsen.", "name")
        audit(actor, municipality, "body.create", body, kind=kind, minutes_case=case_file.file_id)
    return body


def person_create(*, actor: Actor, municipality: Municipality, name: str, party: str, email: str) -> Person:
    """An elected member (folkevalgt) with party and public e-mail address."""
    secretariat_require(actor, municipality)
    person = Person(
        municipality=municipality, name=name.strip(), party=party.strip(), email=email.strip().lower()
    )
    clean(person, exclude=["municipality"])
    with transaction.atomic():
        save(person, "En folkevalgt med denne e-postadressen finnes allerede.", "email")
        audit(actor, municipality, "person.create", person)
    return person


def membership_add(
    *,
    actor: Actor,
    municipality: Municipality,
    body: Body,
    person: Person,
    term: Term,
    role: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Membership:
    """A seat in a body for a term. One current leader and one current deputy leader per body and term."""
    secretariat_require(actor, municipality)
    for obj, field in ((body, "body"), (person, "person"), (term, "term")):
        tenant_object_check(obj, municipality=municipality, field=field)
    if role not in Membership.Role.values:
        raise ValidationError(f"Ukjent rolle {role!r}.", code="invalid_code", field="role")
    starts = starts_on or term.starts_on
    if not term.starts_on <= starts <= term.ends_on:
        raise ValidationError(
            "Vervet må starte innenfor valgperioden.", code="outside_term", field="starts_on"
        )
    if ends_on is not None and ends_on < starts:
        raise ValidationError(
            "Vervet må slutte etter at det starter.", code="invalid_period", field="ends_on"
        )
    membership = Membership(
        municipality=municipality,
        body=body,
        person=person,
        term=term,
        role=role,
        starts_on=starts,
        ends_on=ends_on,
    )
    with transaction.atomic():
        save(
            membership, "Utvalget har allerede en leder eller nestleder, eller vervet finnes fra før.", "role"
        )
        # the person's OParl object lists its memberships
        Person.objects.filter(municipality=municipality, pk=person.pk).update(
            modified_at=membership.created_at
        )
        audit(actor, municipality, "membership.add", membership, body=body.pk, person=person.pk, role=role)
    return membership
