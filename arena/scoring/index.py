"""Index board (强村富民指数榜): normalise indicators, weight them into an index, rank, compare.

Every figure can be re-derived by an official from the raw values:

- per indicator, across the board's villages, a score from 0 to 100 that respects direction:
  ``minmax`` (x − min) / (max − min) × 100, reversed (max − x) / (max − min) × 100 when lower is
  better, 100 for everyone when all values are equal; ``zscore`` the T-score 50 + 10·z with the
  population standard deviation (divide by n), z negated when lower is better, clipped to [0, 100],
  50 for everyone when all values are equal; ``percentile`` the share of the *other* villages it
  beats, a tie counting half, × 100 (50 when it is the only village);
- index = Σ wᵢ·scoreᵢ / Σ wᵢ, rounded to 2 decimals half-up (see ``to_cents``);
- ranks by rounded index, highest first; equal rounded indexes share a rank (1, 2, 2, 4), listed
  by village code; the bottom 20% are the last ceil(0.2·n) positions, a tie group crossing that
  boundary included whole (the rule of the round ranking).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt

Direction = Literal["higher", "lower"]
Normalisation = Literal["minmax", "zscore", "percentile"]
DIRECTIONS: tuple[Direction, ...] = ("higher", "lower")
NORMALISATIONS: tuple[Normalisation, ...] = ("minmax", "zscore", "percentile")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Indicator:
    """One column of the board: what is measured, which way is better, how much it weighs."""

    code: str
    name: str
    unit: str
    direction: Direction
    weight: float
    normalisation: Normalisation = "minmax"


@dataclass(frozen=True, slots=True)
class VillageRow:
    """One village's line of the board."""

    code: str
    rank: int
    index: float
    bottom20: bool
    values: tuple[float, ...]
    scores: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class IndicatorStanding:
    """A village's value and score on one indicator against the board's medians."""

    code: str
    name: str
    unit: str
    value: float
    median: float
    score: float
    median_score: float
    gap: float  # score − median score: positive means better than the board's median


def to_cents(x: FloatArray) -> IntArray:
    """Round to hundredths half-up, as integer cents, so a calculator agrees at .xx5."""
    # floor(x·100 + 0.5) is half-up; the extra 1e-9 absorbs the float error that can put an
    # exact decimal .xx5 one ulp below (e.g. weights 0.1/0.2/0.7); only values within 1e-11 of a
    # half-cent are affected, far below the precision of any imported figure.
    return np.floor(np.asarray(x, dtype=np.float64) * 100.0 + 0.5 + 1e-9).astype(np.int64)


@dataclass(frozen=True, eq=False)
class BoardResult:
    """A computed board; arrays are aligned with ``village_codes`` (input order)."""

    village_codes: npt.NDArray[np.str_]
    indicators: tuple[Indicator, ...]
    values: FloatArray  # n×m raw values
    normalised: FloatArray  # n×m scores 0–100
    index_cents: IntArray  # rounded index × 100
    rank: IntArray
    bottom20: BoolArray
    order: IntArray  # input positions in rank order (ties by village code)
    code_order: IntArray  # input positions in village-code order

    def __len__(self) -> int:
        return int(self.village_codes.shape[0])

    @property
    def index(self) -> FloatArray:
        """The rounded index (2 decimals) of every village."""
        return self.index_cents / 100.0

    @cached_property
    def _sorted_codes(self) -> npt.NDArray[np.str_]:
        return self.village_codes[self.code_order]

    def positions(self, codes: Sequence[str] | npt.NDArray[np.str_]) -> tuple[IntArray, BoolArray]:
        """Input positions of ``codes`` and whether each is on the board (vectorised)."""
        wanted = np.asarray(codes, dtype=np.str_)
        n = len(self)
        if n == 0 or wanted.size == 0:
            return np.zeros(wanted.shape, np.int64), np.zeros(wanted.shape, np.bool_)
        at = np.minimum(np.searchsorted(self._sorted_codes, wanted), n - 1)
        return self.code_order[at], self._sorted_codes[at] == wanted

    def position(self, code: str) -> int:
        """Input position of one village; KeyError if it is not on the board."""
        at, found = self.positions([code])
        if not found[0]:
            raise KeyError(f"村“{code}”不在本指数榜中")
        return int(at[0])

    def row(self, code: str) -> VillageRow:
        """One village's line of the board."""
        return self._row_at(self.position(code))

    def rows(self) -> Iterator[VillageRow]:
        """Every village's line, in rank order."""
        for i in self.order.tolist():
            yield self._row_at(i)

    def _row_at(self, i: int) -> VillageRow:
        return VillageRow(
            code=str(self.village_codes[i]),
            rank=int(self.rank[i]),
            index=int(self.index_cents[i]) / 100,
            bottom20=bool(self.bottom20[i]),
            values=tuple(self.values[i].tolist()),
            scores=tuple(self.normalised[i].tolist()),
        )


@dataclass(frozen=True, slots=True)
class VillageDelta:
    """Change of one village against the previous period (positive rank change = moved up)."""

    index: float
    rank: int


@dataclass(frozen=True, eq=False)
class BoardDelta:
    """Changes against the previous period, aligned with the current board's villages."""

    current: BoardResult
    present: BoolArray  # the village was on the previous board
    index_change_cents: IntArray  # now − before, 0 where absent
    rank_change: IntArray  # rank before − rank now, 0 where absent

    @property
    def index_change(self) -> FloatArray:
        """Index change (2 decimals), NaN for villages new to the board."""
        return np.where(self.present, self.index_change_cents / 100.0, np.nan)

    def for_village(self, code: str) -> VillageDelta | None:
        """One village's change, or None if it was not on the previous board."""
        i = self.current.position(code)
        if not self.present[i]:
            return None
        return VillageDelta(int(self.index_change_cents[i]) / 100, int(self.rank_change[i]))


def _check(
    codes: npt.NDArray[np.str_], values: FloatArray, indicators: Sequence[Indicator]
) -> None:
    if values.ndim != 2 or values.shape != (codes.shape[0], len(indicators)):
        raise ValueError(
            f"数值表应为 {codes.shape[0]} 行 × {len(indicators)} 列，实为 {values.shape}"
        )
    if not indicators:
        raise ValueError("指数榜至少需要一个指标")
    for ind in indicators:
        if ind.direction not in DIRECTIONS:
            raise ValueError(f"指标“{ind.code}”的方向“{ind.direction}”无效")
        if ind.normalisation not in NORMALISATIONS:
            raise ValueError(f"指标“{ind.code}”的标准化方法“{ind.normalisation}”无效")
        if not (np.isfinite(ind.weight) and ind.weight > 0):
            raise ValueError(f"指标“{ind.code}”的权重必须大于 0")
    if not np.isfinite(values).all():
        raise ValueError("数值表中有非有限数值（NaN 或无穷大）")


def _zscore(col: FloatArray, lower: bool) -> FloatArray:
    if col.min() == col.max():
        return np.full(col.shape, 50.0)
    z = (col - col.mean()) / col.std()
    return np.clip(50.0 - 10.0 * z if lower else 50.0 + 10.0 * z, 0.0, 100.0)


def _percentile(col: FloatArray, lower: bool) -> FloatArray:
    n = col.shape[0]
    if n == 1:
        return np.full(1, 50.0)
    ordered = np.sort(col)
    below = np.searchsorted(ordered, col, side="left")
    ties = np.searchsorted(ordered, col, side="right") - below - 1  # other villages equal to it
    share = (below + 0.5 * ties) / (n - 1) * 100.0
    return 100.0 - share if lower else share


def normalise(values: FloatArray, indicators: Sequence[Indicator]) -> FloatArray:
    """Score every indicator 0–100 across the villages (rows), respecting direction."""
    lower = np.array([ind.direction == "lower" for ind in indicators])
    mins, maxs = values.min(axis=0), values.max(axis=0)
    span = maxs - mins
    constant = span == 0
    # one affine pass over the whole matrix: (x − base) × scale, base = max and a negative scale
    # when lower is better, so (max − x) / (max − min) × 100
    scale = np.where(constant, 0.0, 100.0 / np.where(constant, 1.0, span))
    scale = np.where(lower, -scale, scale)
    scores = np.subtract(values, np.where(lower, maxs, mins))
    scores *= scale
    scores += 0.0  # turns the −0.0 of (max − max) × negative scale into 0.0
    for j, ind in enumerate(indicators):
        if ind.normalisation == "zscore":
            scores[:, j] = _zscore(values[:, j], bool(lower[j]))
        elif ind.normalisation == "percentile":
            scores[:, j] = _percentile(values[:, j], bool(lower[j]))
        elif constant[j]:
            scores[:, j] = 100.0
    return scores


def compute_board(
    village_codes: Sequence[str] | npt.NDArray[np.str_],
    values: npt.ArrayLike,
    indicators: Sequence[Indicator],
) -> BoardResult:
    """Normalise, weight, round, rank and mark the bottom 20% of a board."""
    codes = np.asarray(village_codes, dtype=np.str_).reshape(-1)
    matrix = np.asarray(values, dtype=np.float64)
    _check(codes, matrix, indicators)
    n = codes.shape[0]
    if n == 0:
        raise ValueError("指数榜没有村")
    code_order = np.argsort(codes, kind="stable")
    sorted_codes = codes[code_order]
    repeated = np.flatnonzero(sorted_codes[1:] == sorted_codes[:-1])
    if repeated.size:
        shown = "、".join(str(c) for c in sorted_codes[repeated[:5]])
        raise ValueError(f"村代码重复：{shown}")

    scores = normalise(matrix, indicators)
    weights = np.array([ind.weight for ind in indicators], dtype=np.float64)
    cents = to_cents(scores @ weights / weights.sum())

    # one integer sort: highest index first, then village code (codes are unique)
    code_rank = np.empty(n, np.int64)
    code_rank[code_order] = np.arange(n)
    order = np.argsort((cents.max() - cents) * n + code_rank)
    ranked = cents[order]
    starts = np.empty(n, np.bool_)
    starts[0] = True
    np.not_equal(ranked[1:], ranked[:-1], out=starts[1:])
    rank = np.empty(n, np.int64)
    rank[order] = np.maximum.accumulate(np.where(starts, np.arange(n), 0)) + 1
    follow_up = -(-n // 5)  # ceil(n / 5) in integers: 0.2 × 15 is 3.0000000000000004 in floats
    bottom20 = cents <= ranked[n - follow_up]
    return BoardResult(
        codes, tuple(indicators), matrix, scores, cents, rank, bottom20, order, code_order
    )


def board_delta(current: BoardResult, previous: BoardResult) -> BoardDelta:
    """Index change (now − before) and rank change (before − now) per village of ``current``."""
    at, present = previous.positions(current.village_codes)
    index_change = np.where(present, current.index_cents - previous.index_cents[at], 0)
    rank_change = np.where(present, previous.rank[at] - current.rank, 0)
    return BoardDelta(current, present, index_change, rank_change)


def indicator_medians(matrix: FloatArray) -> FloatArray:
    """Each column's median across villages (raw values or scores)."""
    return np.median(matrix, axis=0)


def against_median(result: BoardResult, code: str) -> tuple[IndicatorStanding, ...]:
    """One village's value and score on each indicator against the board's medians."""
    i = result.position(code)
    medians = indicator_medians(result.values)
    median_scores = indicator_medians(result.normalised)
    return tuple(
        IndicatorStanding(
            code=ind.code,
            name=ind.name,
            unit=ind.unit,
            value=float(result.values[i, j]),
            median=float(medians[j]),
            score=float(result.normalised[i, j]),
            median_score=float(median_scores[j]),
            gap=float(result.normalised[i, j] - median_scores[j]),
        )
        for j, ind in enumerate(result.indicators)
    )
