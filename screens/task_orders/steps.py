"""The results the steps of the new-order flow hand back (see screens.task_orders.flow).

A step dismisses itself with a result that leaves it (Back, Discarded, Submitted, Again, Home). A
result that goes on while the step stays underneath (Started, OpenGrid, Confirm) it hands to the
`forward` callable the flow gave it, so that 上一步 returns to the step as the clerk left it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Back:
    """上一步: the step beneath carries on."""


@dataclass(frozen=True)
class Discarded:
    """撤销任务单: the draft is gone; back to the order home."""


@dataclass(frozen=True)
class Started:
    """进入业务: a draft exists for the chosen community."""

    order_id: int


@dataclass(frozen=True)
class OpenGrid:
    """选择分户: the house grid of one building."""

    building_id: int
    building_name: str


@dataclass(frozen=True)
class Confirm:
    """前往确认界面: the computed confirmation and the ticked buildings it covers."""

    confirmation: Any
    building_ids: list[int]


@dataclass(frozen=True)
class Submitted:
    """提交: the order is submitted; the end page shows `result`."""

    result: Any


@dataclass(frozen=True)
class Again:
    """再来一笔: back to the order home."""


@dataclass(frozen=True)
class Home:
    """返回首页: leave the task-order area."""


Leave = Back | Discarded | Submitted | Again | Home
Forward = Started | OpenGrid | Confirm
ForwardTo = Callable[[Forward], None]
