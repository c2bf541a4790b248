from __future__ import annotations

import hashlib
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from arena.scoring import draw
from arena.scoring.draw import draw_hash, draw_order, draw_steps, new_seed

CODES = [f"C0{n}" for n in range(1, 9)]
SEED = "042917"
# SHA-256 of "042917:<code>", first 12 hex digits, sorted:
#   C01 01b9af0ee28a, C07 38a77a0df8ff, C05 52a603197dce, C03 655219a5286e,
#   C04 6e83b68917fa, C02 c15c89439eac, C06 d9553cad7b91, C08 f866fe9b566c
EXPECTED = ["C01", "C07", "C05", "C03", "C04", "C02", "C06", "C08"]


def test_fixed_seed_gives_the_published_order() -> None:
    assert draw_order(CODES, SEED) == EXPECTED


def test_order_rederived_with_plain_hashlib() -> None:
    def digest(code: str) -> str:
        return hashlib.sha256(f"{SEED}:{code}".encode("utf-8")).hexdigest()  # noqa: UP012

    assert sorted(CODES, key=lambda code: (digest(code), code)) == EXPECTED
    assert digest("C01").startswith("01b9af0ee28a")


def test_recipe_in_the_docstring_gives_the_same_order() -> None:
    # The lines the module's docstring shows are run as they stand.
    doc = draw.__doc__ or ""
    block = re.search(r"::\n\n(.*?)\n\n\S", doc, re.DOTALL)
    assert block is not None
    namespace: dict[str, Any] = {}
    exec(textwrap.dedent(block.group(1)), namespace)
    assert namespace["speaking_order"](CODES, SEED) == EXPECTED


def test_the_readme_draw_snippet_rederives_the_speaking_order() -> None:
    # The README's own lines under "The lot draw", extracted from README.md and run as printed:
    # they must give the order Arena draws for the README's seed and codes.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    section = readme[readme.index("**The lot draw**") :]
    block = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert block is not None
    namespace: dict[str, Any] = {}
    exec(block.group(1), namespace)
    seed, codes = namespace["seed"], namespace["codes"]
    assert (seed, codes) == ("202510", ["C1", "C2", "C3", "C4"])
    # SHA-256 of "202510:<code>", first 12 hex digits: C1 98b8bc069ee2, C2 64c1523695b7,
    # C3 0e7e2f3426d6, C4 60d4061ff7f3 -> sorted: C3, C4, C2, C1
    assert hashlib.sha256(b"202510:C3").hexdigest().startswith("0e7e2f3426d6")
    assert namespace["order"] == ["C3", "C4", "C2", "C1"] == draw_order(codes, seed)


def test_codes_are_hashed_as_utf8() -> None:
    assert draw_hash(SEED, "王建国") == (
        "b23123dd1ee154dc701a6685781f14fb635a08241448b7511f029652fa496f6e"
    )


def test_steps_list_each_contestant_in_given_order_with_hash_and_position() -> None:
    steps = draw_steps(["C02", "C01", "C07"], SEED)
    # among these three: C01 01b9…, C07 38a7…, C02 c15c…
    assert [(s["code"], s["position"]) for s in steps] == [("C02", 3), ("C01", 1), ("C07", 2)]
    assert steps[0]["hash"] == hashlib.sha256(b"042917:C02").hexdigest()
    assert all(len(s["hash"]) == 64 for s in steps)


def test_repeated_codes_and_blank_seed_are_refused() -> None:
    with pytest.raises(ValueError, match="C01"):
        draw_order(["C01", "C02", "C01"], SEED)
    with pytest.raises(ValueError, match="seed"):
        draw_order(CODES, " ")


def test_new_seed_is_six_decimal_digits() -> None:
    seeds = {new_seed() for _ in range(50)}
    assert all(re.fullmatch(r"\d{6}", seed) for seed in seeds)
    assert len(seeds) > 1


def test_new_seed_keeps_leading_zeros(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draw.secrets, "randbelow", lambda n: 42)
    assert new_seed() == "000042"
