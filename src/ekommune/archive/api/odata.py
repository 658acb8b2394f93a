"""The OData subset of the Noark 5 Tjenestegrensesnitt: ``$filter``, ``$orderby``, ``$top``, ``$skip``.

Grammar (``$filter``)::

    expr    := term ("or" term)*
    term    := factor ("and" factor)*
    factor  := "not" factor | "(" expr ")" | call | comparison
    call    := ("contains" | "startswith" | "endswith") "(" field "," literal ")"
    compare := field ("eq" | "ne" | "gt" | "ge" | "lt" | "le") literal
    literal := 'text' (quote doubled inside) | number | true | false | null | date/datetime

Fields are the Noark names the resource declares (e.g. ``tittel``, ``journalposttype``,
``journalstatus/kode``); anything else is a clear 400 error naming the field.

Bad input is a 400 ``invalid_filter``, never a server error: the text is at most
``MAX_FILTER_LENGTH`` characters and nests at most ``MAX_DEPTH`` levels (parentheses and ``not``),
and each value must fit its field (``saksaar eq 'abc'`` and ``opprettetDato gt 2024-13-45`` are
refused before the database sees them).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ekommune.core.errors import ValidationError
from ekommune.core.validators import is_ascii_digits

TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<datetime>\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)"
    r"|(?P<number>-?\d+(?:\.\d+)?)|(?P<punct>[(),])|(?P<word>[A-Za-z_][A-Za-z0-9_/:.-]*))"
)
COMPARISONS = {"eq": "exact", "ne": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
FUNCTIONS = {"contains": "icontains", "startswith": "istartswith", "endswith": "iendswith"}
MAX_FILTER_LENGTH = 2000
MAX_DEPTH = 20
MAX_SKIP = 2**31 - 1  # the database's OFFSET is a bigint; far beyond any list


def invalid(what: str, name: str = "$filter", code: str = "invalid_filter") -> ValidationError:
    return ValidationError(what, code=code, field=name)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_FILTER_LENGTH:
        raise invalid(f"$filter er lengre enn {MAX_FILTER_LENGTH} tegn.")
    if "\x00" in text:
        raise invalid("$filter inneholder et NUL-tegn.")
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = TOKEN.match(text, position)
        if match is None:
            raise ValidationError(
                f"Ugyldig $filter ved «{text[position : position + 20]}».",
                code="invalid_filter",
                field="$filter",
            )
        kind = match.lastgroup or ""
        tokens.append(Token(kind, match.group(kind)))
        position = match.end()
    return tokens


class FilterParser:
    def __init__(self, text: str, fields: dict[str, str], model: type[models.Model] | None = None) -> None:
        self.tokens = tokenize(text)
        self.position = 0
        self.fields = fields
        self.model = model
        self.depth = 0

    def parse(self) -> Q:
        query = self.expr()
        if self.position != len(self.tokens):
            raise self.error("uventet tekst")
        return query

    def error(self, what: str) -> ValidationError:
        near = " ".join(t.text for t in self.tokens[self.position : self.position + 3])
        return ValidationError(
            f"Ugyldig $filter: {what} ved «{near}».", code="invalid_filter", field="$filter"
        )

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, text: str | None = None) -> Token:
        token = self.peek()
        if token is None or (text is not None and token.text.lower() != text):
            raise self.error(f"ventet «{text}»" if text else "uttrykket slutter for tidlig")
        self.position += 1
        return token

    def expr(self) -> Q:
        query = self.term()
        while (token := self.peek()) is not None and token.text.lower() == "or":
            self.take()
            query |= self.term()
        return query

    def term(self) -> Q:
        query = self.factor()
        while (token := self.peek()) is not None and token.text.lower() == "and":
            self.take()
            query &= self.factor()
        return query

    def factor(self) -> Q:
        token = self.peek()
        if token is None:
            raise self.error("uttrykket slutter for tidlig")
        if token.text.lower() == "not" or token.text == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"mer enn {MAX_DEPTH} nivåer nøsting")
            query = self.nested()
            self.depth -= 1
            return query
        if token.kind == "word" and token.text.lower() in FUNCTIONS:
            function = FUNCTIONS[self.take().text.lower()]
            self.take("(")
            field = self.field()
            self.take(",")
            value = self.literal()
            self.take(")")
            if not isinstance(value, str):
                raise self.error("ventet en tekst i anførselstegn")
            return Q(**{f"{field}__{function}": value})
        return self.comparison()

    def nested(self) -> Q:
        if self.take().text == "(":
            query = self.expr()
            self.take(")")
            return query
        return ~self.factor()

    def comparison(self) -> Q:
        field = self.field()
        operator = self.take().text.lower()
        if operator not in COMPARISONS:
            raise self.error(f"ukjent operator «{operator}»")
        value = self.literal()
        if value is None:
            condition = Q(**{f"{field}__isnull": True})
            return ~condition if operator == "ne" else condition
        condition = Q(**{f"{field}__{COMPARISONS[operator]}": self.fitted(field, value)})
        return ~condition if operator == "ne" else condition

    def fitted(self, path: str, value: object) -> object:
        """The value as the field's own type; a value that cannot be one is the client's error."""
        target = model_field(self.model, path)
        if target is None:
            return value
        try:
            if isinstance(target, models.DateTimeField) and isinstance(value, dt.date | str):
                value = aware(value)
            python = target.to_python(value)
            target.get_prep_value(python)
        except (DjangoValidationError, ValueError, TypeError, OverflowError) as exc:
            raise self.error(f"verdien {value!r} passer ikke til feltet") from exc
        return python

    def field(self) -> str:
        token = self.take()
        name = token.text.removesuffix("/kode")
        if token.kind != "word" or name not in self.fields:
            raise ValidationError(
                f"Feltet «{token.text}» kan ikke brukes i $filter her; mulige: {', '.join(sorted(self.fields))}.",
                code="invalid_filter_field",
                field="$filter",
            )
        return self.fields[name]

    def literal(self) -> object:
        token = self.take()
        if token.kind == "string":
            return token.text[1:-1].replace("''", "'")
        if token.kind == "number":
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "datetime":
            try:
                if "T" in token.text:
                    return dt.datetime.fromisoformat(token.text.replace("Z", "+00:00"))
                return dt.date.fromisoformat(token.text)
            except ValueError as exc:
                raise self.error(f"ugyldig dato «{token.text}»") from exc
        lowered = token.text.lower()
        if lowered in {"true", "false"}:
            return lowered == "true"
        if lowered == "null":
            return None
        raise self.error("ventet en verdi")


def aware(value: dt.date | str) -> dt.datetime:
    """A date or time for a time-stamp field: a bare date is midnight, a time without zone local."""
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
        return aware(parsed)
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.min)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def model_field(model: type[models.Model] | None, path: str) -> models.Field[Any, Any] | None:
    """The model field at the end of an ORM path (``parties__role``), or None when unknown."""
    if model is None:
        return None
    target: Any = None
    for part in path.split("__"):
        try:
            target = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if target.is_relation and target.related_model is not None:
            model = target.related_model
    return target if isinstance(target, models.Field) else None


def filter_query(text: str, fields: dict[str, str], model: type[models.Model] | None = None) -> Q:
    return FilterParser(text, fields, model).parse() if text.strip() else Q()


def order_by(text: str, fields: dict[str, str]) -> list[str]:
    """``$orderby=tittel desc,opprettetDato`` → ORM ordering."""
    ordering = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, direction = part.partition(" ")
        name = name.removesuffix("/kode")
        if name not in fields:
            raise ValidationError(f"Kan ikke sortere på «{name}».", code="invalid_orderby", field="$orderby")
        if direction.strip().lower() not in {"", "asc", "desc"}:
            raise ValidationError(f"Ukjent retning «{direction}».", code="invalid_orderby", field="$orderby")
        ordering.append(("-" if direction.strip().lower() == "desc" else "") + fields[name])
    return ordering


def non_negative(value: str | None, name: str, default: int, maximum: int | None = None) -> int:
    if value is None or value == "":
        return default
    if not is_ascii_digits(value) or len(value) > 12 or int(value) > MAX_SKIP:
        raise ValidationError(
            f"{name} må være et heltall fra 0 til {MAX_SKIP}.", code="invalid_paging", field=name
        )
    number = int(value)
    return min(number, maximum) if maximum is not None else number
