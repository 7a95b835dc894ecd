"""《欠款催缴通知单》: one notice per house whose available balance does not cover its share, as
many to a page as fit, with cut lines between them. Each notice carries its own heading and
application number, so it still says what it is once cut out."""

from __future__ import annotations

from reports.amounts import rmb_capitals, square_metres, yuan
from reports import titles
from reports.data import LineData, OrderData, Payment, Stamp
from reports.frame import BODY_BOTTOM, BODY_TOP, LEFT, PT, RIGHT, SHADE, WIDTH, FormPDF

SIZE = 10.0
STEP = SIZE * PT * 1.4  # line pitch of the running text
INSET = 5.0
TEXT_W = WIDTH - 2 * INSET
TABLE = (("房屋坐落", 58.0), ("建筑面积(㎡)", 24.0), ("分摊金额(元)", 28.0), ("可用余额(元)", 28.0),
         ("应交金额(元)", TEXT_W - 138.0))
TABLE_HEAD_H, TABLE_ROW_MIN = 6.5, 7.0
CUT_GAP = 8.0
DATE = "年　　　月　　　日"


class _Notice:
    """One notice laid out once: measured first, so the page break falls between notices."""

    def __init__(self, pdf: FormPDF, data: OrderData, payment: Payment, line: LineData, number: int,
                 count: int) -> None:
        self.pdf, self.data, self.line = pdf, data, line
        self.header = f"第 {number} 份　共 {count} 份"
        self.greeting = pdf.wrap(f"尊敬的 {line.owner} 业主：", TEXT_W, SIZE)
        self.location = f"{data.community}{line.building}{line.unit}单元{line.room_no}"
        body = (f"　　{data.enterprise}申请使用住宅专项维修资金实施“{data.project_name}”，{data.method}分摊。"
                "您房屋的维修资金账户可用余额不足以支付应分摊金额，差额部分需由您自筹交纳。明细如下：")
        self.body = pdf.wrap(body, TEXT_W, SIZE)
        pay = (f"　　请于 {payment.deadline} 前将应交金额交至{payment.payee}"
               f"（地址：{payment.address}；联系人：{payment.contact}）。")
        self.pay = pdf.wrap(pay, TEXT_W, SIZE)
        seal = f"{data.enterprise}（盖章）"
        self.closing = ([f"{seal}　　{DATE}"] if pdf.width_of(f"{seal}　　{DATE}", SIZE) <= TEXT_W
                        else pdf.wrap(seal, TEXT_W, SIZE) + [DATE])
        self.row_h = max(TABLE_ROW_MIN, pdf.height_for(self.location, TABLE[0][1], SIZE))
        self.height = (INSET + 8 + STEP * (len(self.greeting) + len(self.body)) + 1.5 + TABLE_HEAD_H
                       + self.row_h + 2 + STEP * (1 + len(self.pay)) + 3 + STEP * len(self.closing) + INSET / 2)

    def _lines(self, y: float, lines: list[str], right: bool = False) -> float:
        for text in lines:
            x = RIGHT - INSET - self.pdf.width_of(text, SIZE) if right else LEFT + INSET
            self.pdf.put(x, y + SIZE * PT, text, SIZE)
            y += STEP
        return y

    def draw(self, y: float) -> None:
        pdf, line = self.pdf, self.line
        pdf.set_line_width(0.4)
        pdf.rect(LEFT, y, WIDTH, self.height)
        pdf.set_line_width(0.25)
        y += INSET
        name = titles.title(titles.ARREARS, self.data.city)
        size = 14 if pdf.width_of(name, 14) <= WIDTH - 2 * INSET - 2 * pdf.width_of(self.header, 9) else 12
        pdf.put((LEFT + RIGHT - pdf.width_of(name, size)) / 2, y + 4.5, name, size)
        pdf.put(RIGHT - INSET - pdf.width_of(self.header, 9), y + 4, self.header, 9)
        pdf.put(LEFT + INSET, y + 4, f"申请编号：{self.data.application_no}", 9)
        y = self._lines(y + 8, self.greeting + self.body) + 1.5
        cells = [(self.location, "L"), (square_metres(line.area), "R"), (yuan(line.share), "R"),
                 (yuan(line.available), "R"), (yuan(line.arrears), "R")]
        x = LEFT + INSET
        pdf.set_fill_color(*SHADE)
        for head, width in TABLE:
            pdf.rect(x, y, width, TABLE_HEAD_H, style="DF")
            pdf.put_in(x, y, width, TABLE_HEAD_H, head, 9.5, "C")
            x += width
        pdf.set_fill_color(0)
        x = LEFT + INSET
        for (_head, width), (text, align) in zip(TABLE, cells):
            pdf.rect(x, y + TABLE_HEAD_H, width, self.row_h)
            pdf.put_in(x, y + TABLE_HEAD_H, width, self.row_h, text, SIZE, align)
            x += width
        y += TABLE_HEAD_H + self.row_h + 2
        y = self._lines(y, [f"应交金额（大写）：人民币{rmb_capitals(line.arrears)}"] + self.pay) + 3
        self._lines(y, self.closing, right=True)


def _cut_line(pdf: FormPDF, y: float) -> None:
    label = "✂　沿此线剪开"
    width = pdf.width_of(label, 8)
    middle = (LEFT + RIGHT) / 2
    pdf.set_dash_pattern(dash=1.5, gap=1.2)
    pdf.line(LEFT - 5, y, middle - width / 2 - 2, y)
    pdf.line(middle + width / 2 + 2, y, RIGHT + 5, y)
    pdf.set_dash_pattern()
    pdf.put(middle - width / 2, y + 8 * PT * 0.35, label, 8)


def short_lines(data: OrderData) -> list[LineData]:
    return [line for line in data.lines if line.arrears > 0]


def render(data: OrderData, stamp: Stamp) -> bytes:
    """Raises ValueError when no house is short: the service checks first and says why."""
    short = short_lines(data)
    if not short or data.payment is None:
        raise ValueError("no house of this order is short of balance")
    pdf = FormPDF(titles.title(titles.ARREARS, data.city), data.application_no, stamp)
    pdf.add_page()
    y = BODY_TOP
    for number, line in enumerate(short, start=1):
        notice = _Notice(pdf, data, data.payment, line, number, len(short))
        if y > BODY_TOP and y + CUT_GAP + notice.height > BODY_BOTTOM:
            pdf.add_page()
            y = BODY_TOP
        elif y > BODY_TOP:
            _cut_line(pdf, y + CUT_GAP / 2)
            y += CUT_GAP
        notice.draw(y)
        y += notice.height
    return bytes(pdf.output())
