"""The designed 4 villages × 3 judges table the consistency tests work out by hand."""

from __future__ import annotations

from decimal import Decimal as D

from arena.scoring.aggregate import JudgeSheet
from arena.scoring.consistency import PaperSheets

# The designed table used throughout: 4 villages × 3 judges, one item "x" (max 40).
#        J1  J2  J3   row mean
#   V1   10   8   9      9
#   V2    6   4   5      5
#   V3    8   8   8      8
#   V4    4   2   6      4
#  col    7 5.5   7   grand 6.5
GRID = {"V1": (10, 8, 9), "V2": (6, 4, 5), "V3": (8, 8, 8), "V4": (4, 2, 6)}
JUDGES = ("J1", "J2", "J3")


def paper(grid: dict[str, tuple[float | None, ...]], maximum: int = 40) -> PaperSheets:
    """The grid as one paper's sheets (None: no sheet), one item "x" of the given maximum."""
    sheets = {
        v: [
            JudgeSheet(j, {"x": D(str(x))})
            for j, x in zip(JUDGES, row, strict=False)
            if x is not None
        ]
        for v, row in grid.items()
    }
    return PaperSheets("shared", D(maximum), sheets, {v: {"x": D(maximum)} for v in grid})
