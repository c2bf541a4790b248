"""Judges' consistency: severity, agreement (ICC, Kendall's W), patterns, suspect sheets, what-if.

Every figure works on the judges' *sheet totals* as they typed them (one per judge, village and
paper); the definitions, as the organiser's page names them:

- severity (宽严度) of judge j on a paper: over the villages j scored that at least one other
  judge scored too, the mean of d_v = x_jv − (mean of the other judges' totals on v). Positive
  means kinder than the rest, negative harsher. With n ≥ 2 villages it carries a 95% Student
  t-interval, mean ± t(0.975, n−1) × s / √n (s the sample standard deviation of the d_v).
- agreement per paper, on the largest complete block of the villages × judges table (see
  `complete_block`): ICC(2,1) and ICC(2,k) of Shrout & Fleiss (1979) — two-way random effects,
  absolute agreement, villages as targets, judges as raters — and Kendall's W of the judges'
  rankings of the villages, with the correction for tied ranks.
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


def complete_block(t: Table) -> tuple[list[int], list[int]]:
    """The rows and columns of the largest complete block of the table (no missing sheet).

    Start from every judge with a sheet and the villages all of them scored; then take judges
    out one at a time, each time the one whose removal leaves the most cells (villages × judges;
    ties: the judge with fewer sheets, then listed later), and keep the largest block seen with
    at least 2 villages and 2 judges. Recusals so leave out a judge or a few villages, not a paper.
    """
    present = ~np.isnan(t.values)
    cols = [c for c in range(len(t.judges)) if present[:, c].any()]

    def rows_for(columns: list[int]) -> list[int]:
        if not columns:
            return []
        return [int(r) for r in np.flatnonzero(present[:, columns].all(axis=1))]

    best: tuple[list[int], list[int]] = ([], [])
    best_cells = 0
    while len(cols) >= 2:
        rows = rows_for(cols)
        if len(rows) >= 2 and len(rows) * len(cols) > best_cells:
            best, best_cells = (rows, list(cols)), len(rows) * len(cols)
        candidates = []
        for c in cols:
            rest = [x for x in cols if x != c]
            candidates.append((-len(rows_for(rest)) * len(rest), int(present[:, c].sum()), -c, c))
        cols = [x for x in cols if x != min(candidates)[3]]
    return best


@dataclass(frozen=True)
class Agreement:
    """ICC(2,1), ICC(2,k) and Kendall's W on the complete block, with what they rest on."""

    villages: int
    judges: int
    left_out_judges: tuple[str, ...]
    left_out_villages: int
    icc_single: float | None
    icc_average: float | None
    kendall_w: float | None
    ms_rows: float | None = None
    ms_columns: float | None = None
    ms_error: float | None = None


def icc2(y: np.ndarray) -> tuple[float | None, float | None, float, float, float]:
    """ICC(2,1), ICC(2,k) and (MSR, MSC, MSE) of an n targets × k raters table (Shrout & Fleiss)."""
    n, k = y.shape
    grand = y.mean()
    ss_rows = k * float(((y.mean(axis=1) - grand) ** 2).sum())
    ss_cols = n * float(((y.mean(axis=0) - grand) ** 2).sum())
    ss_error = float(((y - grand) ** 2).sum()) - ss_rows - ss_cols
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = max(ss_error, 0.0) / ((n - 1) * (k - 1))
    single_den = msr + (k - 1) * mse + k * (msc - mse) / n
    average_den = msr + (msc - mse) / n
    single = (msr - mse) / single_den if single_den > 1e-12 else None
    average = (msr - mse) / average_den if average_den > 1e-12 else None
    return single, average, msr, msc, mse


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1…n of a vector, highest value first; tied values share the mean of their ranks."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(values.size)
    sorted_values = values[order]
    start = 0
    while start < values.size:
        stop = start
        while stop + 1 < values.size and sorted_values[stop + 1] == sorted_values[start]:
            stop += 1
        ranks[order[start : stop + 1]] = (start + stop) / 2 + 1
        start = stop + 1
    return ranks


def kendall_w(y: np.ndarray) -> float | None:
    """Kendall's W of the raters' rankings (columns) of the targets (rows), corrected for ties."""
    n, m = y.shape
    ranks = np.column_stack([average_ranks(y[:, j]) for j in range(m)])
    r = ranks.sum(axis=1)
    s = float(((r - m * (n + 1) / 2) ** 2).sum())
    ties = 0.0
    for j in range(m):
        _, sizes = np.unique(y[:, j], return_counts=True)
        ties += float((sizes**3 - sizes).sum())
    denominator = m * m * (n**3 - n) - m * ties
    return 12 * s / denominator if denominator > 1e-12 else None


def agreement(t: Table) -> Agreement:
    """The paper's agreement figures on its complete block (None where they cannot be formed)."""
    rows, cols = complete_block(t)
    scored = [c for c in range(len(t.judges)) if (~np.isnan(t.values[:, c])).any()]
    left_out = tuple(t.judges[c] for c in scored if c not in cols)
    with_sheets = int((~np.isnan(t.values)).any(axis=1).sum())
    if len(rows) < 2 or len(cols) < 2:
        return Agreement(0, 0, left_out, with_sheets, None, None, None)
    y = t.values[np.ix_(rows, cols)]
    single, average, msr, msc, mse = icc2(y)
    return Agreement(
        villages=len(rows),
        judges=len(cols),
        left_out_judges=left_out,
        left_out_villages=with_sheets - len(rows),
        icc_single=single,
        icc_average=average,
        kendall_w=kendall_w(y),
        ms_rows=msr,
        ms_columns=msc,
        ms_error=mse,
    )


def icc_reading(value: float | None) -> str:
    """A plain-Chinese reading of an ICC (bands of Koo & Li 2016)."""
    if value is None:
        return "数据不足，暂不能计算"
    if value < 0.5:
        return "差：评委之间分歧较大"
    if value < 0.75:
        return "一般：评委打分大体一致，但有明显差别"
    if value < 0.9:
        return "良好：评委打分较为一致"
    return "优秀：评委打分高度一致"


def w_reading(value: float | None) -> str:
    """A plain-Chinese reading of Kendall's W."""
    if value is None:
        return "数据不足，暂不能计算"
    if value < 0.3:
        return "弱：评委对各村谁高谁低看法不一"
    if value < 0.5:
        return "一般：评委对各村高低排序部分一致"
    if value < 0.7:
        return "较强：评委对各村高低排序基本一致"
    return "强：评委对各村高低排序高度一致"


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


def _candidates(totals: np.ndarray, min_gap: float) -> list[int]:
    """Sheets the float screen cannot rule out (the exact Decimal test decides)."""
    k = totals.size
    others = np.broadcast_to(totals, (k, k))[~np.eye(k, dtype=bool)].reshape(k, k - 1)
    median = np.median(others, axis=1)
    mad = np.median(np.abs(others - median[:, None]), axis=1)
    gap = np.abs(totals - median)
    slack = 1e-6 * (1 + np.abs(totals).max())
    near = (gap > float(SUSPECT_MADS * MAD_SCALE) * mad - slack) & (gap >= min_gap - slack)
    return [int(i) for i in np.flatnonzero(near)]


def suspects(paper: PaperSheets) -> list[Suspect]:
    """Sheets more than 3.5 scaled MADs and 10% of the maximum from the others' median."""
    min_gap = paper.maximum * SUSPECT_MIN_GAP
    found = []
    for village, sheets in paper.sheets.items():
        if len(sheets) < SUSPECT_MIN_OTHERS + 1:
            continue
        ordered = sorted(sheets, key=lambda s: s.judge)
        screen = _candidates(np.array([float(s.total) for s in ordered]), float(min_gap))
        for sheet in (ordered[i] for i in screen):
            others = [s.total for s in sheets if s.judge != sheet.judge]
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
