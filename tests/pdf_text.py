"""Reading generated PDFs back as text, the way the tests check documents."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import NameObject, StreamObject


def _two_byte_codes(reader: PdfReader) -> None:
    """fpdf2 gives a CID-keyed CFF font (Noto Sans SC) an embedded CMap stream as its /Encoding;
    pypdf (7.1) does not read such a stream and falls back to one-byte StandardEncoding, which
    garbles every glyph code above 0xFF. The codes are two bytes, and the font's ToUnicode map
    is keyed by them, so naming the encoding Identity-H lets pypdf read them as they are. (PDF
    viewers and poppler read the file as it is.)"""
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            encoding = font.get("/Encoding")
            if font.get("/Subtype") == "/Type0" and isinstance(encoding and encoding.get_object(), StreamObject):
                font[NameObject("/Encoding")] = NameObject("/Identity-H")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page with all whitespace removed: pypdf spaces and breaks CJK text by
    glyph position, so only the characters are compared."""
    reader = PdfReader(io.BytesIO(pdf))
    _two_byte_codes(reader)
    return ["".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    return "".join(pdf_pages(pdf))
