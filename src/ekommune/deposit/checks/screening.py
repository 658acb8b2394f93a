"""What arkivstruktur.xml screens must stay screened in offentligJournal.xml, and no national
identity number may appear there (issue 17; offentleglova § 13, offentlegforskrifta § 7).

Flat memory: arkivstruktur.xml leaves, per screened entry and case file, the texts the public
must not see (the full title, or all but its first line; the screened names) in the key index;
offentligJournal.xml leaves each public text there. One query then finds every public text that
holds a screened one for the same object. The keys begin with a 16-byte digest of the object
(systemID, or ``mappe:`` + mappeID for a case file, which offentligJournal names only by its ID).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from lxml import etree
from stdnum.no import fodselsnummer

from ekommune.archive.types import codelists as cl
from ekommune.deposit import package as pkg
from ekommune.deposit.checks.keys import KeyIndex
from ekommune.deposit.checks.report import CheckReport
from ekommune.deposit.checks.xmlread import child_text

AS = pkg.NS_ARKIVSTRUKTUR
OJ = pkg.NS_OFFENTLIG
MIN_SECRET = 3  # shorter screened texts (initials) are not searched for: they would match anywhere


def _names(*codes: str) -> frozenset[str]:
    """Codes of skjermingMetadata (M502) with their kodenavn, as a package may write either."""
    known = dict(cl.SCREENING_METADATA.values)
    return frozenset(codes) | frozenset(known[code] for code in codes)


# What each skjermingMetadata value screens; "Midlertidig skjerming" (M), "Ingen" and none at all
# screen everything (fail safe: a restriction without fields hides title and names).
TITLE_BUT_FIRST_LINE = _names("TR1", "TM1")
TITLE_WORDS = _names("TRO", "TMO")
NAMES = _names("NA", "NM", "NPS")
EVERYTHING = _names("M") | {"Ingen", ""}

# Identifiers (a systemID's hex groups may hold eleven digits in a row), not texts anyone reads.
IDENTIFIERS = frozenset({f"{{{OJ}}}systemID", f"{{{OJ}}}referanseAvskrivesAvJournalpost"})
# Eleven digits, possibly written 6 + 5 with a space, dot or hyphen, not inside a longer number.
ELEVEN_DIGITS = re.compile(r"(?<![0-9])([0-9]{6})[ .\-]?([0-9]{5})(?![0-9])")


def object_key(kind: str, identifier: str) -> bytes:
    return hashlib.md5(f"{kind}:{identifier.strip().lower()}".encode(), usedforsecurity=False).digest()


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


def _hidden_title(title: str, codes: set[str]) -> str:
    """The part of a title the public must not see under these codes ('' when none)."""
    if codes & EVERYTHING or codes & TITLE_WORDS or not codes:
        return title
    if codes & TITLE_BUT_FIRST_LINE:
        return "\n".join(title.splitlines()[1:])
    return ""


def record_screened(keys: KeyIndex, element: Any, kind: str, identifier: str, line: int) -> None:
    """An arkivstruktur mappe or registrering: if screened, what its public form must not show."""
    screening = element.find(f"{{{AS}}}skjerming")
    if screening is None or not child_text(screening, "tilgangsrestriksjon", AS):
        return
    owner = object_key(kind, identifier)
    keys.add(f"screened:{kind}", owner, line)
    codes = {(e.text or "").strip() for e in screening.findall(f"{{{AS}}}skjermingMetadata")} or {""}
    secrets = [_hidden_title(child_text(element, "tittel", AS), codes)]
    if codes & (NAMES | EVERYTHING):
        secrets += [
            (e.text or "")
            for e in element.iterfind(f"{{{AS}}}korrespondansepart/{{{AS}}}korrespondansepartNavn")
        ]
        secrets += [(e.text or "") for e in element.iterfind(f"{{{AS}}}part/{{{AS}}}partNavn")]
    for secret in secrets:
        for piece in secret.splitlines() if kind == "entry" else [secret]:
            if len(_normal(piece)) >= MIN_SECRET:
                keys.add("secret", owner + _normal(piece).encode(), line)


def record_public(
    report: CheckReport, keys: KeyIndex, registration: Any, fields: dict[str, str], line: int
) -> None:
    """A journalregistrering of offentligJournal.xml (``fields``: its journalpost's child texts):
    its texts, its screening marks, and every national identity number in it."""
    entry = registration.find(f"{{{OJ}}}journalpost")
    case = registration.find(f"{{{OJ}}}saksmappe")
    if entry is not None:
        owner = object_key("entry", fields.get("systemID", ""))
        if not (fields.get("skjermingshjemmel") or fields.get("tilgangsrestriksjon")):
            keys.add("unmarked:entry", owner, line)
        texts = [fields.get("offentligTittel", "")]
        texts += [
            (e.text or "")
            for e in entry.iterfind(f"{{{OJ}}}korrespondansepart/{{{OJ}}}korrespondansepartNavn")
        ]
        for text in texts:
            keys.add("public", owner + _normal(text).encode(), line)
    if case is not None:
        owner = object_key("case", child_text(case, "mappeID", OJ))
        keys.add("public", owner + _normal(child_text(case, "offentligTittel", OJ)).encode(), line)
    for element in registration.iter():
        text = element.text
        if not text or len(text) < 11 or element.tag in IDENTIFIERS:
            continue
        for match in ELEVEN_DIGITS.finditer(text):
            if _identity_number(match.group(1) + match.group(2)):
                label = fields.get("registreringsID", "")
                report.add(
                    "national_id_in_public_journal",
                    pkg.OFFENTLIG_JOURNAL,
                    f"Et gyldig fødselsnummer eller D-nummer står i journalpost {label} "
                    f"(<{etree.QName(element).localname}>).",
                    line,
                )


def _identity_number(digits: str) -> bool:
    """Eleven digits whose two mod-11 check digits hold (fødselsnummer, D-number, H-number)."""
    first = fodselsnummer.calc_check_digit1(digits[:9])
    return first == digits[9] and fodselsnummer.calc_check_digit2(digits[:10]) == digits[10]


def report_screening(report: CheckReport, keys: KeyIndex) -> None:
    """Every screened entry shown without its legal basis, and every screened text shown."""
    for _, line in keys.common("screened:entry", "unmarked:entry"):
        report.add(
            "public_journal_unscreened",
            pkg.OFFENTLIG_JOURNAL,
            "Journalposten er skjermet i arkivstruktur.xml, men vises uten skjermingshjemmel.",
            line,
        )
    for line in keys.contained("secret", "public", prefix=16):
        report.add(
            "public_journal_unscreened",
            pkg.OFFENTLIG_JOURNAL,
            "Tekst som er skjermet i arkivstruktur.xml (tittel eller navn), vises i den offentlige journalen.",
            line,
        )
