"""Keywords (noekkelord) and national identifiers (nasjonalidentifikator) in the API: their
attributes, their ``ny-*`` creators, and the ``$filter`` names that reach them (decision 0162)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ekommune.archive import services
from ekommune.archive.models import Keyword, NationalIdentifier
from ekommune.core.errors import ValidationError
from ekommune.core.models import Municipality, User

# Noark name → (model field, type) per kind; the API shows and takes these names.
IDENTIFIER_FIELDS: dict[str, dict[str, tuple[str, type]]] = {
    "matrikkel": {
        "kommunenummer": ("cadastre_municipality", str),
        "gaardsnummer": ("farm_number", int),
        "bruksnummer": ("holding_number", int),
        "festenummer": ("lease_number", int),
        "seksjonsnummer": ("section_number", int),
    },
    "bygning": {"bygningsnummer": ("building_number", int), "endringsloepenummer": ("change_number", int)},
    "plan": {
        "kommunenummer": ("plan_municipality", str),
        "fylkesnummer": ("county_number", str),
        "landkode": ("country_code", str),
        "planidentifikasjon": ("plan_id", str),
    },
    "posisjon": {
        "koordinatsystem": ("coordinate_system", str),
        "x": ("x", float),
        "y": ("y", float),
        "z": ("z", float),
    },
    "enhetsidentifikator": {"organisasjonsnummer": ("organisation_number", str)},
    "foedselsnummer": {"foedselsnummer": ("person_number", str)},
    "dnummer": {"dNummer": ("person_number", str)},
}
PRIVATE_KEYS = ("foedselsnummer", "dNummer")


def keyword_attributes(keyword: Keyword) -> dict[str, Any]:
    return {"systemID": str(keyword.system_id), "noekkelord": keyword.text}


def identifier_attributes(identifier: NationalIdentifier) -> dict[str, Any]:
    """The kind's own fields; a person's number is taken out by the entity unless the reader may
    see it (``Entity.private_keys``)."""
    body: dict[str, Any] = {"systemID": str(identifier.system_id)}
    for name, (field, _) in IDENTIFIER_FIELDS[identifier.kind].items():
        value = getattr(identifier, field)
        body[name] = {"kode": value} if name == "koordinatsystem" and value else value
    return body


def identifier_owner(obj: Keyword | NationalIdentifier) -> Any:
    return obj.case_file or obj.folder or obj.registry_entry


def _filters(prefix: str) -> dict[str, str]:
    names = {
        f"nasjonalidentifikator/{kind}/{name}": f"{prefix}national_identifiers__{field}"
        for kind, fields in IDENTIFIER_FIELDS.items()
        for name, (field, _) in fields.items()
    }
    names["nasjonalidentifikator/foedselsnummer"] = f"{prefix}national_identifiers__person_number"
    names["nasjonalidentifikator/dnummer"] = f"{prefix}national_identifiers__person_number"
    names["nasjonalidentifikator/byggidentifikator/bygningsNummer"] = (
        f"{prefix}national_identifiers__building_number"
    )
    names["noekkelord/noekkelord"] = f"{prefix}keyword_objects__text"
    names["noekkelord"] = f"{prefix}keyword_objects__text"
    return names


ON_FILE_OR_RECORD_FILTERS = _filters("")


def _value(data: dict[str, Any], name: str, kind: type, most: int) -> Any:
    value = data.get(name)
    if isinstance(value, dict) and name == "koordinatsystem":
        value = value.get("kode")
    if value in (None, ""):
        return None
    if kind is int and (isinstance(value, bool) or not isinstance(value, int | str)):
        raise ValidationError(f"{name} må være et heltall.", code="invalid", field=name)
    if kind is int:
        text = str(value)
        if not (text.isascii() and text.isdigit() and len(text) <= 9):
            raise ValidationError(f"{name} må være et heltall ≥ 0.", code="invalid", field=name)
        return int(text)
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValidationError(f"{name} må være et tall.", code="invalid", field=name)
        return float(value)
    if not isinstance(value, str):
        raise ValidationError(f"{name} må være tekst.", code="invalid", field=name)
    if len(value) > most:
        raise ValidationError(f"{name} kan ikke være lengre enn {most} tegn.", code="too_long", field=name)
    return value


def _identifier(kind: str) -> Callable[[Any, dict[str, Any], User, Municipality], Any]:
    def create(on: Any, data: dict[str, Any], user: User, municipality: Municipality) -> Any:
        values = {}
        for name, (field, value_type) in IDENTIFIER_FIELDS[kind].items():
            most = getattr(NationalIdentifier._meta.get_field(field), "max_length", None) or 0
            values[field] = _value(data, name, value_type, most)
        return services.national_identifier_add(
            actor=user,
            municipality=municipality,
            on=on,
            identifier=services.NationalIdentifierInput(kind=kind, values=values),
        )

    return create


def new_keyword(on: Any, data: dict[str, Any], user: User, municipality: Municipality) -> Keyword:
    text = _value(data, "noekkelord", str, Keyword._meta.get_field("text").max_length or 200)
    return services.keyword_add(actor=user, municipality=municipality, on=on, text=text or "")


# ny-relation → (creator, entity of the result), for each file and record type
RELATIONS: dict[str, tuple[Callable[[Any, dict[str, Any], User, Municipality], Any], str]] = {
    "ny-noekkelord": (new_keyword, "noekkelord"),
    **{f"ny-{kind}": (_identifier(kind), "nasjonalidentifikator") for kind in IDENTIFIER_FIELDS},
}
OWNERS = ("mappe", "saksmappe", "journalpost", "arkivnotat")
IDENTIFIER_CREATORS = {(owner, relation): made for owner in OWNERS for relation, made in RELATIONS.items()}
# ny-* links on the owners: (package, permission); a person's number needs its own permission
IDENTIFIER_CREATES = {
    relation: ("arkivstruktur", "person" if relation in {"ny-foedselsnummer", "ny-dnummer"} else "register")
    for relation in RELATIONS
}
IDENTIFIER_CHILDREN: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "noekkelord": ("noekkelord", lambda o: o.keyword_objects.all()),
    "nasjonalidentifikator": ("nasjonalidentifikator", lambda o: o.national_identifiers.all()),
}
