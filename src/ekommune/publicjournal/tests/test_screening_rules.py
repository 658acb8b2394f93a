"""The screening rules, case by case, on plain values (no database)."""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import given
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from ekommune.archive.selectors import CaseFacts, DocumentFacts, EntryFacts, PartyFacts, ScreeningFacts
from ekommune.publicjournal.screening import (
    MARKER,
    Policy,
    looks_like_identity_number,
    remove_identity_numbers,
    remove_names,
    screen_entry,
)

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def screening(
    *codes: str, restriction: str = "13", basis: str = "Offl. § 13 jf. fvl. § 13", document: str = ""
) -> ScreeningFacts:
    return ScreeningFacts(
        access_restriction=restriction,
        legal_basis=basis,
        screened_metadata=frozenset(codes),
        screened_document=document,
        ends_on=None,
    )


def case(**changes: object) -> CaseFacts:
    values: dict[str, object] = {
        "system_id": uuid.uuid4(),
        "case_year": 2026,
        "case_sequence_number": 14,
        "title": "Søknad om barnehageplass - Fjellvegen barnehage",
        "public_title": "",
        "administrative_unit": "Oppvekst",
        "class_id": "A20",
        "class_title": "Barnehager",
        "screening": None,
        "parties": (),
    }
    values.update(changes)
    return CaseFacts(**values)  # type: ignore[arg-type]


def document(**changes: object) -> DocumentFacts:
    values: dict[str, object] = {
        "system_id": uuid.uuid4(),
        "title": "Søknad",
        "linked_as": "H",
        "document_number": 1,
        "status": "F",
        "screening": None,
        "file_object_id": uuid.uuid4(),
    }
    values.update(changes)
    return DocumentFacts(**values)  # type: ignore[arg-type]


def entry(**changes: object) -> EntryFacts:
    values: dict[str, object] = {
        "system_id": uuid.uuid4(),
        "municipality_id": 1,
        "record_type": "journalpost",
        "entry_type": "I",
        "status": "J",
        "title": "Søknad om barnehageplass",
        "public_title": "",
        "entry_number": 1,
        "journal_year": 2026,
        "journal_sequence_number": 57,
        "journal_date": dt.date(2026, 11, 2),
        "document_date": dt.date(2026, 10, 30),
        "administrative_unit": "Oppvekst",
        "registered_at": NOW,
        "changed_at": NOW,
        "screening": None,
        "parties": (PartyFacts(name="Ola Nordmann", kind="person", party_type="EA"),),
        "documents": (document(),),
        "case": case(),
    }
    values.update(changes)
    return EntryFacts(**values)  # type: ignore[arg-type]


def test_an_unscreened_entry_is_published_with_what_offentlegforskrifta_asks() -> None:
    public = screen_entry(entry(), Policy())
    assert public is not None
    assert public.journal_number == "57/2026"
    assert public.case_number == "2026/14"
    assert public.registration_id == "2026/14-1"
    assert public.title == "Søknad om barnehageplass"
    assert public.parties[0].name == "Ola Nordmann"
    assert public.parties[0].role == "avsender"
    assert public.legal_bases == ()
    assert public.documents[0].file_object_id is None  # full text only when the municipality enables it


def test_internal_notes_drafts_and_classified_entries_are_not_published() -> None:
    assert screen_entry(entry(entry_type="N"), Policy()) is None
    assert screen_entry(entry(entry_type="X"), Policy(publish_internal_notes=True)) is not None
    assert (
        screen_entry(entry(record_type="arkivnotat", entry_type=""), Policy(publish_internal_notes=True))
        is None
    )
    assert screen_entry(entry(status="R"), Policy()) is None
    assert screen_entry(entry(screening=screening(restriction="SF")), Policy()) is None
    assert screen_entry(entry(case=case(screening=screening(restriction="XX"))), Policy()) is None


def test_title_screened_but_the_first_line_shows_only_the_first_line_and_the_legal_basis() -> None:
    public = screen_entry(
        entry(title="Søknad om skoleskyss\nKari Hansen, Fjellvegen 3", screening=screening("TR1")), Policy()
    )
    assert public is not None
    assert public.title == f"Søknad om skoleskyss {MARKER}"
    assert public.legal_bases == ("Offl. § 13 jf. fvl. § 13",)
    assert public.is_screened


def test_selected_words_take_the_public_title_or_hide_everything_without_one() -> None:
    with_public = entry(
        title="Klage fra Kari Hansen", public_title=f"Klage fra {MARKER}", screening=screening("TRO")
    )
    assert screen_entry(with_public, Policy()).title == f"Klage fra {MARKER}"  # type: ignore[union-attr]
    without = entry(title="Klage fra Kari Hansen", screening=screening("TRO"))
    assert screen_entry(without, Policy()).title == MARKER  # type: ignore[union-attr]


def test_screened_sender_name_is_hidden_everywhere_it_is_written() -> None:
    public = screen_entry(entry(title="Brev fra Ola Nordmann om vedtak", screening=screening("NA")), Policy())
    assert public is not None
    assert public.parties[0].name == MARKER
    assert "Ola" not in public.title
    assert "Nordmann" not in public.title


def test_case_party_names_and_document_titles_follow_the_case_screening() -> None:
    public = screen_entry(
        entry(
            case=case(
                screening=screening("NPS", "TM1"),
                title="Barnevernssak\nPer Hansen",
                parties=(PartyFacts(name="Per Hansen", kind="person", party_type="PART"),),
            ),
            documents=(document(title="Rapport om Per Hansen"),),
        ),
        Policy(),
    )
    assert public is not None
    assert public.case_title == f"Barnevernssak {MARKER}"
    assert [party.name for party in public.parties] == ["Ola Nordmann", MARKER]
    assert "Per" not in public.documents[0].title


def test_private_persons_in_sensitive_classes_are_never_named_but_organisations_are() -> None:
    parties = (
        PartyFacts(name="Ola Nordmann", kind="person", party_type="EA"),
        PartyFacts(name="Helse Bergen HF", kind="unit", party_type="EM"),
    )
    public = screen_entry(
        entry(parties=parties, title="Epikrise Ola Nordmann", case=case(class_id="G21")), Policy()
    )
    assert public is not None
    assert [party.name for party in public.parties] == [MARKER, "Helse Bergen HF"]
    assert public.title == f"Epikrise {MARKER}"
    not_sensitive = screen_entry(entry(parties=parties), Policy())
    assert not_sensitive.parties[0].name == "Ola Nordmann"  # type: ignore[union-attr]


def test_full_text_only_for_finalised_unscreened_documents_when_enabled() -> None:
    enabled = Policy(full_text_enabled=True)
    assert screen_entry(entry(), enabled).documents[0].file_object_id is not None  # type: ignore[union-attr]
    for screened in (
        entry(screening=screening()),
        entry(case=case(screening=screening())),
        entry(documents=(document(screening=screening(document="D")),)),
        entry(documents=(document(status="B"),)),
        entry(case=case(class_id="F40")),
    ):
        public = screen_entry(screened, enabled)
        assert public is not None
        assert public.documents[0].file_object_id is None


def test_document_title_screening_and_temporary_screening() -> None:
    public = screen_entry(
        entry(documents=(document(title="Legeerklæring", screening=screening("TD")),)), Policy()
    )
    assert public.documents[0].title == MARKER  # type: ignore[union-attr]
    temporary = screen_entry(entry(screening=screening("M")), Policy())
    assert temporary is not None
    assert temporary.title == MARKER
    assert temporary.case_title == MARKER
    assert temporary.parties[0].name == MARKER


def test_class_id_is_hidden_when_screened() -> None:
    assert screen_entry(entry(case=case(screening=screening("KID"))), Policy()).class_id == ""  # type: ignore[union-attr]


def valid_numbers() -> st.SearchStrategy[str]:
    def build(birth: dt.date, individual: int, d_number: bool) -> str | None:
        day = birth.day + (40 if d_number else 0)
        base = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}{individual:03d}"
        first = fodselsnummer.calc_check_digit1(base)
        if first == "10":
            return None
        second = fodselsnummer.calc_check_digit2(base + first)
        if second == "10":
            return None
        return base + first + second

    return (
        st.builds(
            build,
            st.dates(dt.date(1900, 1, 1), dt.date(2026, 12, 31)),
            st.integers(0, 999),
            st.booleans(),
        )
        .filter(lambda number: number is not None)
        .map(str)
    )


@given(number=valid_numbers(), before=st.text(max_size=20), after=st.text(max_size=20), spaced=st.booleans())
def test_no_national_identity_number_survives_in_any_text(
    number: str, before: str, after: str, spaced: bool
) -> None:
    written = f"{number[:6]} {number[6:]}" if spaced else number
    cleaned = remove_identity_numbers(f"{before} {written} {after}")
    assert number not in cleaned.replace(" ", "")
    assert looks_like_identity_number(number)


def test_other_numbers_stay() -> None:
    assert not looks_like_identity_number("12345678901")
    for text in ("Sak 2013/1269", "orgnr 912345688", "konto 12345678901 er feil", "tlf 56001000"):
        assert remove_identity_numbers(text) == text


def test_a_fodselsnummer_in_a_title_is_screened_whatever_was_marked() -> None:
    public = screen_entry(entry(title="Søknad fra 15038510190 om startlån"), Policy())
    assert public is not None
    assert "15038510190" not in public.title
    assert MARKER in public.title


def test_removing_no_names_leaves_the_text() -> None:
    assert remove_names("Søknad", []) == "Søknad"
    assert remove_names("Søknad fra Al", ["Al"]) == f"Søknad fra {MARKER}"


@given(
    level=st.sampled_from(["entry", "case", "document"]), document_screened=st.sampled_from(["", "H", "D"])
)
def test_a_restriction_with_no_screened_fields_hides_titles_and_parties_until_decided(
    level: str, document_screened: str
) -> None:
    """Decision 0300: restriction 13, skjermingMetadata empty ("Ingen" or nothing) = all screened."""
    undecided = screening(document=document_screened)
    parties = (PartyFacts(name="Kari Hansen", kind="person", party_type="EA"),)
    changes: dict[str, object] = {
        "title": "Barnevernssak for Kari Hansen",
        "parties": parties,
        "case": case(
            title="Barnevern - Kari Hansen",
            class_id="123",
            parties=(PartyFacts(name="Per Hansen", kind="person", party_type="KLI"),),
        ),
    }
    if level == "entry":
        changes["screening"] = undecided
    elif level == "case":
        changes["case"] = case(
            title="Barnevern - Kari Hansen",
            class_id="123",
            screening=undecided,
            parties=(PartyFacts(name="Per Hansen", kind="person", party_type="KLI"),),
        )
    else:
        changes["documents"] = (document(title="Rapport om Kari Hansen", screening=undecided),)
    public = screen_entry(entry(**changes), Policy())
    assert public is not None
    assert public.legal_bases == ("Offl. § 13 jf. fvl. § 13",)
    shown = " ".join(
        [public.title, public.case_title, public.class_id]
        + [party.name for party in public.parties]
        + [doc.title for doc in public.documents]
    )
    if level == "document":  # only the document's own title is undecided
        assert public.documents[0].title == MARKER
        assert public.documents[0].file_object_id is None
        return
    assert "Kari" not in shown
    assert "Hansen" not in shown
    assert public.class_id == ""
    assert public.title == MARKER
    assert all(party.name == MARKER for party in public.parties)
