"""The one place where an archive entry becomes what the public may see (offentleglova).

Every public output (journal pages, JSON API, Atom feeds, search index, sitemap, exports,
political pages, logs) is built from ``PublicEntry`` values made here and from nothing else.
The rules, in order:

1. Entries of unpublished types (internal notes unless the municipality publishes them), not
   yet registered, or wholly exempt (security-classified, or temporarily blocked ``XX``) are not
   published at all: ``screen_entry`` returns ``None``.
2. What the archive marks as screened (skjermingMetadata, M502) is replaced by ``MARKER`` and
   the legal basis is shown: titles (all but the first line, or the selected words via the
   public title ``offentligTittel``), sender and recipient names, case party names, document
   titles, class ID and title. Temporary screening (M) screens all of them; so does an access
   restriction with no screened fields (none given, or ``Ingen``), until a case worker says what
   is screened (decision 0300).
3. Whatever a case worker marked: a valid national identity number (fødselsnummer or D-number:
   eleven digits whose two check digits hold) is never published in any text; and in sensitive
   classes (health, child welfare, social services, personnel) private persons are never named.
4. A document may be published as full text only if neither it, its entry nor its case is
   screened in any way, the class is not sensitive, and it has a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from stdnum.no import fodselsnummer

from ekommune.archive.selectors import DocumentFacts, EntryFacts, PartyFacts, ScreeningFacts
from ekommune.core.validators import is_ascii_digits
from ekommune.publicjournal.types import MARKER, Policy, PublicDocument, PublicEntry, PublicParty

# Registry entry types published (journalposttype M082): incoming, outgoing; internal notes
# with (N) and without (X) follow-up when the municipality chooses; case presentations (S).
ALWAYS_PUBLISHED_TYPES = frozenset({"I", "U", "S"})
INTERNAL_NOTE_TYPES = frozenset({"N", "X"})
# Journal statuses (M053) from registered (J) on; not reserved (R, M, S) nor expired (U).
PUBLISHED_STATUSES = frozenset({"J", "F", "G", "E", "A"})
# tilgangsrestriksjon (M500) for which the entry is kept out of the public journal altogether.
WHOLLY_EXEMPT_RESTRICTIONS = frozenset({"B", "K", "H", "F", "SF", "XX"})

# An access restriction with no screened fields: everything screened until a case worker decides.
UNDECIDED = frozenset({"M"})

SENDER_TYPES = frozenset({"EA"})  # avsender
RECIPIENT_TYPES = frozenset({"EM", "EK"})  # mottaker, kopimottaker

# Eleven digits, possibly written 6+5 with a space, dot or hyphen, not inside a longer number.
_NUMBER_CANDIDATE = re.compile(r"(?<![0-9])([0-9]{6})[ .\-]?([0-9]{5})(?![0-9])")


def looks_like_identity_number(digits: str) -> bool:
    """Eleven digits whose two check digits hold (fødselsnummer, D-number, H-number, test numbers)."""
    if len(digits) != 11 or not is_ascii_digits(digits):
        return False
    first = fodselsnummer.calc_check_digit1(digits[:9])
    return first == digits[9] and fodselsnummer.calc_check_digit2(digits[:10]) == digits[10]


def remove_identity_numbers(text: str) -> str:
    """Replace every national identity number in ``text`` by ``MARKER``."""

    def replace(match: re.Match[str]) -> str:
        return MARKER if looks_like_identity_number(match.group(1) + match.group(2)) else match.group(0)

    return _NUMBER_CANDIDATE.sub(replace, text)


def remove_names(text: str, names: Iterable[str]) -> str:
    """Replace each screened name, and each of its parts of three letters or more, by ``MARKER``."""
    words: set[str] = set()
    for name in names:
        words.add(name.strip())
        words.update(part for part in re.split(r"[\s,]+", name) if len(part) >= 3)
    words.discard("")
    words.discard(MARKER)
    if not words:
        return text
    pattern = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.sub(rf"(?<!\w)(?:{pattern})(?!\w)", MARKER, text, flags=re.IGNORECASE)


def _screened_title(title: str, public_title: str, *, all_but_first_line: bool, selected_words: bool) -> str:
    if selected_words:
        # offentligTittel holds the title with the screened words replaced; without it, all goes.
        return public_title if public_title.strip() and public_title != title else MARKER
    if all_but_first_line:
        first, newline, rest = title.partition("\n")
        return f"{first.rstrip()} {MARKER}" if newline and rest.strip() else first
    return title


def _codes(screening: ScreeningFacts | None) -> frozenset[str]:
    """What is screened. An access restriction with no screened fields screens everything, as
    temporary screening (M) does, until a case worker says what is screened (decision 0300)."""
    if screening is None:
        return frozenset()
    return screening.screened_metadata or UNDECIDED


def is_sensitive_class(class_id: str, policy: Policy) -> bool:
    return any(
        class_id.upper().startswith(prefix.upper()) for prefix in policy.sensitive_class_prefixes if prefix
    )


def _party_role(party: PartyFacts) -> str:
    if party.party_type in SENDER_TYPES:
        return "avsender"
    if party.party_type in RECIPIENT_TYPES:
        return "mottaker"
    return "part"


def _public_party(party: PartyFacts, codes: frozenset[str], sensitive: bool) -> PublicParty:
    role = _party_role(party)
    screened = (
        (role == "avsender" and "NA" in codes)
        or (role == "mottaker" and "NM" in codes)
        or (role == "part" and ("NA" in codes or "NM" in codes))
        or "M" in codes
        or (sensitive and party.kind == "person")
    )
    return PublicParty(name=MARKER if screened else party.name, role=role)


def _document_public(
    document: DocumentFacts, entry: EntryFacts, codes: frozenset[str], sensitive: bool, policy: Policy
) -> PublicDocument:
    title_screened = "TD" in codes or "M" in codes or bool({"TD", "M"} & _codes(document.screening))
    may_publish_file = (
        policy.full_text_enabled
        and not sensitive
        and document.screening is None
        and entry.screening is None
        and entry.case.screening is None
        and document.status == "F"
        and document.file_object_id is not None
    )
    return PublicDocument(
        system_id=document.system_id,
        title=MARKER if title_screened else document.title,
        linked_as=document.linked_as,
        document_number=document.document_number,
        file_object_id=document.file_object_id if may_publish_file else None,
    )


def is_published(entry: EntryFacts, policy: Policy) -> bool:
    """Whether the entry appears in the public journal at all (rule 1)."""
    allowed = ALWAYS_PUBLISHED_TYPES | (INTERNAL_NOTE_TYPES if policy.publish_internal_notes else frozenset())
    if entry.record_type != "journalpost" or entry.entry_type not in allowed:
        return False
    if entry.status not in PUBLISHED_STATUSES:
        return False
    for screening in (entry.screening, entry.case.screening):
        if screening is not None and screening.access_restriction in WHOLLY_EXEMPT_RESTRICTIONS:
            return False
    return True


def screen_entry(entry: EntryFacts, policy: Policy) -> PublicEntry | None:
    """The public form of ``entry``, or None when it is not published (module docstring)."""
    if not is_published(entry, policy):
        return None
    entry_codes = _codes(entry.screening)
    case_codes = _codes(entry.case.screening)
    codes = entry_codes | case_codes
    sensitive = is_sensitive_class(entry.case.class_id, policy)
    temporary = "M" in codes
    case_title = (
        MARKER
        if temporary
        else _screened_title(
            entry.case.title,
            entry.case.public_title,
            all_but_first_line="TM1" in case_codes,
            selected_words="TMO" in case_codes,
        )
    )
    title = (
        MARKER
        if temporary
        else _screened_title(
            entry.title,
            entry.public_title,
            all_but_first_line="TR1" in entry_codes,
            selected_words="TRO" in entry_codes,
        )
    )
    parties = tuple(
        _public_party(party, entry_codes | ({"M"} & case_codes), sensitive) for party in entry.parties
    )
    case_parties_screened = "NPS" in case_codes or temporary
    parties += tuple(
        PublicParty(
            name=MARKER if case_parties_screened or (sensitive and party.kind == "person") else party.name,
            role="part",
        )
        for party in entry.case.parties
    )
    documents = tuple(
        _document_public(document, entry, codes, sensitive, policy) for document in entry.documents
    )
    class_id = "" if {"KID", "TKL", "M"} & codes else entry.case.class_id
    bases = tuple(
        dict.fromkeys(
            screening.legal_basis
            for screening in (entry.case.screening, entry.screening, *(d.screening for d in entry.documents))
            if screening is not None and screening.legal_basis
        )
    )
    # A name screened as a party is screened wherever else it is written (titles above all).
    screened_names = [
        original.name
        for original, shown in zip((*entry.parties, *entry.case.parties), parties, strict=True)
        if shown.name == MARKER
    ]

    def clean(text: str) -> str:
        return remove_identity_numbers(remove_names(text, screened_names))

    public = PublicEntry(
        system_id=entry.system_id,
        case_system_id=entry.case.system_id,
        entry_type=entry.entry_type,
        journal_number=entry.journal_number,
        registration_id=entry.registration_id,
        case_number=entry.case.case_number,
        case_title=clean(case_title),
        title=clean(title),
        journal_date=entry.journal_date,
        document_date=entry.document_date,
        administrative_unit=remove_identity_numbers(entry.administrative_unit),
        class_id=class_id,
        parties=tuple(
            PublicParty(name=remove_identity_numbers(party.name), role=party.role) for party in parties
        ),
        documents=tuple(
            PublicDocument(
                system_id=document.system_id,
                title=clean(document.title),
                linked_as=document.linked_as,
                document_number=document.document_number,
                file_object_id=document.file_object_id,
            )
            for document in documents
        ),
        legal_bases=bases,
        registered_at=entry.registered_at,
        is_screened=bool(bases),
    )
    return public


def screen_entries(entries: Iterable[EntryFacts], policy: Policy) -> Iterable[PublicEntry]:
    for entry in entries:
        public = screen_entry(entry, policy)
        if public is not None:
            yield public
