"""Changing an object through the Noark API: PUT (the whole object), PATCH (RFC 7386 merge) and the
If-Match precondition that both, and DELETE, need (decision 0152).

Each change goes through its service; a field the archive does not let the API change is refused
with ``field_not_changeable`` unless it keeps its value.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from ekommune.archive import services
from ekommune.archive.api.creators import date
from ekommune.archive.api.creators import screening as screening_of
from ekommune.archive.api.noark import code_value, etag_of
from ekommune.archive.api.resources import Entity, entity_of
from ekommune.archive.models import CaseFile, DocumentDescription, RegistryEntry, Series
from ekommune.archive.services.descriptions import EDITABLE
from ekommune.core.errors import ApplicationError, ConflictError, ValidationError
from ekommune.core.models import Municipality

# Fields the archive sets itself: a PUT that leaves them out keeps them (if given, they must not change).
SERVER_FIELDS = frozenset(
    {
        "systemID", "opprettetDato", "opprettetAv", "endretDato", "endretAv", "avsluttetDato", "avsluttetAv",
        "arkivertDato", "arkivertAv", "mappeID", "saksaar", "sakssekvensnummer", "journalaar",
        "journalsekvensnummer", "journalpostnummer", "registreringsID", "journaldato", "journalenhet",
        "dokumentnummer", "tilknyttetDato", "tilknyttetAv", "versjonsnummer", "sjekksum", "sjekksumAlgoritme",
        "filstoerrelse", "referanseDokumentfil", "merknadsdato", "merknadRegistrertAv", "avskrivningsdato",
        "avskrevetAv",
    }
)  # fmt: skip
# Fields the standard makes obligatory: a PUT must give them (where the object has them).
MANDATORY_FIELDS = frozenset(
    {
        "tittel", "klasseID", "arkivskaperID", "arkivskaperNavn", "arkivstatus", "arkivdelstatus", "saksstatus",
        "journalposttype", "journalstatus", "dokumentstatus", "dokumenttype", "merknadstekst",
        "korrespondanseparttype", "navn", "variantformat", "avskrivningsmaate",
    }
)  # fmt: skip


class PreconditionRequiredError(ApplicationError):
    code = "precondition_required"
    http_status = 428


def if_match_check(request: Request, body: dict[str, Any]) -> None:
    """The object's ETag must be in If-Match (``*``: any current version): else 428, or 409 when stale."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequiredError(
            "If-Match mangler: hent objektet og send ETag-verdien i If-Match.", field="If-Match"
        )
    tags = [tag.strip() for tag in header.split(",")]
    if "*" not in tags and etag_of(body) not in tags:
        raise ConflictError(
            "Objektet er endret av noen andre siden du hentet det (ETag stemmer ikke).",
            code="etag_mismatch",
            field="If-Match",
        )


def replacement(entity: Entity, obj: Any, body: dict[str, Any]) -> dict[str, Any]:
    """PUT: the body is the whole object. A field left out is empty, except those the archive sets;
    an obligatory field left out (or empty) is refused."""
    data = {key: value for key, value in body.items() if not key.startswith("_")}
    for key, current in entity.attributes(obj).items():
        if key in SERVER_FIELDS or (key in data and not _empty(data[key])):
            continue
        if key in MANDATORY_FIELDS and not _empty(current):
            raise ValidationError(
                f"{key} må være med: PUT erstatter hele objektet.", code="required", field=key
            )
        data.setdefault(key, None)
    return data


def apply_patch(obj: Any, data: dict[str, Any], request: Request, municipality: Municipality) -> Any:
    """The changes the archive allows through the API, each through its service."""
    actor = request.user
    changes = {key for key in data if not key.startswith("_") and key != "systemID"}
    editable = EDITABLE.get(type(obj))
    if editable is not None:
        described = {
            key: _text(data, key) for key in changes & set(editable.fields) if not _same(obj, key, data[key])
        }
        if described:
            obj = services.archive_description_update(
                actor=actor, municipality=municipality, obj=obj, changes=described
            )
        changes -= set(editable.fields)
    if isinstance(obj, RegistryEntry | CaseFile) and isinstance(data.get("skjerming"), dict):
        # a case worker decides what is screened (decision 0300); the object's own screening sent
        # back changes nothing. Leaving it out (or empty) never lifts it: that is refused below.
        if entity_of(obj).attributes(obj).get("skjerming") != data["skjerming"]:
            obj = services.screening_set(
                actor=actor, municipality=municipality, on=obj, screening=screening_of(data)
            )
        changes -= {"skjerming"}
    if isinstance(obj, RegistryEntry):
        status_code = code_value(data, "journalstatus")
        if "tittel" in data and data["tittel"] != obj.title:
            obj = services.registry_entry_update_title(
                actor=actor, municipality=municipality, entry=obj, title=str(data["tittel"])
            )
        if status_code and status_code != obj.status:
            obj = services.registry_entry_set_status(
                actor=actor, municipality=municipality, entry=obj, status=status_code
            )
        changes -= {"tittel", "journalstatus"}
    elif isinstance(obj, DocumentDescription):
        if code_value(data, "dokumentstatus") == "F" and obj.status != "F":
            obj = services.document_finalise(actor=actor, municipality=municipality, document=obj)
        changes -= {"dokumentstatus"} if code_value(data, "dokumentstatus") in {"F", obj.status} else set()
    elif isinstance(obj, CaseFile):
        if code_value(data, "saksstatus") == "A" and obj.case_status != "A":
            obj = services.case_file_conclude(actor=actor, municipality=municipality, case_file=obj)
        changes -= {"saksstatus"} if code_value(data, "saksstatus") in {"A", obj.case_status} else set()
    elif isinstance(obj, Series):
        if code_value(data, "arkivdelstatus") == "P" and obj.status != "P":
            end = date(data, "arkivperiodeSluttDato")
            if end is None:
                raise ValidationError(
                    "arkivperiodeSluttDato må fylles ut.", code="required", field="arkivperiodeSluttDato"
                )
            obj = services.series_close(actor=actor, municipality=municipality, series=obj, period_end=end)
        changes -= {"arkivdelstatus", "arkivperiodeSluttDato"}
    unchanged = {key for key in changes if _same(obj, key, data[key])}
    if changes - unchanged:
        field = sorted(changes - unchanged)[0]
        raise ValidationError(
            f"Feltet {field} kan ikke endres her.", code="field_not_changeable", field=field
        )
    return obj


def _same(obj: Any, key: str, value: Any) -> bool:
    current = entity_of(obj).attributes(obj).get(key)
    if _empty(current) and _empty(value):
        return True
    return bool(
        current == value
        or (
            isinstance(current, dict) and isinstance(value, dict) and current.get("kode") == value.get("kode")
        )
    )


def _text(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{key} må være tekst.", code="invalid", field=key)
    return value or ""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
