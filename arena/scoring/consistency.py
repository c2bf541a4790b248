"""Judges' consistency: the sheet-total table, severity, patterns, suspect sheets, judge effects.

Every figure works on the judges' *sheet totals* as they typed them (one per judge, village and
paper); the definitions, as the organiser's page names them:

- severity (宽严度) of judge j on a paper: over the villages j scored that at least one other
  judge scored too, the mean of d_v = x_jv − (mean of the other judges' totals on v). Positive
  means kinder than the rest, negative harsher. With n ≥ 2 villages it carries a 95% Student
  t-interval, mean ± t(0.975, n−1) × s / √n (s the sample standard deviation of the d_v).
- agreement per paper (ICC(2,1), ICC(2,k), Kendall's W): arena/scoring/agreement.py.
- patterns: a sheet of 3 or more items giving every item the same fraction of its maximum
  (光环: halo), or every item its maximum (全满分).
- suspect sheet (请核对): with at least 2 other judges on the same village and paper, m the
  median of their totals and s = 1.4826 × MAD (median absolute deviation) of their totals, a
  sheet is suspect when |x − m| > 3.5 × s and |x − m| ≥ 10% of the paper's maximum.
- judge effect (评委效应), for the what-if: the additive model x_jv = a_v + b_j, fitted by least
  squares on the sheets there are (alternating means until nothing moves), with Σ b_j = 0 over
  the judges of the paper. With every judge on every village b_j = judge mean − grand mean.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np

from arena.scoring.aggregate import Aggregation, JudgeSheet
from arena.scoring.numbers import ZERO, divide, q2

SUSPECT_MADS = Decimal("3.5")  # the modified z-score cut-off of Iglewicz & Hoaglin (1993)
MAD_SCALE = Decimal("1.4826")
SUSPECT_MIN_GAP = Decimal("0.10")  # of the paper's maximum
SUSPECT_MIN_OTHERS = 2
HALO_MIN_ITEMS = 3

# Two-sided 95% quantiles of Student's t, t(0.975, df), for df = 1 … 30.
_T975 = (
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
)  # fmt: skip
_Z975 = 1.959963984540054


def t975(df: int) -> float:
    """t(0.975, df): a table to 30, then the Cornish–Fisher expansion (error below 1e-4)."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be 1 or more, got {df}")
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass(frozen=True)
class PaperSheets:
    """One paper's sheets as the judges typed them, and each village's item maxima."""

    paper: str
    maximum: Decimal
    sheets: Mapping[str, Sequence[JudgeSheet]]  # village code -> sheets
    item_max: Mapping[str, Mapping[str, Decimal]]  # village code -> item code -> maximum


@dataclass(frozen=True)
class Table:
    """The villages × judges table of sheet totals (NaN where no sheet)."""

    villages: tuple[str, ...]
    judges: tuple[str, ...]
    values: np.ndarray


def table(paper: PaperSheets, judges: Sequence[str] = ()) -> Table:
    """Sheet totals as a villages × judges array; judges listed first keep their order."""
    seen = list(dict.fromkeys(judges))
    for sheets in paper.sheets.values():
        for sheet in sheets:
            if sheet.judge not in seen:
                seen.append(sheet.judge)
    villages = tuple(paper.sheets)
    column = {judge: i for i, judge in enumerate(seen)}
    values = np.full((len(villages), len(seen)), np.nan)
    for row, village in enumerate(villages):
        for sheet in paper.sheets[village]:
            values[row, column[sheet.judge]] = float(sheet.total)
    return Table(villages, tuple(seen), values)


@dataclass(frozen=True)
class Severity:
    """How much kinder (+) or harsher (−) one judge scores than the others on the same villages."""

    judge: str
    mean: float | None
    n: int
    low: float | None  # 95% t-interval; None below 2 villages
    high: float | None
    sd: float | None


def severities(t: Table) -> dict[str, Severity]:
    """Each judge's severity: mean of (own total − the other judges' mean) over shared villages."""
    out: dict[str, Severity] = {}
    present = ~np.isnan(t.values)
    sums = np.where(present, t.values, 0.0).sum(axis=1)
    counts = present.sum(axis=1)
    for col, judge in enumerate(t.judges):
        mine = present[:, col] & (counts >= 2)
        own = t.values[mine, col]
        others = (sums[mine] - own) / (counts[mine] - 1)
        d = own - others
        n = int(d.size)
        if n == 0:
            out[judge] = Severity(judge, None, 0, None, None, None)
            continue
        mean = float(d.mean())
        if n < 2:
            out[judge] = Severity(judge, mean, 1, None, None, None)
            continue
        sd = float(d.std(ddof=1))
        half = t975(n - 1) * sd / math.sqrt(n)
        out[judge] = Severity(judge, mean, n, mean - half, mean + half, sd)
    return out


@dataclass(frozen=True)
class Pattern:
    """A sheet with a halo (same fraction of the maximum everywhere) or every item at maximum."""

    paper: str
    village: str
    judge: str
    kind: Literal["halo", "all_max"]
    fraction: Decimal


def patterns(paper: PaperSheets) -> list[Pattern]:
    """The paper's halo and all-maximum sheets, by village then judge."""
    found = []
    for village, sheets in paper.sheets.items():
        maxima = paper.item_max.get(village, {})
        for sheet in sorted(sheets, key=lambda s: s.judge):
            codes = [c for c in sheet.items if maxima.get(c, ZERO) > 0]
            if len(codes) < HALO_MIN_ITEMS or len(codes) != len(sheet.items):
                continue
            first = codes[0]
            # points_i / max_i all equal, compared exactly: points_i × max_1 = points_1 × max_i
            if any(sheet.items[c] * maxima[first] != sheet.items[first] * maxima[c] for c in codes):
                continue
            fraction = divide(sheet.items[first], maxima[first])
            kind: Literal["halo", "all_max"] = "all_max" if fraction == 1 else "halo"
            found.append(Pattern(paper.paper, village, sheet.judge, kind, fraction))
    return found


@dataclass(frozen=True)
class Suspect:
    """A sheet whose total is far from the other judges' on the same village (请核对)."""

    paper: str
    village: str
    judge: str
    total: Decimal
    median_others: Decimal
    gap: Decimal  # total − median of the others
    scaled_mad: Decimal
    others: int


def _median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return divide(ordered[middle - 1] + ordered[middle], 2)


def _candidates(totals: np.ndarray, min_gap: float) -> np.ndarray:
    """(village, sheet) index pairs of a villages × k table of totals that the float screen
    cannot rule out; the exact Decimal test decides. One NumPy pass per number of judges."""
    count, k = totals.shape
    others = np.broadcast_to(totals[:, None, :], (count, k, k))[:, ~np.eye(k, dtype=bool)]
    others = others.reshape(count, k, k - 1)
    median = np.median(others, axis=2)
    mad = np.median(np.abs(others - median[:, :, None]), axis=2)
    gap = np.abs(totals - median)
    slack = 1e-6 * (1 + float(np.abs(totals).max()))
    near = (gap > float(SUSPECT_MADS * MAD_SCALE) * mad - slack) & (gap >= min_gap - slack)
    return np.argwhere(near)


def suspects(paper: PaperSheets) -> list[Suspect]:
    """Sheets more than 3.5 scaled MADs and 10% of the maximum from the others' median."""
    min_gap = paper.maximum * SUSPECT_MIN_GAP
    by_size: dict[int, list[tuple[str, list[JudgeSheet]]]] = {}
    for village, sheets in paper.sheets.items():
        if len(sheets) >= SUSPECT_MIN_OTHERS + 1:
            ordered = sorted(sheets, key=lambda s: s.judge)
            by_size.setdefault(len(ordered), []).append((village, ordered))
    screened: dict[str, list[JudgeSheet]] = {}
    for members in by_size.values():
        totals = np.array([[float(s.total) for s in ordered] for _, ordered in members])
        for row, col in _candidates(totals, float(min_gap)):
            village, ordered = members[row]
            screened.setdefault(village, []).append(ordered[col])
    found = []
    for village in paper.sheets:  # the paper's village order, then judge code
        for sheet in screened.get(village, ()):
            others = [s.total for s in paper.sheets[village] if s.judge != sheet.judge]
            median = _median(others)
            scaled = MAD_SCALE * _median([abs(x - median) for x in others])
            gap = sheet.total - median
            if abs(gap) > SUSPECT_MADS * scaled and abs(gap) >= min_gap:
                found.append(
                    Suspect(
                        paper.paper, village, sheet.judge, sheet.total, median, gap, scaled,
                        len(others),
                    )
                )  # fmt: skip
    return found


def judge_effects(t: Table, tolerance: float = 1e-9, rounds: int = 500) -> dict[str, Decimal]:
    """Additive judge effects b_j (Σ b_j = 0) of x_jv = a_v + b_j, rounded to cents."""
    present = ~np.isnan(t.values)
    active = present.any(axis=0)
    if not active.any():
        return {judge: ZERO for judge in t.judges}
    x = np.where(present, t.values, 0.0)
    per_row = present.sum(axis=1)
    per_col = present.sum(axis=0)
    b = np.zeros(len(t.judges))
    for _ in range(rounds):
        a = np.divide(
            (np.where(present, x - b, 0.0)).sum(axis=1), per_row,
            out=np.zeros(len(t.villages)), where=per_row > 0,
        )  # fmt: skip
        fresh = np.divide(
            (np.where(present, x - a[:, None], 0.0)).sum(axis=0), per_col,
            out=np.zeros(len(t.judges)), where=per_col > 0,
        )  # fmt: skip
        fresh[active] -= fresh[active].mean()
        moved = float(np.abs(fresh - b).max())
        b = fresh
        if moved < tolerance:
            break
    return {judge: q2(Decimal(repr(float(b[i])))) for i, judge in enumerate(t.judges)}


def adjusted_score(
    sheets: Sequence[JudgeSheet], effects: Mapping[str, Decimal], aggregation: Aggregation
) -> Decimal:
    """A paper score with each judge's effect taken off their total, aggregated as officially.

    The score depends only on the totals (which judge is dropped among equal totals does not
    change it), so this sorts the adjusted totals and applies aggregate()'s rule to them.
    """
    totals = sorted(s.total - effects.get(s.judge, ZERO) for s in sheets)
    n = len(totals)
    if not n:
        return ZERO
    a = aggregation
    if a.method == "median":
        middle = n // 2
        totals = totals[middle : middle + 1] if n % 2 else totals[middle - 1 : middle + 1]
    elif a.method == "trimmed" and n >= a.min_judges_for_trim and n > 2 * a.trim:
        totals = totals[a.trim : n - a.trim]
    return q2(divide(sum(totals, ZERO), len(totals)))


def adjust_sheet(
    sheet: JudgeSheet, effect: Decimal, item_max: Mapping[str, Decimal], maximum: Decimal
) -> JudgeSheet:
    """A sheet with the judge's effect taken off, spread over the items by their maxima.

    Item i loses effect × max_i / paper maximum, so the sheet total loses exactly the effect
    (the maxima add up to the paper maximum). Points are not clipped to 0…max: clipping would
    break that sum. Used only when a round's definition opts in (adjust_judge_severity).
    """
    if not effect or maximum <= 0:
        return sheet
    items = {
        code: points - divide(effect * item_max.get(code, ZERO), maximum)
        for code, points in sheet.items.items()
    }
    return JudgeSheet(sheet.judge, items, sheet.comment)
