"""Agreement among a paper's judges: ICC(2,1), ICC(2,k) and Kendall's W, with readings.

Definitions (named on the organiser's page, arena/services/consistency.py):
- ICC(2,1) and ICC(2,k) of Shrout & Fleiss (1979): two-way random effects, absolute agreement,
  villages as targets, judges as raters, from the two-way ANOVA mean squares.
- Kendall's W of the judges' rankings of the villages, with the correction for tied ranks.
Both on the largest complete block of the villages × judges table (`complete_block`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from arena.scoring.consistency import Table


def complete_block(t: Table) -> tuple[list[int], list[int]]:
    """The rows and columns of the largest complete block of the table (no missing sheet).

    Start from every judge with a sheet and the villages all of them scored; then take judges
    out one at a time, each time the one whose removal leaves the most cells (villages × judges;
    ties: the judge with fewer sheets, then listed later), and keep the largest block seen with
    at least 2 villages and 2 judges. Recusals so leave out a judge or a few villages, not a paper.
    """
    present = ~np.isnan(t.values)
    cols = [c for c in range(len(t.judges)) if present[:, c].any()]
    full = [int(r) for r in np.flatnonzero(present[:, cols].all(axis=1))] if cols else []
    if len(cols) >= 2 and len(full) >= 2 and len(full) == int(present.any(axis=1).sum()):
        return full, cols  # nothing missing: the whole table (the usual case)

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
    _, inverse, counts = np.unique(-values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return ((ends - counts + ends - 1) / 2 + 1)[inverse.reshape(-1)]


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
