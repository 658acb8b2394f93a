"""Checking an extraction package, whoever produced it, in the spirit of Arkivverket's Arkade 5.

Every finding is collected (never only the first), each with a stable code, the file and, where
there is one, the line. The XML files are read as streams (``iterparse``, elements cleared when
done), so a package of any size is checked in flat memory; the schema validation reports every
error with its line for files up to ``FULL_VALIDATION_LIMIT`` bytes and, above that, validates
while streaming and reports the first error (docs/decisions/0011).

The codes, with the Arkade test they follow:

================================  ==========  ===========================================================
code                              Arkade      meaning
================================  ==========  ===========================================================
file_missing                      N5.01       a file named in arkivuttrekk.xml (or the package) is absent
checksum_mismatch                 N5.02/N5.30 a file's SHA-256 differs from the one recorded
checksum_algorithm                N5.02       the algorithm is not SHA-256
schema_invalid                    N5.03       an XML file does not validate against its official schema
xml_malformed                     N5.03       an XML file cannot be parsed at all
schema_modified                   (6.4.18)    a schema in the package differs from the official one
count_mismatch                    N5.04–59    an ADDML count differs from the number in the file
document_count_mismatch           N5.28       antallDokumentfiler differs from the files present
document_folder_missing           N5.28       no dokumenter/ folder
document_file_missing             N5.32       a referenced document file does not exist
document_file_unreferenced        N5.33       a document file no dokumentobjekt references
size_mismatch                     (6.4.41)    filstoerrelse differs from the file's size
empty_file                        N5.64       a referenced document file has no content
duplicate_system_id               N5.47       a systemID occurs twice
duplicate_journal_number          (6.4.30)    journalaar + journalsekvensnummer occurs twice
dangling_reference                N5.62       an endringslogg entry names a systemID not in the package
created_after_concluded           (dates)     opprettetDato after avsluttetDato
journal_date_outside_period       (6.4.29)    journaldato outside the series' arkivperiode
case_not_concluded                (6.4.12)    a case file in a closed period is not concluded
entry_not_finalised               (6.4.12)    a journal entry in a closed period is not finalised
screening_without_legal_basis     (5.2)       a screening carries no skjermingshjemmel
journal_period_mismatch           N5.60       the two journals cover different periods
empty_element                     N5.63       an element without content
empty_series                      (content)    an arkivdel with neither mappe nor registrering
dates_out_of_order                (dates)     a registrering archived before it was created
dangling_reference                N5.62       a kryssreferanse or avskrivning names a systemID not there
journal_entry_not_in_structure    N5.59       a journal names a journalpost arkivstruktur lacks
journal_entry_missing             N5.59       a journalpost of arkivstruktur is not in loependeJournal
public_entry_missing              N5.59/0141  a published journalpost (I, U, S) is not in offentligJournal
public_entry_not_publishable      0141        offentligJournal holds a reserved, expired or graded entry
public_entry_not_in_running       N5.59       offentligJournal holds an entry loependeJournal lacks
public_journal_unscreened         (offl. 13)  a screened entry shown without basis, or its screened text shown
national_id_in_public_journal     (offf. 7)   a fødselsnummer or D-number (check digits hold) in offentligJournal
================================  ==========  ===========================================================
"""

from __future__ import annotations

from ekommune.deposit.checks.dias import check_dias
from ekommune.deposit.checks.report import CheckReport, Finding
from ekommune.deposit.checks.runner import check_package

__all__ = ["CheckReport", "Finding", "check_dias", "check_package"]
