"""The one mapping of screening values (skjerming) to what the archive stores.

Every way of writing a screening (the archive's services, the Noark 5 API, the deposit import,
the portal, the political secretariat) hands its values to ``screening_normalise``; nothing else
reads a screening value as written by someone else. What may come in:

- tilgangsrestriksjon (M500) and skjermingDokument (M503): the code (``13``, ``H``) or its
  kodenavn (``Skjerming av hele dokumentet``), in any case;
- skjermingMetadata (M502), one value each: the code of the API's code list (``TR1``), the
  kodenavn the 5.0 extraction writes (``Skjerming tittel registrering - unntatt første linje``),
  or the name of the metadata element screened, as other systems write it in 5.0 packages and
  in the API (``tittel``, ``korrespondansepart``, ``tittel på dokument``, ``navn``, ``adresse``,
  ``klasseID``, ``merknad``, ...). An element name becomes the codes that screen that element
  where the screening sits (``tittel`` on a journalpost screens its title, on a saksmappe the
  case title); without a level it screens that element everywhere;
- ``Ingen``: our own export's "no metadata screened" (the 5.0 schema wants one value).

A value that maps to nothing is refused (``ScreeningValueError``): the write stops with a clear
error, nothing is dropped. Which restriction with no screened fields publishes what is the public
journal's rule (decision 0300, ``ekommune.publicjournal.screening``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ekommune.archive import codelists as cl
from ekommune.core.errors import ValidationError

if TYPE_CHECKING:
    from ekommune.archive.types import ScreeningInput

# Where a screening sits (the Noark object that carries the skjerming element).
LEVELS = ("klasse", "mappe", "registrering", "dokumentbeskrivelse")
ANY_LEVEL = None

_PARTY_NAMES = {"mappe": {"NPS"}, "registrering": {"NA", "NM"}, ANY_LEVEL: {"NA", "NM", "NPS"}}
_TITLE = {
    "klasse": {"TKL"},
    "mappe": {"TMO"},
    "registrering": {"TRO"},
    "dokumentbeskrivelse": {"TD"},
    ANY_LEVEL: {"TKL", "TMO", "TRO", "TD"},
}

# Element names (normalised: lower case, letters and digits only) → codes by level; a level not
# listed takes the ANY_LEVEL codes. Addresses, e-mail and phone numbers are never published: their
# screening screens the party's name too (the name is what identifies the person).
ELEMENT_NAMES: Mapping[str, Mapping[str | None, set[str]]] = {
    "tittel": _TITLE,
    "offentligtittel": _TITLE,
    "klasseid": {ANY_LEVEL: {"KID"}},
    "arkivnokkel": {ANY_LEVEL: {"KID"}},
    "arkivnøkkel": {ANY_LEVEL: {"KID"}},
    "arkivkode": {ANY_LEVEL: {"KID"}},
    "klasse": {ANY_LEVEL: {"KID", "TKL"}},
    "klassetittel": {ANY_LEVEL: {"TKL"}},
    "mappetittel": {ANY_LEVEL: {"TMO"}},
    "sakstittel": {ANY_LEVEL: {"TMO"}},
    "journalposttittel": {ANY_LEVEL: {"TRO"}},
    "registreringstittel": {ANY_LEVEL: {"TRO"}},
    "korrespondansepart": _PARTY_NAMES,
    "korrespondansepartnavn": _PARTY_NAMES,
    "navn": _PARTY_NAMES,
    "adresse": _PARTY_NAMES,
    "postadresse": _PARTY_NAMES,
    "epostadresse": _PARTY_NAMES,
    "telefonnummer": _PARTY_NAMES,
    "avsender": {ANY_LEVEL: {"NA"}},
    "avsendernavn": {ANY_LEVEL: {"NA"}},
    "mottaker": {ANY_LEVEL: {"NM"}},
    "mottakernavn": {ANY_LEVEL: {"NM"}},
    "part": {"mappe": {"NPS"}, ANY_LEVEL: {"NA", "NM", "NPS"}},
    "partnavn": {"mappe": {"NPS"}, ANY_LEVEL: {"NA", "NM", "NPS"}},
    "sakspart": {ANY_LEVEL: {"NPS"}},
    "sakspartnavn": {ANY_LEVEL: {"NPS"}},
    "merknad": {ANY_LEVEL: {"MT"}},
    "merknadstekst": {ANY_LEVEL: {"MT"}},
    "dokumenttittel": {ANY_LEVEL: {"TD"}},
    "tittelpådokument": {ANY_LEVEL: {"TD"}},
    "tittelpaadokument": {ANY_LEVEL: {"TD"}},
    "dokumentbeskrivelse": {ANY_LEVEL: {"TD"}},
    "alle": {ANY_LEVEL: {"M"}},
    "allemetadata": {ANY_LEVEL: {"M"}},
    "midlertidig": {ANY_LEVEL: {"M"}},
    "ingen": {ANY_LEVEL: set()},
}


class ScreeningValueError(ValidationError):
    """A screening value that maps to nothing the archive knows: the write is refused (HTTP 400)."""

    code = "screening_value_unknown"


def _key(value: str) -> str:
    return re.sub(r"[^0-9a-zæøå]", "", value.casefold())


def _by_code_or_name(code_list: cl.CodeList, value: str) -> str | None:
    text = " ".join(value.split()).casefold()
    for code, name in code_list.values:
        if text in (code.casefold(), name.casefold()):
            return code
    return None


def screened_metadata_codes(value: str, *, level: str | None = ANY_LEVEL) -> frozenset[str]:
    """The skjermingMetadata codes (M502) one written value stands for (module docstring)."""
    if level not in (*LEVELS, ANY_LEVEL):
        raise ValueError(f"unknown level {level!r}")
    code = _by_code_or_name(cl.SCREENING_METADATA, value)
    if code is not None:
        return frozenset({code})
    by_level = ELEMENT_NAMES.get(_key(value))
    if by_level is None:
        raise ScreeningValueError(
            f"Ukjent verdi {value!r} for skjermingMetadata: bruk en kode ({', '.join(cl.SCREENING_METADATA.codes())}),"
            " kodenavnet eller navnet på metadataelementet som skjermes (f.eks. «tittel», «korrespondansepart»).",
            field="screened_metadata",
        )
    return frozenset(by_level.get(level, by_level[ANY_LEVEL]))


def screened_metadata_all(values: Iterable[str], *, level: str | None = ANY_LEVEL) -> tuple[str, ...]:
    """The codes of all ``values``, in code-list order, each once."""
    codes: set[str] = set()
    for value in values:
        codes |= screened_metadata_codes(value, level=level)
    return tuple(code for code in cl.SCREENING_METADATA.codes() if code in codes)


def access_restriction_code(value: str) -> str:
    """The tilgangsrestriksjon code (M500) of a code or kodenavn; refused when unknown."""
    code = _by_code_or_name(cl.ACCESS_RESTRICTION, value)
    if code is None:
        raise ScreeningValueError(
            f"Ukjent tilgangsrestriksjon {value!r}; gyldige: {', '.join(cl.ACCESS_RESTRICTION.codes())}.",
            field="access_restriction",
        )
    return code


def screened_document_code(value: str) -> str:
    """The skjermingDokument code (M503) of a code or kodenavn ("" for none); refused when unknown."""
    if not value.strip():
        return ""
    code = _by_code_or_name(cl.SCREENING_DOCUMENT, value)
    if code is None:
        raise ScreeningValueError(
            f"Ukjent skjermingDokument {value!r}; gyldige: {', '.join(cl.SCREENING_DOCUMENT.codes())}.",
            field="screened_document",
        )
    return code


def screening_normalise(screening: ScreeningInput, *, level: str | None = ANY_LEVEL) -> ScreeningInput:
    """``screening`` with every value as the archive stores it (codes); refuses what maps to nothing."""
    if screening.duration_years is not None and screening.duration_years < 0:
        raise ScreeningValueError("Skjermingsvarigheten kan ikke være negativ.", field="duration_years")
    return dataclasses.replace(
        screening,
        access_restriction=access_restriction_code(screening.access_restriction),
        legal_basis=screening.legal_basis.strip(),
        screened_metadata=screened_metadata_all(screening.screened_metadata, level=level),
        screened_document=screened_document_code(screening.screened_document),
    )
