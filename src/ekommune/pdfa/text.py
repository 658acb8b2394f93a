"""Cleaning of user text before layout: any Python string in, drawable text out.

Form answers may hold anything: pasted control characters, lone surrogates from broken clients,
decomposed letters from macOS. The writer neither shapes nor reorders text (no bidi), so
invisible format characters (soft hyphen, zero-width space, bidi marks, BOM) would only show up
as replacement glyphs; they are dropped. Letters are NFC-composed, so that "å" typed as "a" plus
a combining ring uses the font's precomposed glyph.
"""

from __future__ import annotations

import re
import unicodedata

# Cc (except \n, which breaks lines) and Cf (Unicode 15.0's list of format characters).
_INVISIBLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_XML_INVALID = re.compile("[\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` NFC-normalised, lone surrogates → U+FFFD, line ends → "\\n", tabs → spaces,
    other control and format characters dropped."""
    if not text:
        return ""
    if text.isascii() and text.isprintable():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Pairs of surrogates become the character they encode, lone ones U+FFFD.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", text.replace("\t", " "))
    return unicodedata.normalize("NFC", text)


def clean_metadata(text: str) -> str:
    """``clean_text`` on one line, also valid in XML 1.0 (for the Info dictionary and XMP)."""
    text = clean_text(text).replace("\n", " ").strip()
    return _XML_INVALID.sub("\ufffd", text)
