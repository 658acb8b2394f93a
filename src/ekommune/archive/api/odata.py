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
FUNCTIONS = {
    "contains": "icontains",
    "startswith": "istartswith",
    "endswith": "iendswith",
    "substringof": "icontains",
}
DATE_PARTS = {"year": "year", "month": "month", "day": "day"}
DATE_PREFIXES = {"datetime", "date", "datetimeoffset"}  # DateTime'2017-02-15' (the spec's examples)
LITERAL_WORDS = {"true", "false", "null", *DATE_PREFIXES}
TYPE_SEGMENT = re.compile(r"Default\.[A-Za-z]+")
PRIVATE_SEGMENTS = {"foedselsnummer", "dnummer"}
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
        self.lambdas: dict[str, str] = {}  # any(v: ...) variable → collection path

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
        lowered = token.text.lower()
        if lowered == "not" or token.text == "(" or lowered.endswith(("/any", "/all")):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"mer enn {MAX_DEPTH} nivåer nøsting")
            query = self.any() if lowered.endswith(("/any", "/all")) else self.nested()
            self.depth -= 1
            return query
        if token.kind == "word" and lowered in FUNCTIONS:
            return self.call()
        if token.kind == "word" and lowered in DATE_PARTS and self.following("("):
            return self.comparison(part=DATE_PARTS[lowered])
        return self.comparison()

    def following(self, text: str) -> bool:
        after = self.position + 1
        return after < len(self.tokens) and self.tokens[after].text == text

    def nested(self) -> Q:
        if self.take().text == "(":
            query = self.expr()
            self.take(")")
            return query
        return ~self.factor()

    def any(self) -> Q:
        """``part/any(p: p/navn eq 'x')``: a condition on the objects of a collection (each
        comparison inside on any of them); ``Default.<Type>`` segments are read past."""
        collection, _, how = self.take().text.rpartition("/")
        if how.lower() != "any":
            raise self.error("bare any() støttes, ikke all()")
        self.take("(")
        head = self.take()
        variable, colon, rest = head.text.partition(":")
        if head.kind != "word" or not colon or not variable:
            raise self.error("ventet «variabel:» i any()")
        if rest:
            self.tokens.insert(self.position, Token("word", rest))
        self.lambdas[variable] = collection
        query = self.expr()
        self.take(")")
        del self.lambdas[variable]
        return query

    def call(self) -> Q:
        """contains/startswith/endswith(felt, 'tekst'), either order (the spec's examples have
        ``contains('tekst', tittel)``), ``substringof('tekst', felt)``, optionally ``eq true``."""
        lookup = FUNCTIONS[self.take().text.lower()]
        self.take("(")
        arguments = [self.argument()]
        self.take(",")
        arguments.append(self.argument())
        self.take(")")
        paths = [value for is_field, value in arguments if is_field]
        texts = [value for is_field, value in arguments if not is_field]
        if len(paths) != 1 or not isinstance(texts[0], str):
            raise self.error("ventet ett felt og én tekst i anførselstegn")
        condition = self.condition(str(paths[0]), lookup, texts[0])
        token = self.peek()
        if token is not None and token.text.lower() in {"eq", "ne"}:
            self.take()
            wanted = self.literal()
            if not isinstance(wanted, bool):
                raise self.error("ventet true eller false")
            if (token.text.lower() == "eq") != wanted:
                condition = ~condition
        return condition

    def argument(self) -> tuple[bool, object]:
        token = self.peek()
        if token is not None and token.kind == "word" and token.text.lower() not in LITERAL_WORDS:
            return True, self.field()
        return False, self.literal()

    def comparison(self, part: str = "") -> Q:
        if part:
            self.take()
            self.take("(")
            field = self.field()
            self.take(")")
        else:
            field = self.field()
        operator = self.take().text.lower()
        if operator not in COMPARISONS:
            raise self.error(f"ukjent operator «{operator}»")
        value = self.literal()
        if value is None:  # ne null: has a value (through a collection: some object has one)
            present = self.present(field)
            return present if operator == "ne" else ~present
        if part:
            if not isinstance(value, int) or isinstance(value, bool):
                raise self.error(f"{part}() sammenlignes med et heltall")
            condition = self.condition(field, f"{part}__{COMPARISONS[operator]}", value)
        else:
            condition = self.condition(field, COMPARISONS[operator], self.fitted(field, value))
        return ~condition if operator == "ne" else condition

    def present(self, path: str) -> Q:
        """A value is there (for a text: not the empty text, as texts are stored "")."""
        if not path:
            return Q(pk__in=[])
        condition = Q(**{f"{path}__isnull": False})
        if isinstance(model_field(self.model, path), models.CharField | models.TextField):
            condition &= ~Q(**{path: ""})
        return self.through(path, condition)

    def condition(self, path: str, lookup: str, value: object) -> Q:
        """One comparison; on a type without that collection ("" path) it matches nothing."""
        if not path:
            return Q(pk__in=[])
        return self.through(path, Q(**{f"{path}__{lookup}": value}))

    def through(self, path: str, condition: Q) -> Q:
        """Through a collection (``part/navn``) a comparison is a sub-query — the object has such
        a part — so that an object is never listed twice."""
        if self.model is not None and crosses_many(self.model, path):
            return Q(pk__in=self.model._default_manager.filter(condition).values("pk"))
        return condition

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
        name = self.normalised(token.text).removesuffix("/kode")
        if token.kind != "word" or name not in self.fields:
            raise ValidationError(
                f"Feltet «{token.text}» kan ikke brukes i $filter her; mulige: {', '.join(sorted(self.fields))}.",
                code="invalid_filter_field",
                field="$filter",
            )
        return self.fields[name]

    def normalised(self, text: str) -> str:
        """A lambda variable replaced by its collection, ``Default.<Type>`` dropped, and the v4
        name ``sakspart`` read as ``part``."""
        segments = text.split("/")
        if segments[0] in self.lambdas:
            segments = [*self.lambdas[segments[0]].split("/"), *segments[1:]]
        segments = [segment for segment in segments if not TYPE_SEGMENT.fullmatch(segment)]
        if segments and segments[0] == "sakspart":
            segments[0] = "part"
        return "/".join(segments)

    def literal(self) -> object:
        token = self.take()
        if token.kind == "string":
            return token.text[1:-1].replace("''", "'")
        if token.kind == "number":
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "datetime":
            return self.date_literal(token.text)
        lowered = token.text.lower()
        if lowered in DATE_PREFIXES and (quoted := self.peek()) is not None and quoted.kind == "string":
            self.take()
            return self.date_literal(quoted.text[1:-1])
        if lowered in {"true", "false"}:
            return lowered == "true"
        if lowered == "null":
            return None
        raise self.error("ventet en verdi")

    def date_literal(self, text: str) -> dt.date:
        try:
            if "T" in text:
                return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise self.error(f"ugyldig dato «{text[:40]}»") from exc


def visible(fields: dict[str, str], *, private: bool) -> dict[str, str]:
    """The ``$filter`` names a reader may use: a person's number only for those who may see it."""
    if private:
        return fields
    return {
        name: path
        for name, path in fields.items()
        if not any(segment.lower() in PRIVATE_SEGMENTS for segment in name.split("/"))
    }


def sortable(fields: dict[str, str]) -> dict[str, str]:
    """The names ``$orderby`` takes: the type's own fields, not those reached through others."""
    return {name: path for name, path in fields.items() if path and "__" not in path}


def crosses_many(model: type[models.Model], path: str) -> bool:
    """Whether an ORM path goes through a collection (one-to-many or many-to-many)."""
    for part in path.split("__"):
        try:
            target: Any = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if target.one_to_many or target.many_to_many:
            return True
        if target.is_relation and target.related_model is not None:
            model = target.related_model
    return False


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
