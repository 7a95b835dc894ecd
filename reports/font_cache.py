"""A per-machine cache of what a print derives from its font files, so that each print process need
not parse them again: the code points each font maps (reports.fonts.coverage) and the tables fpdf2
builds when a font is added to a document (character widths, glyph ids, the font descriptor).

Parsing them took a print child about 350 ms of CPU of its ~1 s (the CJK fonts map tens of
thousands of characters), on every print, in every session; read back from here they take a few
milliseconds. The glyph outlines are still read from the font itself when the document is written:
only the subset of glyphs used is embedded, as before, so the PDF is the same file.

An entry is keyed by the font file's path, size and modification time and by the fpdf2 and
fontTools versions (a new font file or library version makes a new entry; nothing goes stale). It is
written atomically (a temporary file renamed into place), so two prints deriving it at once both
leave a whole file; an entry that cannot be read or written is derived again, never an error. The
store is marshal (plain ints, strings, dicts), which builds no objects of its own when read back.

The directory is set by the print child (services.printing.render_child): renders in other
processes, the tests' among them, derive everything as before unless they set it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections import defaultdict
from pathlib import Path

FORMAT = 1
directory: Path | None = None
# Fonts the host's print worker opened and read once (services.printing.print_server): the next document
# that adds one takes it. Writing a PDF subsets the font it holds in place, which is harmless in the
# worker's forked children, each rendering one document and exiting; a font is therefore taken, never
# shared, and a process that renders again opens the file afresh.
opened: dict[Path, object] = {}


def _key(path: Path, kind: str) -> str:
    import fontTools
    import fpdf

    stat = path.stat()
    text = "\n".join(map(str, (FORMAT, kind, path.resolve(), stat.st_size, stat.st_mtime_ns,
                                fpdf.__version__, fontTools.version)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _entry(path: Path, kind: str) -> Path | None:
    if directory is None:
        return None
    try:
        return directory / f"{_key(path, kind)}.{kind}"
    except OSError:
        return None


def _read(entry: Path | None):
    if entry is None:
        return None
    try:
        with open(entry, "rb") as file:
            # in a shared data directory another account could have put it there: widths and glyph ids
            # it chose would go into this clerk's documents
            if os.fstat(file.fileno()).st_uid != os.getuid():
                return None
            return marshal.loads(file.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write(entry: Path | None, value) -> None:
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".font-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(marshal.dumps(value))
            os.replace(temporary, entry)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass  # a read-only or full data directory: the next print derives it again


def coverage(path: Path, derive) -> frozenset[int]:
    """The code points the font maps: from the cache, or `derive()` and kept."""
    entry = _entry(path, "coverage")
    cached = _read(entry)
    if isinstance(cached, frozenset):
        return cached
    points = frozenset(derive())
    _write(entry, points)
    return points


# TTFFont attributes that depend on the font file only (not on the document); the document's own
# (its number, its key, its subset, the open font file) are set when it is added.
_PLAIN = ("type", "name", "sp", "ss", "up", "ut", "scale", "cmap", "glyph_ids", "missing_glyphs", "is_compressed",
          "is_cff", "is_cid_keyed", "is_symbol", "cff_ros", "collection_font_number")
_DESC = ("ascent", "descent", "cap_height", "font_b_box", "italic_angle", "stem_v", "missing_width")


def add_font(pdf, name: str, path: Path) -> None:
    """pdf.add_font(name, "", path), with what fpdf2 derives from the file taken from the cache."""
    entry = _entry(path, "fpdf")
    cached = _read(entry)
    if isinstance(cached, dict) and _restore(pdf, name, path, cached):
        return
    pdf.add_font(name, "", str(path))
    if entry is not None:
        _write(entry, _derived(pdf.fonts[name]))


def _derived(font) -> dict:
    desc = font.desc
    return {"plain": {a: getattr(font, a) for a in _PLAIN},
            "cw": dict(font.cw), "missing_width": desc.missing_width,
            "desc": {a: getattr(desc, a) for a in _DESC}, "flags": desc.flags.value}


def _restore(pdf, name: str, path: Path, cached: dict) -> bool:
    from fontTools import ttLib
    from fpdf.enums import TextEmphasis
    from fpdf.font_type_3 import get_color_font_object
    from fpdf.fonts import FontDescriptorFlags, PDFFontDescriptor, SubsetMap, TTFFont

    try:
        plain, widths, default = cached["plain"], cached["cw"], cached["missing_width"]
        desc = PDFFontDescriptor(flags=FontDescriptorFlags(cached["flags"]), **cached["desc"])
    except (KeyError, TypeError, ValueError):
        return False
    font = TTFFont.__new__(TTFFont)
    for attribute, value in plain.items():
        setattr(font, attribute, value)
    font.i = len(pdf.fonts) + 1
    font.ttffile = path
    font.fontkey = name
    font.biggest_size_pt = 0
    font._hbfont = None
    # lazy: only the table directory is read now; the outlines of the glyphs used, when the PDF is written
    font.ttfont = opened.pop(Path(path), None) or ttLib.TTFont(path, recalcTimestamp=False,
                                                               fontNumber=font.collection_font_number, lazy=True)
    font.desc = desc
    font.cw = defaultdict(lambda: default, widths)
    font.emphasis = TextEmphasis.coerce("")
    font.subset = SubsetMap(font)
    font.palette_index = 0
    font.color_font = get_color_font_object(pdf, font, 0) if pdf.render_color_fonts else None
    pdf.fonts[name] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")
    return True
