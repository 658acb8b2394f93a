"""The form engine: forms declared as data (JSON), checked, rendered and validated.

A form definition is a JSON object (docs/decisions/0030-form-definition-format.md)::

    {"fields": [
        {"key": "navn", "type": "text", "label": "Navn", "required": true, "prefill": "name"},
        {"key": "har_barn", "type": "yesno", "label": "Har du barn?"},
        {"key": "barn", "type": "group", "label": "Barn", "min": 1, "max": 4,
         "show_if": {"field": "har_barn", "equals": "yes"},
         "fields": [{"key": "fnr", "type": "nin", "label": "Fødselsnummer"}]},
        {"key": "vedlegg", "type": "file", "label": "Vedlegg", "accept": ["application/pdf"]}
    ]}

Nothing here touches the database: ``definition_check`` validates a definition (staff edit it
as text), ``input_validate`` turns posted values into clean data or errors beside each field.
Neither raises on bad input; both return what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum.no import fodselsnummer, orgnr

FIELD_TYPES = (
    "text",
    "longtext",
    "number",
    "date",
    "choice",
    "multichoice",
    "yesno",
    "email",
    "phone",
    "address",
    "nin",
    "orgnr",
    "file",
    "group",
)
PREFILL_SOURCES = ("pid", "name", "organisation_number")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ]{8,15}$")
POSTAL_CODE_PATTERN = re.compile(r"^[0-9]{4}$")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_FILE_SIZE = 25 * 1024 * 1024
DEFAULT_ACCEPT = ("application/pdf", "image/jpeg", "image/png")
KNOWN_FILE_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/tiff", "text/plain")
MAX_TEXT = 10_000
MAX_GROUP_ROWS = 50
ADDRESS_PARTS = ("street", "postal_code", "city")

# Magic bytes of the attachment types the engine accepts (the content decides, not the name).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def sniff_content_type(head: bytes) -> str:
    """The type of a file from its first bytes: a known signature, plain UTF-8 text, or unknown."""
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"


# ------------------------------------------------------------------ definitions


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Condition:
    """``show_if``: the field is asked (and validated) only when another field has this value."""

    field: str
    equals: str


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    min: Decimal | None = None
    max: Decimal | None = None
    max_length: int = 0
    prefill: str = ""
    show_if: Condition | None = None
    accept: tuple[str, ...] = DEFAULT_ACCEPT
    max_size: int = DEFAULT_MAX_FILE_SIZE
    fields: tuple[Field, ...] = ()  # a group's fields
    min_rows: int = 0
    max_rows: int = 10

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    def option_label(self, value: str) -> str:
        return next((option.label for option in self.options if option.value == value), value)


@dataclass(frozen=True)
class Definition:
    fields: tuple[Field, ...]
    title: str = ""
    introduction: str = ""

    def all_fields(self) -> Iterable[Field]:
        for item in self.fields:
            yield item
            yield from item.fields


class DefinitionError(Exception):
    """A definition that the engine cannot use; ``path`` names where (``fields[2].options``)."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.message = message
        self.path = path


def _text(raw: Mapping[str, Any], name: str, path: str, *, required: bool = False) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str):
        raise DefinitionError(f"«{name}» må være tekst.", path=path)
    if required and not value.strip():
        raise DefinitionError(f"«{name}» mangler.", path=path)
    return value.strip()


def _number(raw: Mapping[str, Any], name: str, path: str) -> Decimal | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise DefinitionError(f"«{name}» må være et tall.", path=path)
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise DefinitionError(f"«{name}» må være et tall.", path=path) from error
    if not number.is_finite():
        raise DefinitionError(f"«{name}» må være et endelig tall.", path=path)
    return number


def _integer(raw: Mapping[str, Any], name: str, path: str, default: int, lowest: int, highest: int) -> int:
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise DefinitionError(f"«{name}» må være et heltall fra {lowest} til {highest}.", path=path)
    return value


def _field(raw: Any, path: str, *, in_group: bool) -> Field:
    if not isinstance(raw, Mapping):
        raise DefinitionError("Et felt må være et objekt.", path=path)
    known = {
        "key",
        "type",
        "label",
        "help",
        "required",
        "options",
        "min",
        "max",
        "max_length",
        "prefill",
        "show_if",
        "accept",
        "max_size",
        "fields",
    }
    unknown = sorted(str(name) for name in raw if name not in known)
    if unknown:
        raise DefinitionError(f"Ukjente egenskaper: {', '.join(unknown)}.", path=path)
    key = _text(raw, "key", path, required=True)
    if not KEY_PATTERN.fullmatch(key):
        raise DefinitionError(
            "«key» må starte med a–z og bare ha a–z, 0–9 og _ (høyst 40 tegn).", path=f"{path}.key"
        )
    kind = _text(raw, "type", path, required=True)
    if kind not in FIELD_TYPES:
        raise DefinitionError(
            f"Ukjent felttype «{kind}»; gyldige: {', '.join(FIELD_TYPES)}.", path=f"{path}.type"
        )
    if kind == "group" and in_group:
        raise DefinitionError("Grupper kan ikke ligge i grupper.", path=f"{path}.type")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise DefinitionError("«required» må være true eller false.", path=f"{path}.required")
    options: tuple[Option, ...] = ()
    if kind in {"choice", "multichoice"}:
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or not raw_options:
            raise DefinitionError("Et valgfelt må ha en liste med svaralternativer.", path=f"{path}.options")
        parsed = []
        for index, raw_option in enumerate(raw_options):
            option_path = f"{path}.options[{index}]"
            if isinstance(raw_option, str):
                raw_option = {"value": raw_option, "label": raw_option}
            if not isinstance(raw_option, Mapping):
                raise DefinitionError("Et svaralternativ må være tekst eller et objekt.", path=option_path)
            value = _text(raw_option, "value", option_path, required=True)
            parsed.append(Option(value=value, label=_text(raw_option, "label", option_path) or value))
        if len({option.value for option in parsed}) != len(parsed):
            raise DefinitionError("To svaralternativer har samme verdi.", path=f"{path}.options")
        options = tuple(parsed)
    elif "options" in raw:
        raise DefinitionError("Bare valgfelt har svaralternativer.", path=f"{path}.options")
    low, high = _number(raw, "min", path), _number(raw, "max", path)
    if (low is not None or high is not None) and kind not in {"number", "group"}:
        raise DefinitionError("«min» og «max» gjelder bare tall og grupper.", path=path)
    if low is not None and high is not None and low > high:
        raise DefinitionError("«min» er større enn «max».", path=path)
    prefill = _text(raw, "prefill", path)
    if prefill and prefill not in PREFILL_SOURCES:
        raise DefinitionError(
            f"Ukjent forhåndsutfylling «{prefill}»; gyldige: {', '.join(PREFILL_SOURCES)}.",
            path=f"{path}.prefill",
        )
    show_if = None
    if "show_if" in raw:
        raw_condition = raw["show_if"]
        if (
            not isinstance(raw_condition, Mapping)
            or not isinstance(raw_condition.get("field"), str)
            or not isinstance(raw_condition.get("equals"), str)
        ):
            raise DefinitionError(
                '«show_if» må være {"field": ..., "equals": ...} med tekstverdier.', path=f"{path}.show_if"
            )
        show_if = Condition(field=raw_condition["field"], equals=raw_condition["equals"])
    accept = DEFAULT_ACCEPT
    max_size = DEFAULT_MAX_FILE_SIZE
    if kind == "file":
        raw_accept = raw.get("accept", list(DEFAULT_ACCEPT))
        if (
            not isinstance(raw_accept, list)
            or not raw_accept
            or any(item not in KNOWN_FILE_TYPES for item in raw_accept)
        ):
            raise DefinitionError(
                f"«accept» må være en liste med filtyper blant {', '.join(KNOWN_FILE_TYPES)}.",
                path=f"{path}.accept",
            )
        accept = tuple(raw_accept)
        max_size = _integer(raw, "max_size", path, DEFAULT_MAX_FILE_SIZE, 1, MAX_FILE_SIZE)
    children: tuple[Field, ...] = ()
    min_rows, max_rows = 0, 10
    if kind == "group":
        children = _fields(raw.get("fields"), f"{path}.fields", in_group=True)
        min_rows = int(low) if low is not None else (1 if required else 0)
        max_rows = int(high) if high is not None else 10
        if not (0 <= min_rows <= max_rows <= MAX_GROUP_ROWS) or max_rows < 1:
            raise DefinitionError(f"En gruppe har fra 0 til {MAX_GROUP_ROWS} rader.", path=path)
    elif "fields" in raw:
        raise DefinitionError("Bare grupper har underfelt.", path=f"{path}.fields")
    return Field(
        key=key,
        type=kind,
        label=_text(raw, "label", path, required=True),
        help=_text(raw, "help", path),
        required=required,
        options=options,
        min=low if kind == "number" else None,
        max=high if kind == "number" else None,
        max_length=_integer(raw, "max_length", path, 0, 0, MAX_TEXT),
        prefill=prefill,
        show_if=show_if,
        accept=accept,
        max_size=max_size,
        fields=children,
        min_rows=min_rows,
        max_rows=max_rows,
    )


def _fields(raw: Any, path: str, *, in_group: bool) -> tuple[Field, ...]:
    if not isinstance(raw, list) or not raw:
        raise DefinitionError("«fields» må være en ikke-tom liste.", path=path)
    parsed = tuple(_field(item, f"{path}[{index}]", in_group=in_group) for index, item in enumerate(raw))
    keys = [item.key for item in parsed]
    duplicate = next((key for key in keys if keys.count(key) > 1), None)
    if duplicate:
        raise DefinitionError(f"Nøkkelen «{duplicate}» er brukt to ganger.", path=path)
    for index, item in enumerate(parsed):
        if item.show_if is None:
            continue
        target = next((other for other in parsed[:index] if other.key == item.show_if.field), None)
        if target is None or target.type not in {"choice", "yesno", "text", "number"}:
            raise DefinitionError(
                "«show_if» må vise til et valg-, ja/nei-, tekst- eller tallfelt tidligere på samme nivå.",
                path=f"{path}[{index}].show_if",
            )
    return parsed


def definition_parse(raw: Any) -> Definition:
    """The definition, or ``DefinitionError`` saying what is wrong and where."""
    if not isinstance(raw, Mapping):
        raise DefinitionError("Skjemadefinisjonen må være et JSON-objekt.")
    unknown = sorted(str(name) for name in raw if name not in {"title", "introduction", "fields"})
    if unknown:
        raise DefinitionError(f"Ukjente egenskaper: {', '.join(unknown)}.")
    return Definition(
        fields=_fields(raw.get("fields"), "fields", in_group=False),
        title=_text(raw, "title", "title"),
        introduction=_text(raw, "introduction", "introduction"),
    )


def definition_errors(raw: Any) -> list[str]:
    """What is wrong with a definition (empty when it can be used)."""
    try:
        definition_parse(raw)
    except DefinitionError as error:
        return [str(error)]
    return []


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
    count = int(text) if text.isdigit() and len(text) < 4 else max(item.min_rows, 1)
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


def _check_text(item: Field, text: str) -> str | None:
    limit = item.max_length or (MAX_TEXT if item.type == "longtext" else 500)
    if len(text) > limit:
        return f"Skriv høyst {limit} tegn."
    return None


def _scalar(
    item: Field, values: Mapping[str, Any], name: str, files: Mapping[str, UploadedFile]
) -> tuple[Any, str | None]:
    """One field's clean value (None when empty) and its error."""
    kind = item.type
    if kind == "multichoice":
        chosen = _values(values, name)
        allowed = {option.value for option in item.options}
        if any(choice not in allowed for choice in chosen):
            return None, "Velg blant alternativene."
        return ([choice for choice in (o.value for o in item.options) if choice in chosen] or None), None
    if kind == "address":
        parts = {part: _value(values, f"{name}-{part}") for part in ADDRESS_PARTS}
        if not any(parts.values()):
            return None, None
        if not all(parts.values()):
            return None, "Fyll ut gateadresse, postnummer og poststed."
        if not POSTAL_CODE_PATTERN.fullmatch(parts["postal_code"]):
            return None, "Postnummeret må ha fire sifre."
        if any(len(text) > 200 for text in parts.values()):
            return None, "Adressen er for lang."
        return parts, None
    if kind == "file":
        upload = files.get(name)
        if upload is None:
            return None, None
        if upload.size > item.max_size:
            return None, f"Filen er for stor (høyst {item.max_size // (1024 * 1024) or 1} MB)."
        if upload.size == 0:
            return None, "Filen er tom."
        sniffed = sniff_content_type(upload.head)
        if sniffed not in item.accept:
            return None, "Filtypen er ikke tillatt her. Last opp " + ", ".join(
                _type_name(mime) for mime in item.accept
            ) + "."
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
        return text, _check_text(item, text)
    if kind == "number":
        try:
            number = Decimal(text.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            return None, "Skriv et tall."
        if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
            return None, "Skriv et tall."
        if item.min is not None and number < item.min:
            return None, f"Tallet må være minst {item.min}."
        if item.max is not None and number > item.max:
            return None, f"Tallet må være høyst {item.max}."
        return str(number.normalize() if number == number.to_integral_value() else number), None
    if kind == "date":
        try:
            parsed = _parse_date(text)
        except ValueError:
            return None, "Skriv en dato som dd.mm.åååå."
        return parsed.isoformat(), None
    if kind == "choice":
        if text not in {option.value for option in item.options}:
            return None, "Velg et av alternativene."
        return text, None
    if kind == "yesno":
        if text not in {"yes", "no"}:
            return None, "Svar ja eller nei."
        return text, None
    if kind == "email":
        if len(text) > 254 or not EMAIL_PATTERN.fullmatch(text):
            return None, "Skriv en gyldig e-postadresse, som navn@eksempel.no."
        return text, None
    if kind == "phone":
        if not PHONE_PATTERN.fullmatch(text):
            return None, "Skriv et telefonnummer med 8 sifre (eventuelt med landskode)."
        return text.replace(" ", ""), None
    if kind == "nin":
        compact = text.replace(" ", "")
        if not fodselsnummer.is_valid(compact):
            return None, "Fødselsnummeret er ikke gyldig (11 siffer)."
        return compact, None
    if kind == "orgnr":
        compact = text.replace(" ", "")
        if not orgnr.is_valid(compact):
            return None, "Organisasjonsnummeret er ikke gyldig (9 siffer)."
        return compact, None
    return None, "Ukjent felttype."  # pragma: no cover - definitions are checked before use


def _parse_date(text: str) -> dt.date:
    """``2026-03-01`` or ``01.03.2026``; ValueError otherwise."""
    if "-" in text:
        return dt.date.fromisoformat(text)
    day, month, year = text.split(".") if text.count(".") == 2 else ("", "", "")
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
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
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for item in fields:
        name = prefix + item.key
        if not is_shown(item, values, prefix):
            continue
        if item.is_group:
            rows = []
            for index in range(group_row_count(values, item)):
                rows.append(_validate_level(item.fields, values, files, f"{name}-{index}-", result))
            rows = [row for row in rows if row]
            if len(rows) < item.min_rows:
                result.errors.setdefault(
                    f"{name}-0-{item.fields[0].key}",
                    (f"Fyll ut minst {item.min_rows} {'rad' if item.min_rows == 1 else 'rader'}."),
                )
            clean[item.key] = rows
            continue
        value, error = _scalar(item, values, name, files)
        if error is None and value is None and item.required:
            error = "Velg en fil." if item.type == "file" else "Feltet må fylles ut."
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
