"""The page frame every document shares: A4, the embedded Chinese font, and on every page the
title, the application number as text and as a QR code, 第 x 页 共 y 页, the print time and,
on a reprint, the red 补打 mark.

Text is placed with `FPDF.text` and widths come from a per-character cache: a 5,000-house table
places some 40,000 strings, and fpdf2's `cell`/`get_string_width` machinery would take most of
the time budget on its own.
"""

from __future__ import annotations

import io
import os
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from fpdf import FPDF

from reports import font_cache
from reports.data import Stamp
from reports.fonts import font_chain

FONT = "zh"
FONT_ENV = "WXZJ_PDF_FONT"
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
PT = 25.4 / 72  # mm per point

PAGE_W = 210.0
LEFT, RIGHT = 15.0, 195.0
WIDTH = RIGHT - LEFT
BODY_TOP = 36.0  # below the header
BODY_BOTTOM = 281.0  # above the footer
QR_SIZE = 17.0
RED = (200, 30, 30)
BLACK = (0, 0, 0)
SHADE = (236, 236, 236)
NO_LINE_START = frozenset("，。、；：？！）》」』”’·…—,.;:?!)%")
NO_LINE_END = frozenset("（《「『“‘(")


def font_path() -> Path:
    """Noto Sans SC from the pylopdf-fonts-zh-cn package, or the file WXZJ_PDF_FONT names."""
    override = os.environ.get(FONT_ENV, "").strip()
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"{FONT_ENV} 指定的字体文件不存在：{path}")
        return path
    return Path(str(resources.files("pylopdf_fonts_zh_cn") / "NotoSansSC-Regular.otf"))


def _qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=8, border=0)
    return out.getvalue()


class FormPDF(FPDF):
    """A4 portrait in millimetres with the shared header and footer drawn on every page."""

    def __init__(self, title: str, application_no: str, stamp: Stamp) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = title
        self.application_no = application_no
        self.stamp = stamp
        chain = font_chain(font_path())
        self._primary = chain[0][2]
        self._fallbacks = chain[1:]  # added to the document only when a character needs one
        self._added: set[str] = set()
        self._add(FONT, chain[0][1])
        self.set_font(FONT, size=10.5)
        self.set_auto_page_break(False)  # each document breaks its own pages: rows never split
        self.set_margins(LEFT, 12, PAGE_W - RIGHT)
        self.set_title(title)
        self.set_subject(application_no)
        self.set_creator("wxzj")
        # The time of the print, not of the rendering: the same stamp renders the same file.
        printed = datetime.strptime(stamp.printed_at, "%Y-%m-%d %H:%M:%S").replace(tzinfo=LOCAL_ZONE)
        self.set_creation_date(printed)
        self._qr = io.BytesIO(_qr_png(application_no))
        self._em: dict[str, float] = {}
        self._color = (0, 0, 0)

    # -- fonts -------------------------------------------------------------------------------------
    def _add(self, name: str, path: Path) -> None:
        font_cache.add_font(self, name, path)  # what fpdf2 derives from the file, from the machine's cache
        # Recomputing the bounding boxes of the subset's CFF outlines would take half a second
        # per document; the whole font's boxes serve as well.
        self.fonts[name].ttfont.recalcBBoxes = False
        self._added.add(name)

    def _font_of(self, char: str) -> str:
        """The font that prints `char`: the primary one unless only a fallback has it."""
        code = ord(char)
        if code in self._primary:
            return FONT
        for name, path, points in self._fallbacks:
            if code in points:
                if name not in self._added:
                    self._add(name, path)
                return name
        return FONT  # check_printable refused the document before it got here

    def _runs(self, text: str) -> list[tuple[str, str]]:
        runs: list[tuple[str, str]] = []
        for char in text:
            name = self._font_of(char)
            if runs and runs[-1][0] == name:
                runs[-1] = (name, runs[-1][1] + char)
            else:
                runs.append((name, char))
        return runs

    # -- measuring and placing text ---------------------------------------------------------------
    def width_of(self, text: str, size: float) -> float:
        """Width in mm at `size` pt, from widths cached per character (no shaping, no kerning)."""
        em = self._em
        total = 0.0
        for char in text:
            width = em.get(char)
            if width is None:
                name = self._font_of(char)
                if name == FONT:
                    width = self.get_string_width(char) / self.font_size  # in em
                else:
                    size_pt = self.font_size_pt
                    self.set_font(name, size=size_pt)
                    width = self.get_string_width(char) / self.font_size
                    self.set_font(FONT, size=size_pt)
                em[char] = width
            total += width
        return total * size * PT

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """Greedy line breaking at any character (Chinese has no spaces to break at), except
        that closing punctuation never starts a line and opening punctuation never ends one:
        the neighbouring character moves to the next line with it."""
        lines: list[str] = []
        for paragraph in (text or "").split("\n"):
            line = ""
            for char in paragraph:
                if line and self.width_of(line + char, size) > width:
                    carried = 0
                    if char in NO_LINE_START:
                        carried = 1
                    while carried < len(line) - 1 and line[-1 - carried] in NO_LINE_END:
                        carried += 1
                    if carried:
                        lines.append(line[:-carried])
                        line = line[-carried:]
                    else:
                        lines.append(line)
                        line = ""
                line += char
            lines.append(line)
        return lines

    def put(self, x: float, baseline: float, text: str, size: float, color: tuple[int, int, int] = (0, 0, 0)) -> None:
        if text:
            if size != self.font_size_pt:
                self.set_font_size(size)
            if color != self._color:
                self.set_text_color(*color)
                self._color = color
            if all(ord(c) in self._primary for c in text):
                self.text(x, baseline, text)
                return
            for name, run in self._runs(text):  # a rare character in a fallback font, in place
                if name != FONT:
                    self.set_font(name, size=size)
                self.text(x, baseline, run)
                if name != FONT:
                    self.set_font(FONT, size=size)
                x += self.width_of(run, size)

    def put_in(self, x: float, y: float, w: float, h: float, text: str, size: float, align: str = "L",
               pad: float = 1.5, line_gap: float = 1.35) -> None:
        """Text inside the box (x, y, w, h): wrapped to its width, centred vertically."""
        lines = self.wrap(text, w - 2 * pad, size) if self.width_of(text, size) > w - 2 * pad else [text]
        step = size * PT * line_gap
        top = y + (h - step * len(lines)) / 2
        for index, line in enumerate(lines):
            if align == "R":
                left = x + w - pad - self.width_of(line, size)
            elif align == "C":
                left = x + (w - self.width_of(line, size)) / 2
            else:
                left = x + pad
            self.put(left, top + step * index + size * PT * 1.02, line, size)

    def height_for(self, text: str, w: float, size: float, pad: float = 1.5, line_gap: float = 1.35) -> float:
        """The height `put_in` needs for this text, padding included."""
        lines = 1 if self.width_of(text, size) <= w - 2 * pad else len(self.wrap(text, w - 2 * pad, size))
        return lines * size * PT * line_gap + 2 * pad

    # -- the frame --------------------------------------------------------------------------------
    def header(self) -> None:
        title_size = 17 if self.width_of(self.doc_title, 17) <= WIDTH - 2 * QR_SIZE - 12 else 14
        self.put((PAGE_W - self.width_of(self.doc_title, title_size)) / 2, 20, self.doc_title, title_size)
        self.image(self._qr, RIGHT - QR_SIZE, 9, QR_SIZE, QR_SIZE)
        self.put(LEFT, 30.5, f"申请编号：{self.application_no}", 10)
        self.set_draw_color(*BLACK)
        self.set_line_width(0.5)
        self.line(LEFT, 32.5, RIGHT, 32.5)
        self.set_line_width(0.2)
        self.line(LEFT, 33.3, RIGHT, 33.3)
        if self.stamp.reprint:
            self.set_draw_color(*RED)
            self.set_line_width(0.6)
            self.rect(LEFT, 11, 19, 10)
            self.put(LEFT + 3.2, 18.6, "补打", 14, RED)
            self.set_draw_color(*BLACK)
        self.set_line_width(0.25)

    def footer(self) -> None:
        self.set_draw_color(*BLACK)
        self.set_line_width(0.2)
        self.line(LEFT, 284, RIGHT, 284)
        label = "补打时间" if self.stamp.reprint else "打印时间"
        self.put(LEFT, 289, f"{label}：{self.stamp.printed_at}", 8.5)
        # fpdf2 fills in the total ({nb}) when the file is written, in cells only.
        self.set_font_size(9)
        self.set_text_color(0)
        self._color = (0, 0, 0)
        self.set_xy(LEFT, 286)
        self.cell(WIDTH, 4, f"第 {self.page_no()} 页 共 {{nb}} 页", align="C")
        serial = self.stamp.serial_text()
        self.put(RIGHT - self.width_of(serial, 8.5), 289, serial, 8.5)
        self.set_line_width(0.25)

    # -- form grids -------------------------------------------------------------------------------
    def grid_row(self, y: float, cells: list[tuple[float, str, str]], size: float = 10.5,
                 min_h: float = 8.5) -> float:
        """One row of a bordered form: (width, text, kind) per cell, kind "label" (shaded,
        centred) or "text". The row grows to fit wrapped text; a row that would cross the footer
        starts a new page. Returns the y below the row."""
        h = max([min_h] + [self.height_for(text, w, size) for w, text, _ in cells])
        if y + h > BODY_BOTTOM:
            self.add_page()
            y = BODY_TOP
        x = LEFT
        for w, text, kind in cells:
            if kind == "label":
                self.set_fill_color(*SHADE)
                self.rect(x, y, w, h, style="DF")
                self.set_fill_color(0)  # as the text colour: fpdf2 then needs no colour switch per string
            else:
                self.rect(x, y, w, h)
            self.put_in(x, y, w, h, text, size, "C" if kind == "label" else "L")
            x += w
        return y + h
