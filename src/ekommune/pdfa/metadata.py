"""Document metadata twice, identically: the Info dictionary and the XMP packet (PDF/A §6.6).

PDF/A requires the XMP metadata to carry the same title, author, subject, tool names and dates
as the Info dictionary; both are made here from one ``DocumentInfo``. Dates keep the document's
own UTC offset in both places, to the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape

from ekommune.pdfa.text import clean_metadata

PRODUCER = "ekommune pdfa"
MAX_LENGTH = 4000
"""Characters kept of each metadata string: a PDF string may hold at most 32,767 bytes."""


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """Cleaned metadata strings ("" = absent) and the creation instant, truncated to seconds."""

    title: str
    author: str
    subject: str
    creator: str
    language: str
    created_at: datetime

    @classmethod
    def of(
        cls, *, title: str, author: str, subject: str, creator: str, language: str, created_at: datetime
    ) -> DocumentInfo:
        """Clean the strings (as in the text) and normalise the date; a bad language tag is dropped."""
        offset = created_at.utcoffset() or timedelta(0)
        if offset % timedelta(minutes=1):  # PDF dates know whole minutes of offset only
            created_at = created_at.astimezone(UTC)
        lang = language.strip() if isinstance(language, str) else ""
        if not (lang and len(lang) <= 35 and all(c.isascii() and (c.isalnum() or c == "-") for c in lang)):
            lang = ""
        return cls(
            title=_short(title),
            author=_short(author),
            subject=_short(subject),
            creator=_short(creator),
            language=lang,
            created_at=created_at.replace(microsecond=0),
        )


def _short(text: str) -> str:
    return clean_metadata(text)[:MAX_LENGTH].rstrip()


def _offset(moment: datetime) -> tuple[str, int, int]:
    minutes = int((moment.utcoffset() or timedelta(0)).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return sign, abs(minutes) // 60, abs(minutes) % 60


def pdf_date(moment: datetime) -> str:
    """``D:YYYYMMDDHHmmSS+HH'mm'`` (PDF 32000-1 §7.9.4)."""
    sign, hours, minutes = _offset(moment)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{minutes:02d}'"


def xmp_date(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:mm:SS+HH:mm`` (ISO 8601 as XMP writes it)."""
    sign, hours, minutes = _offset(moment)
    return f"{moment:%Y-%m-%dT%H:%M:%S}{sign}{hours:02d}:{minutes:02d}"


def pdf_text_string(text: str) -> bytes:
    """A PDF text string: a literal for printable ASCII, else UTF-16BE with BOM in hex."""
    if text.isascii() and text.isprintable():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def info_dictionary(info: DocumentInfo) -> bytes:
    """The body of the Info dictionary object."""
    date = pdf_text_string(pdf_date(info.created_at))
    entries = [
        (b"/Title ", info.title),
        (b"/Author ", info.author),
        (b"/Subject ", info.subject),
        (b"/Creator ", info.creator),
        (b"/Producer ", PRODUCER),
    ]
    parts = [b"<<"] + [key + pdf_text_string(value) for key, value in entries if value]
    parts += [b"/CreationDate " + date, b"/ModDate " + date, b">>"]
    return b"\n".join(parts)


def _alt(value: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'


def xmp_packet(info: DocumentInfo) -> bytes:
    """The XMP packet (UTF-8, with xpacket wrapper) claiming PDF/A-3B."""
    date = xmp_date(info.created_at)
    dc = ["<dc:format>application/pdf</dc:format>"]
    if info.title:
        dc.append(f"<dc:title>{_alt(info.title)}</dc:title>")
    if info.author:
        dc.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>")
    if info.subject:
        dc.append(f"<dc:description>{_alt(info.subject)}</dc:description>")
    if info.language:
        dc.append(f"<dc:language><rdf:Bag><rdf:li>{info.language}</rdf:li></rdf:Bag></dc:language>")
    xmp = [f"<xmp:CreateDate>{date}</xmp:CreateDate>", f"<xmp:ModifyDate>{date}</xmp:ModifyDate>"]
    xmp.append(f"<xmp:MetadataDate>{date}</xmp:MetadataDate>")
    if info.creator:
        xmp.append(f"<xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>")
    indent = "\n   "
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   {indent.join(dc)}
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   {indent.join(xmp)}
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{PRODUCER}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")
