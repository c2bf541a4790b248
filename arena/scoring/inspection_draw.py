"""Which villages or items are inspected (随机抽取), drawn by commit–reveal so anyone can check it.

Before the draw the organiser commits: Arena publishes `commitment = sha256(secret)` of a secret
only the organiser holds, together with the list and the number to draw. At draw time someone in
the room announces a public value (a die roll, the serial number of a banknote); the result is a
fixed function of (secret, public value, list), so neither the organiser nor the room alone
decides it, and once the secret is shown everyone recomputes it with these few lines:

```python
import hashlib


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def order(seed, items):
    return sorted(items, key=lambda item: (sha256(f"{seed}:{item}"), item))


def committed(secret, commitment):  # the secret shown is the one committed to
    return sha256(secret) == commitment


def draw(secret, public, items, k=None, strata=None):
    seed = sha256(f"{secret}:{public}")
    if strata is None:  # k of the list (all of it: the visiting order)
        return order(seed, items)[:k]
    drawn = []  # k from each stratum (乡镇), strata by name
    for name in sorted(set(strata.values())):
        drawn += order(seed, [i for i in items if strata[i] == name])[:k]
    return drawn
```

`items` are the village codes (or the pasted lines, trimmed), `public` the value as announced
with surrounding spaces removed, `strata` maps each village code to its township. This is the
contest draw of arena/scoring/draw.py with a seed made of two halves.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from arena.scoring.draw import draw_order

SECRET_BYTES = 16


def sha256(text: str) -> str:
    """SHA-256 hex digest of the UTF-8 text."""
    return hashlib.sha256(text.encode()).hexdigest()


def new_secret() -> str:
    """A fresh secret for the organiser: 32 hex digits (128 bits)."""
    return secrets.token_hex(SECRET_BYTES)


def commitment(secret: str) -> str:
    """What is published before the draw: sha256(secret)."""
    return sha256(secret)


def draw_seed(secret: str, public: str) -> str:
    """The seed both halves make: sha256(f"{secret}:{public}")."""
    return sha256(f"{secret}:{public}")


@dataclass(frozen=True)
class DrawResult:
    """The seed and the items drawn, in drawn order."""

    seed: str
    items: tuple[str, ...]


def draw(
    secret: str,
    public: str,
    items: Sequence[str],
    k: int | None = None,
    strata: Mapping[str, str] | None = None,
) -> DrawResult:
    """k items (all: an order) of the list, or k of each stratum, as the recipe above says."""
    if not public.strip() or public != public.strip():
        raise ValueError("the public value must be non-empty, without surrounding spaces")
    if k is not None and k < 1:
        raise ValueError("k must be at least 1")
    seed = draw_seed(secret, public)
    if strata is None:
        return DrawResult(seed, tuple(draw_order(items, seed)[:k]))
    missing = [i for i in items if i not in strata]
    if missing:
        raise ValueError(f"items without a stratum: {', '.join(missing)}")
    drawn: list[str] = []
    for name in sorted(set(strata[i] for i in items)):
        drawn += draw_order([i for i in items if strata[i] == name], seed)[:k]
    return DrawResult(seed, tuple(drawn))


def recipe() -> str:
    """The recipe's Python snippet, as printed in the README (验算)."""
    doc = __doc__ or ""
    return doc.split("```python\n", 1)[1].split("```", 1)[0]
