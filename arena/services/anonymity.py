"""How judges are named to participants: 评委1…k per village, in an order no village can link.

A village reads its judges' totals and comments under labels. The labels are numbered 1…k over
the judges who score that village (recused judges leave no gap), in an order given by
HMAC-SHA256(server key, round, village, judge): fixed for one village (its pages agree with
each other over time), different and unrelated from one village to the next, and not the order
the organiser listed the judges in. So nothing a village can read maps a label to a name.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable


def judge_labels(key: bytes, round_id: int, village: str, judges: Iterable[str]) -> dict[str, str]:
    """{judge code: "评委n"} for the judges of one village, numbered 1…k in a keyed order."""

    def rank(code: str) -> bytes:
        message = f"judge-label:{round_id}:{village}:{code}".encode()
        return hmac.new(key, message, hashlib.sha256).digest()

    ordered = sorted(set(judges), key=lambda code: (rank(code), code))
    return {code: f"评委{n}" for n, code in enumerate(ordered, start=1)}


def label_number(label: str) -> int:
    """The n of "评委n" (sorting labels as numbers: 评委2 before 评委10)."""
    return int(label.removeprefix("评委"))
