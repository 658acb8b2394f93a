"""The form engine: definitions checked, every field type validated, and no input makes it fail."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ekommune.portal import engine
from ekommune.portal.engine import Definition, DefinitionError, UploadedFile, definition_parse, input_validate


def form(*fields: dict[str, Any]) -> Definition:
    return definition_parse({"fields": list(fields)})


@pytest.mark.parametrize(
    ("field", "value", "clean", "error"),
    [
        ({"type": "text"}, " Kari ", "Kari", None),
        ({"type": "text", "max_length": 3}, "Kari", None, "Skriv høyst 3 tegn i «F»."),
        ({"type": "longtext"}, "linje\nlinje", "linje\nlinje", None),
        ({"type": "number", "min": 1, "max": 10}, "3,5", "3.5", None),
        ({"type": "number", "min": 1, "max": 10}, "11", None, "«F» må være høyst 10."),
        ({"type": "number"}, "NaN", None, "Skriv et tall i «F»."),
        ({"type": "number"}, "1e400", None, "Skriv et tall i «F»."),
        ({"type": "date"}, "01.08.2027", "2027-08-01", None),
        ({"type": "date"}, "2027-02-30", None, "Skriv «F» som en dato, dd.mm.åååå."),
        ({"type": "date"}, "31.02.2027", None, "Skriv «F» som en dato, dd.mm.åååå."),
        ({"type": "choice", "options": ["a", "b"]}, "b", "b", None),
        ({"type": "choice", "options": ["a", "b"]}, "c", None, "Velg et av alternativene i «F»."),
        ({"type": "yesno"}, "yes", "yes", None),
        ({"type": "yesno"}, "kanskje", None, "Svar ja eller nei i «F»."),
        ({"type": "email"}, "kari@example.org", "kari@example.org", None),
        ({"type": "email"}, "kari@", None, "Skriv en gyldig e-postadresse i «F», som navn@eksempel.no."),
        ({"type": "phone"}, "+47 912 34 567", "+4791234567", None),
        (
            {"type": "phone"},
            "12",
            None,
            "Skriv et telefonnummer med 8 sifre i «F» (eventuelt med landskode).",
        ),
        ({"type": "nin"}, "010185 10002", "01018510002", None),
        ({"type": "nin"}, "01018510003", None, "Fødselsnummeret i «F» er ikke gyldig (11 siffer)."),
        ({"type": "orgnr"}, "974 760 673", "974760673", None),
        ({"type": "orgnr"}, "974760674", None, "Organisasjonsnummeret i «F» er ikke gyldig (9 siffer)."),
    ],
)
def test_each_field_type_is_validated(
    field: dict[str, Any], value: str, clean: Any, error: str | None
) -> None:
    result = input_validate(form({"key": "f", "label": "F", **field}), {"f": value})
    assert result.data.get("f") == clean
    assert result.errors.get("f") == error


def test_required_fields_and_multiple_choice_and_address() -> None:
    definition = form(
        {"key": "navn", "type": "text", "label": "Navn", "required": True},
        {"key": "valg", "type": "multichoice", "label": "Valg", "options": ["a", "b", "c"]},
        {"key": "adresse", "type": "address", "label": "Adresse"},
    )
    result = input_validate(
        definition,
        {
            "valg": ["c", "a"],
            "adresse-street": "Storgata 1",
            "adresse-postal_code": "549",
            "adresse-city": "By",
        },
    )
    assert result.errors == {
        "navn": "Fyll ut «Navn».",
        "adresse": "Postnummeret i «Adresse» må ha fire sifre.",
    }
    assert result.data == {"valg": ["a", "c"]}
    assert input_validate(definition, {"valg": ["x"]}).errors["valg"] == "Velg blant alternativene i «Valg»."
    ok = input_validate(
        definition,
        {
            "navn": "K",
            "adresse-street": "Storgata 1",
            "adresse-postal_code": "5490",
            "adresse-city": "Fjordvik",
        },
    )
    assert ok.data["adresse"] == {"street": "Storgata 1", "postal_code": "5490", "city": "Fjordvik"}


def test_each_required_field_left_empty_is_named_in_its_error() -> None:
    definition = form(
        {"key": "navn", "type": "text", "label": "Elevens navn", "required": True},
        {"key": "fnr", "type": "nin", "label": "Elevens fødselsnummer", "required": True},
        {"key": "skole", "type": "choice", "label": "Skole", "options": ["a", "b"], "required": True},
        {"key": "vedlegg", "type": "file", "label": "Vedtak", "required": True},
        {
            "key": "barn",
            "type": "group",
            "label": "Søsken",
            "min": 2,
            "max": 3,
            "fields": [{"key": "navn", "type": "text", "label": "Navn", "required": True}],
        },
    )
    errors = input_validate(definition, {"barn-count": "2"}).errors
    assert errors == {
        "navn": "Fyll ut «Elevens navn».",
        "fnr": "Fyll ut «Elevens fødselsnummer».",
        "skole": "Velg et svar i «Skole».",
        "vedlegg": "Last opp en fil i «Vedtak».",
        "barn-0-navn": "Fyll ut «Søsken 1: Navn».",
        "barn-1-navn": "Fyll ut «Søsken 2: Navn».",
    }
    assert len(set(errors.values())) == len(errors)


def test_files_are_checked_by_their_content_and_size_not_their_name() -> None:
    definition = form(
        {"key": "v", "type": "file", "label": "V", "accept": ["application/pdf"], "max_size": 100}
    )
    pdf = UploadedFile(name="a.pdf", size=50, head=b"%PDF-1.7 ...")
    assert input_validate(definition, {}, {"v": pdf}).data["v"]["content_type"] == "application/pdf"
    renamed = UploadedFile(name="a.pdf", size=50, head=b"\x89PNG\r\n\x1a\n")
    assert "Filtypen i «V» er ikke tillatt" in input_validate(definition, {}, {"v": renamed}).errors["v"]
    assert (
        "for stor" in input_validate(definition, {}, {"v": UploadedFile("a.pdf", 101, b"%PDF-")}).errors["v"]
    )
    assert (
        input_validate(definition, {}, {"v": UploadedFile("a.pdf", 0, b"")}).errors["v"]
        == "Filen i «V» er tom."
    )


def test_repeating_groups_keep_their_rows_and_limits() -> None:
    definition = form(
        {
            "key": "barn",
            "type": "group",
            "label": "Barn",
            "min": 1,
            "max": 2,
            "fields": [{"key": "navn", "type": "text", "label": "Navn", "required": True}],
        }
    )
    result = input_validate(
        definition, {"barn-count": "5", "barn-0-navn": "A", "barn-1-navn": "B", "barn-2-navn": "C"}
    )
    assert result.data == {"barn": [{"navn": "A"}, {"navn": "B"}]}  # at most max rows
    empty = input_validate(definition, {"barn-count": "1"})
    assert empty.errors == {"barn-0-navn": "Fyll ut «Barn 1: Navn»."}


@pytest.mark.parametrize("count", ["²", "①", "٣", "1²"])
def test_a_row_count_in_other_digits_than_0_to_9_counts_as_none(count: str) -> None:
    definition = form(
        {
            "key": "barn",
            "type": "group",
            "label": "Barn",
            "min": 1,
            "max": 3,
            "fields": [{"key": "navn", "type": "text", "label": "Navn"}],
        }
    )
    group = definition.fields[0]
    assert engine.group_row_count({"barn-count": count}, group) == 1  # the minimum, not a crash
    result = input_validate(definition, {"barn-count": count})
    assert result.errors == {"barn-0-navn": "Fyll ut minst 1 rad i «Barn»."}  # an error beside the field


@pytest.mark.parametrize("text", ["²", "①", "12²", "", "-1", " 1"])
def test_only_the_digits_0_to_9_are_digits(text: str) -> None:
    from ekommune.core.validators import is_ascii_digits

    assert not is_ascii_digits(text)
    assert is_ascii_digits("0123456789")


def test_conditional_fields_count_only_when_shown() -> None:
    definition = form(
        {"key": "har", "type": "yesno", "label": "Har du?"},
        {
            "key": "hva",
            "type": "text",
            "label": "Hva?",
            "required": True,
            "show_if": {"field": "har", "equals": "yes"},
        },
    )
    assert input_validate(definition, {"har": "no", "hva": ""}).is_valid
    assert input_validate(definition, {"har": "yes"}).errors == {"hva": "Fyll ut «Hva?»."}


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ([], ""),
        ({"fields": []}, "fields"),
        ({"fields": [{"key": "a", "type": "text"}]}, "fields[0]"),
        ({"fields": [{"key": "a", "type": "ukjent", "label": "A"}]}, "fields[0].type"),
        ({"fields": [{"key": "A b", "type": "text", "label": "A"}]}, "fields[0].key"),
        (
            {
                "fields": [
                    {"key": "a", "type": "text", "label": "A"},
                    {"key": "a", "type": "text", "label": "B"},
                ]
            },
            "fields",
        ),
        ({"fields": [{"key": "a", "type": "choice", "label": "A"}]}, "fields[0].options"),
        (
            {
                "fields": [
                    {"key": "a", "type": "text", "label": "A", "show_if": {"field": "b", "equals": "x"}}
                ]
            },
            "fields[0].show_if",
        ),
        (
            {"fields": [{"key": "a", "type": "file", "label": "A", "accept": ["application/x-msdownload"]}]},
            "fields[0].accept",
        ),
        (
            {
                "fields": [
                    {
                        "key": "g",
                        "type": "group",
                        "label": "G",
                        "fields": [{"key": "h", "type": "group", "label": "H", "fields": []}],
                    }
                ]
            },
            "fields[0].fields[0].type",
        ),
        ({"fields": [{"key": "a", "type": "number", "label": "A", "min": 5, "max": 1}]}, "fields[0]"),
        ({"fields": [{"key": "a", "type": "text", "label": "A", "colour": "red"}]}, "fields[0]"),
        (
            {"fields": [{"key": "a", "type": "text", "label": "A", "prefill": "password"}]},
            "fields[0].prefill",
        ),
    ],
)
def test_a_bad_definition_is_refused_with_where_it_is_wrong(raw: Any, path: str) -> None:
    with pytest.raises(DefinitionError) as error:
        definition_parse(raw)
    assert error.value.path == path


# ------------------------------------------------------------------ properties

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
keys = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)


@st.composite
def scalar_fields(draw: Any, siblings: list[dict[str, Any]]) -> dict[str, Any]:
    taken = [sibling["key"] for sibling in siblings]
    kind = draw(st.sampled_from([t for t in engine.FIELD_TYPES if t != "group"]))
    field: dict[str, Any] = {
        "key": draw(keys.filter(lambda k: k not in taken)),
        "type": kind,
        "label": draw(st.text(min_size=1, max_size=10).filter(str.strip)),
    }
    field["required"] = draw(st.booleans())
    if kind in {"choice", "multichoice"}:
        field["options"] = draw(
            st.lists(
                st.text(min_size=1, max_size=5).filter(str.strip), min_size=1, max_size=4, unique_by=str.strip
            )
        )
    if kind == "number" and draw(st.booleans()):
        low = draw(st.integers(-100, 100))
        field["min"], field["max"] = low, low + draw(st.integers(0, 100))
    if kind == "file":
        field["accept"] = draw(
            st.lists(st.sampled_from(engine.KNOWN_FILE_TYPES), min_size=1, max_size=3, unique=True)
        )
        field["max_size"] = draw(st.integers(1, 1000))
    choices = [s["key"] for s in siblings if s["type"] in {"choice", "yesno", "text", "number"}]
    if choices and draw(st.booleans()):
        field["show_if"] = {
            "field": draw(st.sampled_from(choices)),
            "equals": draw(st.sampled_from(["yes", "no", "a", ""])),
        }
    return field


@st.composite
def definitions(draw: Any) -> dict[str, Any]:
    fields: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 6))):
        taken = [f["key"] for f in fields]
        if draw(st.integers(0, 4)) == 0:
            children: list[dict[str, Any]] = []
            for _ in range(draw(st.integers(1, 3))):
                children.append(draw(scalar_fields(children)))
            low = draw(st.integers(0, 3))
            fields.append(
                {
                    "key": draw(st.sampled_from([k for k in "ghijklmnopqrstuvwxyz" if k not in taken])),
                    "type": "group",
                    "label": "G",
                    "min": low,
                    "max": low + draw(st.integers(1, 3)),
                    "fields": children,
                }
            )
        else:
            fields.append(draw(scalar_fields(fields)))
    return {"fields": fields}


@settings(max_examples=200, deadline=None)
@given(raw=json_values)
def test_any_json_is_either_a_definition_or_a_definition_error(raw: Any) -> None:
    with contextlib.suppress(DefinitionError):
        definition_parse(raw)
    assert isinstance(engine.definition_errors(raw), list)


posted_values = st.one_of(
    st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3), st.integers(), st.none()
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=definitions(), data=st.data())
def test_generated_definitions_and_arbitrary_input_give_errors_never_exceptions(
    raw: dict[str, Any], data: Any
) -> None:
    definition = definition_parse(raw)  # the generator only builds valid definitions
    names = []
    for field in definition.fields:
        names += [
            field.key,
            f"{field.key}-count",
            f"{field.key}-street",
            f"{field.key}-postal_code",
            f"{field.key}-city",
        ]
        names += [f"{field.key}-{i}-{child.key}" for child in field.fields for i in range(3)]
    values = data.draw(
        st.dictionaries(st.sampled_from(names) | st.text(max_size=8), posted_values, max_size=12)
    )
    files = data.draw(
        st.dictionaries(
            st.sampled_from(names),
            st.builds(
                UploadedFile,
                name=st.text(max_size=20),
                size=st.integers(0, 2000),
                head=st.binary(max_size=16),
            ),
            max_size=3,
        )
    )
    result = input_validate(definition, values, files)
    assert all(isinstance(name, str) and isinstance(message, str) for name, message in result.errors.items())
    json.dumps(result.data)  # clean data is always JSON
    if result.is_valid:
        engine.display_rows(definition, result.data)
        engine.file_references(definition, result.data)
