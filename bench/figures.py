"""The registry of bench figures.

A figure is a named number with a unit and a line on how it is measured. A producer function makes
one or more figures: those that come out of one session (one pty, one launch) share a producer, so
it runs once per bench run however many of its figures are asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.pty_session import SessionError


class BenchError(Exception):
    """A figure could not be measured; the message says why."""


Producer = Callable[["Run"], dict[str, float]]


@dataclass(frozen=True)
class Figure:
    name: str
    unit: str
    how: str
    producer: Producer


FIGURES: dict[str, Figure] = {}


def produces(*figures: tuple[str, str, str]) -> Callable[[Producer], Producer]:
    """Register the decorated function as the producer of the figures given as (name, unit, how);
    it returns {name: value} for each of them."""

    def register(producer: Producer) -> Producer:
        for name, unit, how in figures:
            if name in FIGURES:
                raise ValueError(f"bench figure {name} is registered twice")
            FIGURES[name] = Figure(name, unit, how, producer)
        return producer

    return register


class Run:
    """One bench run: each producer runs at most once; `workdir` is scratch space its producers
    share (e.g. one demo database for all app launches) and lives as long as the run."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._values: dict[str, float] = {}
        self._errors: dict[Producer, Exception] = {}

    def value(self, name: str) -> float:
        """The figure's value, measuring it (and its session mates) on first use; raises BenchError."""
        producer = FIGURES[name].producer
        if name not in self._values and producer not in self._errors:
            try:
                self._values.update(producer(self))
            except (BenchError, SessionError) as exc:
                self._errors[producer] = exc
        if producer in self._errors:
            raise BenchError(str(self._errors[producer]))
        return self._values[name]
