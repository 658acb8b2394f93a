"""Posted values to clean data or errors beside each field; never raises on any input.

Every error names its field by its label («Navn»; in a repeating group «Barn 2: Navn»), so that
the error summary's links and the text beside each field say which field they are about
(decision 0177). Texts are bokmål through gettext, in the language of the request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from stdnum.no import fodselsnummer, orgnr

from ekommune.core.validators import is_ascii_digits
from ekommune.portal.engine.constants import (
    ADDRESS_PARTS,
    EMAIL_PATTERN,
    MAX_TEXT,
    PHONE_PATTERN,
    POSTAL_CODE_PATTERN,
    sniff_content_type,
)
from ekommune.portal.engine.definition import (
    Definition,
    Field,
)

# ------------------------------------------------------------------ input


@dataclass(frozen=True)
class UploadedFile:
    """An attachment as the engine sees it: name, size and the first bytes (for sniffing)."""

    name: str
    size: int
    head: bytes
    reference: str = ""  # where the caller keeps the content (a draft attachment id)


@dataclass
class Result:
    """Clean data (JSON-ready) and errors by input name (``barn-0-fnr``)."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def group_row_count(values: Mapping[str, Any], item: Field) -> int:
    """How many rows of a repeating group the citizen has (from ``<key>-count``), within limits."""
    raw = values.get(f"{item.key}-count", "")
    text = raw if isinstance(raw, str) else ""
    count = int(text) if is_ascii_digits(text) and len(text) < 4 else max(item.min_rows, 1)
    return max(item.min_rows, min(count, item.max_rows))


def _value(values: Mapping[str, Any], name: str) -> str:
    raw = values.get(name, "")
    if isinstance(raw, list):
        raw = raw[0] if raw else ""
    return raw.strip() if isinstance(raw, str) else ""


def _values(values: Mapping[str, Any], name: str) -> list[str]:
    raw = values.get(name, [])
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return [item for item in raw if isinstance(item, str)]


def is_shown(item: Field, values: Mapping[str, Any], prefix: str = "") -> bool:
    if item.show_if is None:
        return True
    return _value(values, prefix + item.show_if.field) == item.show_if.equals


def _check_text(item: Field, text: str, label: str) -> str | None:
    limit = item.max_length or (MAX_TEXT if item.type == "longtext" else 500)
    if len(text) > limit:
        return _("Skriv høyst %(limit)s tegn i «%(label)s».") % {"limit": limit, "label": label}
    return None


def required_message(item: Field, label: str) -> str:
    """The error of a required field left empty, naming it (GOV.UK/Altinn style)."""
    if item.type == "file":
        return _("Last opp en fil i «%(label)s».") % {"label": label}
    if item.type in {"choice", "yesno", "multichoice"}:
        return _("Velg et svar i «%(label)s».") % {"label": label}
    return _("Fyll ut «%(label)s».") % {"label": label}


def _scalar(
    item: Field, values: Mapping[str, Any], name: str, files: Mapping[str, UploadedFile], label: str
) -> tuple[Any, str | None]:
    """One field's clean value (None when empty) and its error, naming the field by ``label``."""
    kind = item.type
    named = {"label": label}
    if kind == "multichoice":
        chosen = _values(values, name)
        allowed = {option.value for option in item.options}
        if any(choice not in allowed for choice in chosen):
            return None, _("Velg blant alternativene i «%(label)s».") % named
        return ([choice for choice in (o.value for o in item.options) if choice in chosen] or None), None
    if kind == "address":
        parts = {part: _value(values, f"{name}-{part}") for part in ADDRESS_PARTS}
        if not any(parts.values()):
            return None, None
        if not all(parts.values()):
            return None, _("Fyll ut gateadresse, postnummer og poststed i «%(label)s».") % named
        if not POSTAL_CODE_PATTERN.fullmatch(parts["postal_code"]):
            return None, _("Postnummeret i «%(label)s» må ha fire sifre.") % named
        if any(len(text) > 200 for text in parts.values()):
            return None, _("Adressen i «%(label)s» er for lang.") % named
        return parts, None
    if kind == "file":
        upload = files.get(name)
        if upload is None:
            return None, None
        if upload.size > item.max_size:
            return None, _("Filen i «%(label)s» er for stor (høyst %(size)s MB).") % {
                **named,
                "size": item.max_size // (1024 * 1024) or 1,
            }
        if upload.size == 0:
            return None, _("Filen i «%(label)s» er tom.") % named
        sniffed = sniff_content_type(upload.head)
        if sniffed not in item.accept:
            return None, _("Filtypen i «%(label)s» er ikke tillatt. Last opp %(types)s.") % {
                **named,
                "types": ", ".join(_type_name(mime) for mime in item.accept),
            }
        return {
            "file_name": upload.name[:200],
            "size": upload.size,
            "content_type": sniffed,
            "reference": upload.reference,
        }, None
    text = _value(values, name)
    if not text:
        return None, None
    if kind in {"text", "longtext"}:
        return text, _check_text(item, text, label)
    if kind == "number":
        try:
            number = Decimal(text.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            return None, _("Skriv et tall i «%(label)s».") % named
        if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
            return None, _("Skriv et tall i «%(label)s».") % named
        if item.min is not None and number < item.min:
            return None, _("«%(label)s» må være minst %(min)s.") % {**named, "min": item.min}
        if item.max is not None and number > item.max:
            return None, _("«%(label)s» må være høyst %(max)s.") % {**named, "max": item.max}
        return str(number.normalize() if number == number.to_integral_value() else number), None
    if kind == "date":
        try:
            parsed = _parse_date(text)
        except ValueError:
            return None, _("Skriv «%(label)s» som en dato, dd.mm.åååå.") % named
        return parsed.isoformat(), None
    if kind == "choice":
        if text not in {option.value for option in item.options}:
            return None, _("Velg et av alternativene i «%(label)s».") % named
        return text, None
    if kind == "yesno":
        if text not in {"yes", "no"}:
            return None, _("Svar ja eller nei i «%(label)s».") % named
        return text, None
    if kind == "email":
        if len(text) > 254 or not EMAIL_PATTERN.fullmatch(text):
            return None, _("Skriv en gyldig e-postadresse i «%(label)s», som navn@eksempel.no.") % named
        return text, None
    if kind == "phone":
        if not PHONE_PATTERN.fullmatch(text):
            return None, _(
                "Skriv et telefonnummer med 8 sifre i «%(label)s» (eventuelt med landskode)."
            ) % named
        return text.replace(" ", ""), None
    if kind == "nin":
        compact = text.replace(" ", "")
        if not fodselsnummer.is_valid(compact):
            return None, _("Fødselsnummeret i «%(label)s» er ikke gyldig (11 siffer).") % named
        return compact, None
    if kind == "orgnr":
        compact = text.replace(" ", "")
        if not orgnr.is_valid(compact):
            return None, _("Organisasjonsnummeret i «%(label)s» er ikke gyldig (9 siffer).") % named
        return compact, None
    return None, _("Ukjent felttype.")  # pragma: no cover - definitions are checked before use


def _parse_date(text: str) -> dt.date:
    """``2026-03-01`` or ``01.03.2026``; ValueError otherwise."""
    if "-" in text:
        return dt.date.fromisoformat(text)
    day, month, year = text.split(".") if text.count(".") == 2 else ("", "", "")
    if not (is_ascii_digits(day) and is_ascii_digits(month) and is_ascii_digits(year) and len(year) == 4):
        raise ValueError(text)
    return dt.date(int(year), int(month), int(day))


def _type_name(mime: str) -> str:
    return {
        "application/pdf": "PDF",
        "image/jpeg": "JPEG",
        "image/png": "PNG",
        "image/tiff": "TIFF",
        "text/plain": "tekst",
    }.get(mime, mime)


def _validate_level(
    fields: Sequence[Field],
    values: Mapping[str, Any],
    files: Mapping[str, UploadedFile],
    prefix: str,
    result: Result,
    row: str = "",
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for item in fields:
        name = prefix + item.key
        if not is_shown(item, values, prefix):
            continue
        if item.is_group:
            rows = []
            for index in range(group_row_count(values, item)):
                rows.append(
                    _validate_level(
                        item.fields, values, files, f"{name}-{index}-", result, f"{item.label} {index + 1}"
                    )
                )
            rows = [row for row in rows if row]
            if len(rows) < item.min_rows:
                result.errors.setdefault(
                    f"{name}-0-{item.fields[0].key}",
                    ngettext(
                        "Fyll ut minst %(count)s rad i «%(label)s».",
                        "Fyll ut minst %(count)s rader i «%(label)s».",
                        item.min_rows,
                    )
                    % {"count": item.min_rows, "label": item.label},
                )
            clean[item.key] = rows
            continue
        label = f"{row}: {item.label}" if row else item.label  # «Barn 2: Navn»
        value, error = _scalar(item, values, name, files, label)
        if error is None and value is None and item.required:
            error = required_message(item, label)
        if error is not None:
            result.errors[name] = error
        elif value is not None:
            clean[item.key] = value
    return clean


def input_validate(
    definition: Definition, values: Mapping[str, Any], files: Mapping[str, UploadedFile] | None = None
) -> Result:
    """Clean data from posted ``values`` (strings or lists of strings by input name) and ``files``.

    Fields hidden by ``show_if`` are neither validated nor kept. Never raises on any input.
    """
    result = Result()
    result.data = _validate_level(definition.fields, values, files or {}, "", result)
    return result


def prefill_values(definition: Definition, sources: Mapping[str, str]) -> dict[str, str]:
    """Initial values from the login (``pid``, ``name``, ``organisation_number``) where asked for."""
    return {
        item.key: sources[item.prefill]
        for item in definition.fields
        if item.prefill and sources.get(item.prefill)
    }


def display_rows(definition: Definition, data: Mapping[str, Any]) -> list[tuple[str, str, int]]:
    """(label, value as text, depth) for a summary or receipt, in the form's order."""
    rows: list[tuple[str, str, int]] = []

    def text_of(item: Field, value: Any) -> str:
        if item.type == "multichoice":
            return ", ".join(item.option_label(choice) for choice in value)
        if item.type == "choice":
            return item.option_label(value)
        if item.type == "yesno":
            return "Ja" if value == "yes" else "Nei"
        if item.type == "address":
            return f"{value['street']}, {value['postal_code']} {value['city']}"
        if item.type == "file":
            return f"{value['file_name']} ({_type_name(value['content_type'])}, {value['size']} byte)"
        if item.type == "date":
            return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
        return str(value)

    for item in definition.fields:
        if item.key not in data:
            continue
        if item.is_group:
            for index, row in enumerate(data[item.key], start=1):
                rows.append((f"{item.label} {index}", "", 0))
                for child in item.fields:
                    if child.key in row:
                        rows.append((child.label, text_of(child, row[child.key]), 1))
            continue
        rows.append((item.label, text_of(item, data[item.key]), 0))
    return rows


def file_references(definition: Definition, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every attachment in clean data, in the form's order."""
    found: list[dict[str, Any]] = []
    for item in definition.fields:
        if item.type == "file" and item.key in data:
            found.append(data[item.key])
        if item.is_group:
            for row in data.get(item.key, []):
                found.extend(
                    row[child.key] for child in item.fields if child.type == "file" and child.key in row
                )
    return found
