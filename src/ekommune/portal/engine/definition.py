"""Form definitions: parsing and checking the JSON staff write (decisions/0030)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ekommune.portal.engine.constants import (
    DEFAULT_ACCEPT,
    DEFAULT_MAX_FILE_SIZE,
    FIELD_TYPES,
    KEY_PATTERN,
    KNOWN_FILE_TYPES,
    MAX_FILE_SIZE,
    MAX_GROUP_ROWS,
    MAX_TEXT,
    PREFILL_SOURCES,
)

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


FIELD_PROPERTIES = frozenset(
    {
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
)


def _field(raw: Any, path: str, *, in_group: bool) -> Field:
    """One field of a definition; its properties are checked in a fixed order, so that the first
    problem found is always the same one."""
    if not isinstance(raw, Mapping):
        raise DefinitionError("Et felt må være et objekt.", path=path)
    unknown = sorted(str(name) for name in raw if name not in FIELD_PROPERTIES)
    if unknown:
        raise DefinitionError(f"Ukjente egenskaper: {', '.join(unknown)}.", path=path)
    key, kind = _key_and_type(raw, path, in_group=in_group)
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise DefinitionError("«required» må være true eller false.", path=f"{path}.required")
    options = _options(raw, path, kind)
    low, high = _bounds(raw, path, kind)
    prefill = _text(raw, "prefill", path)
    if prefill and prefill not in PREFILL_SOURCES:
        raise DefinitionError(
            f"Ukjent forhåndsutfylling «{prefill}»; gyldige: {', '.join(PREFILL_SOURCES)}.",
            path=f"{path}.prefill",
        )
    show_if = _show_if(raw, path)
    accept, max_size = _file_rules(raw, path, kind)
    children, min_rows, max_rows = _group_rows(raw, path, kind, low=low, high=high, required=required)
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


def _key_and_type(raw: Mapping[str, Any], path: str, *, in_group: bool) -> tuple[str, str]:
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
    return key, kind


def _options(raw: Mapping[str, Any], path: str, kind: str) -> tuple[Option, ...]:
    """The answers of a choice field (text, or ``{"value", "label"}``); no other field has any."""
    if kind not in {"choice", "multichoice"}:
        if "options" in raw:
            raise DefinitionError("Bare valgfelt har svaralternativer.", path=f"{path}.options")
        return ()
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
    return tuple(parsed)


def _bounds(raw: Mapping[str, Any], path: str, kind: str) -> tuple[Decimal | None, Decimal | None]:
    """``min`` and ``max``: a number's bounds, or a group's rows."""
    low, high = _number(raw, "min", path), _number(raw, "max", path)
    if (low is not None or high is not None) and kind not in {"number", "group"}:
        raise DefinitionError("«min» og «max» gjelder bare tall og grupper.", path=path)
    if low is not None and high is not None and low > high:
        raise DefinitionError("«min» er større enn «max».", path=path)
    return low, high


def _show_if(raw: Mapping[str, Any], path: str) -> Condition | None:
    if "show_if" not in raw:
        return None
    raw_condition = raw["show_if"]
    if (
        not isinstance(raw_condition, Mapping)
        or not isinstance(raw_condition.get("field"), str)
        or not isinstance(raw_condition.get("equals"), str)
    ):
        raise DefinitionError(
            '«show_if» må være {"field": ..., "equals": ...} med tekstverdier.', path=f"{path}.show_if"
        )
    return Condition(field=raw_condition["field"], equals=raw_condition["equals"])


def _file_rules(raw: Mapping[str, Any], path: str, kind: str) -> tuple[tuple[str, ...], int]:
    """The file types a file field accepts and its largest size (the defaults for other fields)."""
    if kind != "file":
        return DEFAULT_ACCEPT, DEFAULT_MAX_FILE_SIZE
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
    return tuple(raw_accept), _integer(raw, "max_size", path, DEFAULT_MAX_FILE_SIZE, 1, MAX_FILE_SIZE)


def _group_rows(
    raw: Mapping[str, Any],
    path: str,
    kind: str,
    *,
    low: Decimal | None,
    high: Decimal | None,
    required: bool,
) -> tuple[tuple[Field, ...], int, int]:
    """A group's fields and its fewest and most rows; no other field has fields of its own."""
    if kind != "group":
        if "fields" in raw:
            raise DefinitionError("Bare grupper har underfelt.", path=f"{path}.fields")
        return (), 0, 10
    children = _fields(raw.get("fields"), f"{path}.fields", in_group=True)
    min_rows = int(low) if low is not None else (1 if required else 0)
    max_rows = int(high) if high is not None else 10
    if not (0 <= min_rows <= max_rows <= MAX_GROUP_ROWS) or max_rows < 1:
        raise DefinitionError(f"En gruppe har fra 0 til {MAX_GROUP_ROWS} rader.", path=path)
    return children, min_rows, max_rows


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
