"""One sheet digest in Python and in the tablet's JS: the same hand-written vector for both."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from arena.rounds.digest import canonical, points_text, sheet_digest
from tests.conftest import Server

# Items as a judge entered them (the server stores "8.50" style text, the tablet numbers), a
# comment with a newline, Chinese and ASCII quotes. Written out by hand, the canonical text is
# the items sorted by code with points as shortest decimals, then the comment:
ITEMS = {"org": "8.50", "eco": 9, "gov": "0.25", "t10": "0.00"}
COMMENT = '四色线路\n串联“成片”，有"台账"'
TEXT = (
    '[[["eco","9"],["gov","0.25"],["org","8.5"],["t10","0"]],"四色线路\\n串联“成片”，有\\"台账\\""]'
)
# SHA-256 of TEXT's UTF-8 bytes, computed apart from Arena:
#   printf '%s' '<TEXT>' | sha256sum
DIGEST = "f9f10a2e558ee0a05bda4ff02a3905280b4ca80796ff5f33a80e106747239acd"


def test_python_canonical_form_and_digest() -> None:
    assert canonical(ITEMS, COMMENT) == TEXT
    assert sheet_digest(ITEMS, COMMENT) == DIGEST
    # The same content however the numbers are written.
    assert sheet_digest({"org": Decimal("8.5"), "eco": "9.00", "gov": 0.25, "t10": 0}, COMMENT) == (
        DIGEST
    )
    assert [points_text(v) for v in ("10", "9.5", "0.29", "1.005", "0", Decimal("7.10"))] == [
        "10",
        "9.5",
        "0.29",
        "1.01",
        "0",
        "7.1",
    ]


@pytest.mark.browser
async def test_the_tablet_computes_the_same_digest(server: Server, new_context: Any) -> None:
    context = await new_context()
    page = await context.new_page()
    await page.goto(f"{server.url}/static/css/judge.css")
    got = await page.evaluate(
        """async ([comment]) => {
          const m = await import("/static/js/judge/digest.js");
          const items = { org: 8.5, eco: 9, gov: 0.25, t10: 0 };
          return [m.canonical(items, comment), m.sheetDigest(items, comment), m.sha256Hex(""),
                  ["10", 9.5, 0.29, 1.005, 0, 7.1].map(m.pointsText)];
        }""",
        [COMMENT],
    )
    assert got == [
        TEXT,
        DIGEST,
        # SHA-256 of no bytes (FIPS 180-2 test vector)
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ["10", "9.5", "0.29", "1.01", "0", "7.1"],
    ]
    await context.close()
