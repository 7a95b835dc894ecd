"""《专项维修资金分摊明细业主签字确认表》: one row per house, in the order given (the service sorts
by building, unit, floor and room), a heading per building and unit, a subtotal per building and
the grand total; the column heads repeat on every page, and the 业主签字 column leaves room to sign.

Ruling is drawn per run of rows (one vertical line per column per run, one horizontal per row)
rather than per cell, which keeps a 5,000-house table fast and small.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from reports.amounts import rmb_capitals, square_metres, yuan
from reports import titles
from reports.data import LineData, OrderData, Stamp
from reports.frame import BODY_BOTTOM, BODY_TOP, LEFT, PT, RIGHT, SHADE, WIDTH, FormPDF

SIZE = 9.0
ROW_H = 9.0  # room for a signature
BAND_H = 6.5
HEAD_H = 11.0
PAD = 1.2
GAP = 1.2
# (head, width, alignment)
COLUMNS = (
    ("序号", 11.0, "C"), ("房号", 15.0, "C"), ("业主姓名（名称）", 36.0, "L"), ("建筑面积\n(㎡)", 18.0, "R"),
    ("分摊金额\n(元)", 21.0, "R"), ("可用余额\n(元)", 21.0, "R"), ("自筹金额\n(元)", 20.0, "R"),
    ("业主签字", 38.0, "C"),
)
EDGES = [LEFT]
for _head, _width, _align in COLUMNS:
    EDGES.append(EDGES[-1] + _width)
PROGRESS_EVERY = 250

Progress = Callable[[int, int], None]


class _Table:
    """Rows placed top to bottom, a new page (with the column heads) whenever one would not fit."""

    def __init__(self, pdf: FormPDF, y: float) -> None:
        self.pdf = pdf
        self.y = y
        self.run_top = y
        self.heading = ""  # the building and unit of the rows being placed
        self.heading_due = False  # drawn with the first row under it, never alone at a page foot
        self.head()

    def fit(self, h: float, continued: bool = False) -> None:
        """Start a new page unless `h` fits; `continued` repeats the heading there, marked 续."""
        if self.y + h > BODY_BOTTOM:
            self.close_run()
            self.pdf.add_page()
            self.y = BODY_TOP
            self.head()
            if continued and self.heading:
                self._band(f"{self.heading}（续）")

    def close_run(self) -> None:
        """The vertical rules of the rows placed since the last full-width row."""
        if self.y > self.run_top:
            for x in EDGES:
                self.pdf.line(x, self.run_top, x, self.y)
        self.run_top = self.y

    def _rule(self, weight: float = 0.25) -> None:
        self.pdf.set_line_width(weight)
        self.pdf.line(LEFT, self.y, RIGHT, self.y)
        self.pdf.set_line_width(0.25)

    def head(self) -> None:
        pdf = self.pdf
        pdf.set_fill_color(*SHADE)
        pdf.rect(LEFT, self.y, WIDTH, HEAD_H, style="DF")
        pdf.set_fill_color(0)
        for (text, width, _align), x in zip(COLUMNS, EDGES):
            pdf.put_in(x, self.y, width, HEAD_H, text, SIZE, "C", PAD, GAP)
        self.run_top = self.y
        self.y += HEAD_H
        self.close_run()
        self._rule(0.4)

    def cells(self, values: list[str], h: float, widths: list[float]) -> None:
        """One row's texts, `widths` being their measured widths; long ones wrap in their cell."""
        pdf, y = self.pdf, self.y
        baseline = y + h / 2 + 0.4 * SIZE * PT
        for (_head, width, align), x, text, used in zip(COLUMNS, EDGES, values, widths):
            if not text:
                continue
            if used > width - 2 * PAD:
                pdf.put_in(x, y, width, h, text, SIZE, align, PAD, GAP)
            elif align == "R":
                pdf.put(x + width - PAD - used, baseline, text, SIZE)
            elif align == "C":
                pdf.put(x + (width - used) / 2, baseline, text, SIZE)
            else:
                pdf.put(x + PAD, baseline, text, SIZE)
        self.y += h
        self._rule()

    def row(self, values: list[str]) -> None:
        widths = [self.pdf.width_of(text, SIZE) for text in values]
        h = ROW_H
        for (_head, width, _align), text, used in zip(COLUMNS, values, widths):
            if used > width - 2 * PAD:
                h = max(h, self.pdf.height_for(text, width, SIZE, PAD, GAP))
        if self.heading_due:
            self.fit(BAND_H + h)
            self._band(self.heading)
            self.heading_due = False
        else:
            self.fit(h, continued=True)
        self.cells(values, h, widths)

    def band(self, text: str) -> None:
        """A full-width heading row (building and unit) over the rows that follow."""
        self.heading = text
        self.heading_due = True

    def _band(self, text: str) -> None:
        self.close_run()
        pdf = self.pdf
        pdf.rect(LEFT, self.y, WIDTH, BAND_H)
        pdf.put(LEFT + PAD, self.y + BAND_H / 2 + 0.4 * SIZE * PT, text, SIZE)
        self.y += BAND_H
        self.run_top = self.y

    def total(self, label: str, lines: list[LineData]) -> None:
        """A subtotal or total: the label over the first three columns, the sums in theirs."""
        self.fit(ROW_H)
        self.close_run()
        pdf = self.pdf
        pdf.set_fill_color(*SHADE)
        pdf.rect(LEFT, self.y, WIDTH, ROW_H, style="DF")
        pdf.set_fill_color(0)
        for x in EDGES[3:-1]:
            pdf.line(x, self.y, x, self.y + ROW_H)
        label_w = EDGES[3] - LEFT
        pdf.put_in(LEFT, self.y, label_w, ROW_H, label, SIZE, "C", PAD, GAP)
        sums = [square_metres(sum(x.area for x in lines)), yuan(sum(x.share for x in lines)),
                yuan(sum(x.available for x in lines)), yuan(sum(x.arrears for x in lines))]
        values = ["", "", ""] + sums + [""]
        self.cells(values, ROW_H, [self.pdf.width_of(text, SIZE) for text in values])
        self.run_top = self.y


def _summary(pdf: FormPDF, data: OrderData, y: float) -> float:
    label, value = 30.0, 60.0
    rows = [
        [(label, "小区名称", "label"), (value, data.community, "text"),
         (label, "项目名称", "label"), (value, data.project_name, "text")],
        [(label, "申请支取金额(元)", "label"), (value, f"{yuan(data.amount)}（{rmb_capitals(data.amount)}）", "text"),
         (label, "分摊方式", "label"), (value, f"{data.method}，分摊标准 {data.rate} 元/㎡", "text")],
    ]
    for cells in rows:
        y = pdf.grid_row(y, cells, size=9.5, min_h=7.5)
    return y + 3


def render(data: OrderData, stamp: Stamp, progress: Progress | None = None) -> bytes:
    pdf = FormPDF(titles.title(titles.SIGN_SHEET, data.city), data.application_no, stamp)
    pdf.add_page()
    table = _Table(pdf, _summary(pdf, data, BODY_TOP))
    total = len(data.lines)
    done = 0
    for building, in_building in groupby(data.lines, key=lambda x: x.building):
        houses = list(in_building)
        for unit, in_unit in groupby(houses, key=lambda x: x.unit):
            table.band(f"{building}　{unit}单元")
            for line in in_unit:
                done += 1
                table.row([str(done), line.room_no, line.owner, square_metres(line.area), yuan(line.share),
                           yuan(line.available), yuan(line.arrears) if line.arrears else "", ""])
                if progress and done % PROGRESS_EVERY == 0:
                    progress(done, total)
        table.total(f"{building}小计（{len(houses)}户）", houses)
    table.total(f"合计（{total}户）", list(data.lines))
    table.close_run()
    _closing(pdf, table.y + 4)
    if progress:
        progress(total, total)
    return bytes(pdf.output())


def _closing(pdf: FormPDF, y: float) -> None:
    if y + 22 > BODY_BOTTOM:
        pdf.add_page()
        y = BODY_TOP
    note = "说明：分摊金额按申请支取金额及分摊方式计算；可用余额不足分摊金额的部分为业主自筹金额。"
    pdf.put(LEFT, y + 4, note, 9)
    pdf.put(LEFT, y + 14, "物业服务企业（盖章）：", 10.5)
    pdf.put(LEFT + 78, y + 14, "经办人：", 10.5)
    pdf.put(LEFT + 128, y + 14, "年　　　月　　　日", 10.5)
