"""The content digest of a score sheet: how a tablet and the server tell whether they agree.

The canonical form of a sheet's content is the JSON text of

    [[[code, points], ...], comment]

with the items sorted by code (Unicode code point order), each `points` written as a decimal
string rounded half-up to the cent without trailing zeros ("8.5", "9", "0.25", never "9.00" or
"8.50"), the comment as stored (a contest score has ""), no whitespace between tokens and
non-ASCII characters written as themselves (UTF-8). The digest is the SHA-256 of that text's
UTF-8 bytes, in lower-case hex. `web/static/js/judge/digest.js` computes the same; both are
tested against one hand-written vector (tests/judges/test_digest.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def points_text(value: Decimal | int | float | str) -> str:
    """A score written canonically: half-up to the cent, no trailing zeros, no exponent."""
    exact = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{exact:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def canonical(items: Mapping[str, Decimal | int | float | str], comment: str) -> str:
    """The canonical text of a sheet's content (see the module docstring)."""
    pairs = [[code, points_text(items[code])] for code in sorted(items)]
    return json.dumps([pairs, comment], ensure_ascii=False, separators=(",", ":"))


def sheet_digest(items: Mapping[str, Decimal | int | float | str], comment: str) -> str:
    """SHA-256 (hex) of the canonical text."""
    return hashlib.sha256(canonical(items, comment).encode("utf-8")).hexdigest()
