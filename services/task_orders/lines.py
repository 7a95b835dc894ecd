"""The apportionment lines of an order, in the one order every screen and document lists them: the
community's building order, then unit, floor and room position (the order owners walk the stairs in).

Before submission the lines come from the houses, sorted by HOUSE_ORDER. At submission each stored
line keeps its place in that order (`TaskOrderLine.seq`), so 到户支取详细信息, review, consent entry
and every printed document read the snapshot in the order the confirmation showed, whatever later
happens to the buildings, and never sort by a building's name as text (1, 10, 11, 2 …).
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlmodel import Session

from models import Building, House, TaskOrderLine
from reports.data import LineData

HOUSE_ORDER = (Building.sort_key, Building.id, House.unit, House.floor, House.room)

_L = TaskOrderLine
# In LineData's field order, so that a row's first columns make the line.
COLUMNS = (_L.building_name, _L.unit, _L.floor, _L.room_no, _L.owner_name, _L.area, _L.share, _L.available,
           _L.arrears, _L.house_id)
WIDTH = len(COLUMNS)


def stored(order_id: int, *extra) -> Select:
    """The stored lines of an order, in order: each row is COLUMNS, then `extra`."""
    return select(*COLUMNS, *extra).where(_L.task_order_id == order_id).order_by(_L.seq)


def line(row, choice: str = "") -> LineData:
    return LineData(*row[:WIDTH], choice)


def read(session: Session, order_id: int) -> list[LineData]:
    return [LineData(*row) for row in session.execute(stored(order_id))]
