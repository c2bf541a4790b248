"""Demo contest: the shipped 擂台赛 played part way, so `arena demo` shows a contest in progress.

The draw uses a fixed seed; three contestants are revealed, the fourth is on stage with scoring
open and two of the five judges in. Every step and score goes through ContestFlow like the API's.
"""

from __future__ import annotations

import random
import tomllib
from decimal import Decimal
from importlib import resources
from typing import Any

from arena.auth import Principal
from arena.models import Contest, Token
from arena.services.contests.catalogue import ContestCatalogue
from arena.services.contests.flow import ContestFlow

SEED = "20251218"
REVEALED = 3
# How strong each secretary's presentation is (share of the maximum judges give, on average).
STRENGTH = {"C01": 0.88, "C02": 0.82, "C03": 0.79, "C04": 0.85}
ELAPSED = {0: 465, 1: 512, 2: 478}  # seconds used by the first three (the second runs over)


def example_contest() -> dict[str, Any]:
    """The contest shipped with Arena (arena/contests/example_contest.toml)."""
    text = resources.files("arena.contests").joinpath("example_contest.toml").read_text("utf-8")
    return tomllib.loads(text)


async def _step(
    flow: ContestFlow, host: Principal, contest_id: int, action: str, **extra: Any
) -> None:
    row = await Contest.get(id=contest_id)
    await flow.step(host, contest_id, {"action": action, "revision": row.revision, **extra})


async def _scores(
    flow: ContestFlow,
    contest_id: int,
    data: dict[str, Any],
    code: str,
    judges: list[Principal],
    rng: random.Random,
) -> None:
    strength = STRENGTH.get(code, 0.8)
    for judge in judges:
        lean = rng.gauss(0, 0.03)
        items = {}
        for c in data["criteria"]:
            share = min(1.0, max(0.4, rng.gauss(strength + lean, 0.04)))
            items[c["code"]] = Decimal(round(c["max"] * share * 2) / 2)
        await flow.submit(
            judge,
            contest_id,
            {
                "contestant": code,
                "items": items,
                "idempotency_key": f"demo-contest-{contest_id}-{judge.subject}-{code}",
            },
        )


async def load_contest_demo(catalogue: ContestCatalogue, organiser: Principal) -> int:
    """Create and half play the demo contest unless it is there already; returns its id."""
    data = example_contest()
    existing = await Contest.filter(name=data["name"]).order_by("id").first()
    if existing is not None:
        return existing.id
    created = await catalogue.create(data, organiser.actor)
    contest_id = int(created["id"])
    flow = ContestFlow(catalogue, lambda _contest: None)
    tokens = {t.subject: t for t in await Token.filter(contest_id=contest_id, role="judge")}
    judges = [
        Principal(
            tokens[j["code"]].id, "judge", j["name"], contest_id=contest_id, subject=j["code"]
        )
        for j in data["judges"]
    ]
    rng = random.Random(2025_12_18)
    await _step(flow, organiser, contest_id, "draw", seed=SEED)
    order = (await Contest.get(id=contest_id)).order or []
    for n, code in enumerate(order[: REVEALED + 1]):
        await _step(flow, organiser, contest_id, "next")
        await _step(flow, organiser, contest_id, "start")
        await _step(flow, organiser, contest_id, "stop")
        if n < REVEALED:
            await _step(flow, organiser, contest_id, "time", elapsed_seconds=ELAPSED[n])
        await _step(flow, organiser, contest_id, "open")
        await _scores(flow, contest_id, data, code, judges if n < REVEALED else judges[:2], rng)
        if n < REVEALED:
            await _step(flow, organiser, contest_id, "close")
            await _step(flow, organiser, contest_id, "reveal")
    return contest_id
