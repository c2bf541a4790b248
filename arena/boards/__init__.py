"""Index boards (强村富民指数榜): the values a board definition is parsed into.

``definition`` parses a board from TOML/JSON, ``ingest`` reads its values from CSV/XLSX and writes
the computed board to Excel; the computation itself is pure, in ``arena.scoring.index`` and
``arena.scoring.flags``.
"""

from __future__ import annotations

from dataclasses import dataclass

from arena.scoring.flags import FlagRule, IncentiveRates
from arena.scoring.index import Indicator


@dataclass(frozen=True, slots=True)
class BoardScope:
    """The county or city whose villages are ranked."""

    level: str
    name: str


@dataclass(frozen=True, slots=True)
class Period:
    """A year ("2025") or a quarter ("2025Q3")."""

    kind: str
    label: str

    def previous(self) -> Period:
        """The period before this one (2025 → 2024, 2025Q1 → 2024Q4)."""
        year = int(self.label[:4])
        if self.kind == "year":
            return Period("year", str(year - 1))
        quarter = int(self.label[-1])
        return Period("quarter", f"{year - 1}Q4" if quarter == 1 else f"{year}Q{quarter - 1}")


@dataclass(frozen=True, slots=True)
class ValueBounds:
    """The range an imported value must lie in (None = unbounded)."""

    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True, slots=True)
class Village:
    """A village on the board."""

    code: str
    name: str
    township: str
    county: str
    cadres: int


@dataclass(frozen=True, slots=True)
class Board:
    """A parsed board definition."""

    name: str
    scope: BoardScope
    period: Period
    indicators: tuple[Indicator, ...]
    bounds: tuple[ValueBounds, ...]  # aligned with indicators
    villages: tuple[Village, ...]
    flag_rules: tuple[FlagRule, ...]
    rates: IncentiveRates

    def other_cadres(self) -> dict[str, int]:
        """Village code → number of cadres besides the secretary."""
        return {v.code: v.cadres for v in self.villages}
