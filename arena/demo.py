"""Demo data: a realistic field-review day of one campaign with two rounds, so deltas show.

The first round (second quarter) is complete. The second is the third-quarter tour of the same
eight villages, in progress: seven villages fully scored, the last one scored by three judges so
far. Every score goes through the same services as the API (audited, idempotent).
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from arena.auth import Principal, create_token, digest, link_secret
from arena.models import Round, Token
from arena.services.rounds import RoundCatalogue
from arena.services.scores import ScoreWriter

CAMPAIGN = "党建引领乡村振兴试点三年行动"
# How strong each village is this quarter (share of the maximum judges give, on average).
STRENGTH = {
    "V01": 0.86,
    "V02": 0.74,
    "V03": 0.80,
    "V04": 0.77,
    "V05": 0.83,
    "V06": 0.79,
    "V07": 0.71,
    "V08": 0.68,
}
EARLIER = {
    "V01": 0.80,
    "V02": 0.76,
    "V03": 0.72,
    "V04": 0.78,
    "V05": 0.75,
    "V06": 0.81,
    "V07": 0.70,
    "V08": 0.66,
}
SURVEYS = {  # 满意, 比较满意, 基本满意, 不满意
    "V01": (96, 21, 6, 1),
    "V02": (70, 32, 14, 4),
    "V03": (18, 5, 2, 1),
    "V04": (81, 25, 10, 2),
    "V05": (88, 30, 9, 1),
    "V06": (75, 28, 12, 3),
    "V07": (60, 31, 18, 7),
}
# One quarter earlier; 红岩村's survey of this quarter is not in yet (the tour ends there).
SURVEYS_EARLIER = {
    "V01": (90, 25, 8, 2),
    "V02": (72, 30, 13, 3),
    "V03": (55, 30, 15, 5),
    "V04": (83, 22, 9, 2),
    "V05": (70, 35, 15, 4),
    "V06": (80, 26, 10, 2),
    "V07": (58, 33, 17, 8),
    "V08": (49, 35, 20, 9),
}
DEDUCTIONS = [
    ("V07", "relapse", 2, "村口垃圾集中点清运不及时，环境整治出现反弹（现场查看）"),
    ("V02", "petition", 1.5, "2件土地流转信访事项超期未化解（县信访局通报）"),
]


@dataclass(frozen=True)
class DemoRound:
    id: int
    links: dict[str, Any]


def example_definition() -> dict[str, Any]:
    """The third-quarter round shipped with Arena (examples: round-2025q3.toml)."""
    text = resources.files("arena.demo_data").joinpath("round-2025q3.toml").read_text("utf-8")
    return tomllib.loads(text)


def earlier_definition() -> dict[str, Any]:
    """The same villages one quarter earlier."""
    data = example_definition()
    data.update(name="2025年第二季度试点拉练", date="2025-06-18")
    return data


def _points(rng: random.Random, maximum: Decimal, strength: float) -> float:
    value = float(maximum) * min(1.0, max(0.3, rng.gauss(strength, 0.07)))
    return round(value * 2) / 2


async def _score(
    writer: ScoreWriter,
    round_id: int,
    data: dict[str, Any],
    strength: dict[str, float],
    seed: int,
    partial: dict[str, int],
) -> None:
    rng = random.Random(seed)
    tokens = {t.name: t for t in await Token.filter(round_id=round_id, role="judge")}
    for village in data["villages"]:
        code = village["code"]
        judges = [j for j in data["judges"] if code not in j.get("recuse", [])]
        for judge in judges[: partial.get(code, len(judges))]:
            token = tokens[judge["name"]]
            principal = Principal(token.id, "judge", judge["name"], round_id, token.judge_id)  # type: ignore[attr-defined]
            lean = rng.gauss(0, 0.03)  # some judges are stricter than others
            for paper, items in (
                ("shared", data["papers"]["shared"]["items"]),
                ("demonstration", village["targets"]),
            ):
                body = {
                    "village": code,
                    "paper": paper,
                    "items": {
                        i["code"]: _points(rng, Decimal(str(i["max"])), strength[code] + lean)
                        for i in items
                    },
                    "comment": "",
                    "idempotency_key": f"demo-{round_id}-{judge['code']}-{code}-{paper}",
                }
                if paper == "demonstration" and rng.random() < 0.3:
                    body["comment"] = rng.choice(COMMENTS)
                body["items"] = {k: Decimal(str(v)) for k, v in body["items"].items()}
                await writer.submit_sheet(principal, round_id, body)


COMMENTS = [
    "示范目标推进有力，群众参与度高，建议总结经验做法。",
    "项目有亮点，但长效管护机制还不够健全。",
    "台账资料齐全，现场效果与汇报基本一致。",
    "产业带动作用明显，村集体增收路径清晰。",
    "变量不够明显，与上季度相比进展偏慢。",
]


async def load_demo(catalogue: RoundCatalogue, organiser: Principal) -> list[DemoRound]:
    """Create the demo campaign unless it is there already; returns its rounds with links."""
    writer = ScoreWriter(catalogue, lambda _round: None)
    existing = await Round.filter(campaign__name=CAMPAIGN).order_by("date")
    if existing:
        return [DemoRound(r.id, await catalogue.links(r.id)) for r in existing]
    out = []
    for data, strength, seed, partial, surveys in (
        (earlier_definition(), EARLIER, 2025_06, {}, SURVEYS_EARLIER),
        (example_definition(), STRENGTH, 2025_09, {"V08": 3}, SURVEYS),
    ):
        created = await catalogue.create(data, organiser.actor)
        round_id = created["id"]
        await _score(writer, round_id, data, strength, seed, partial)
        scale = list(data["papers"]["satisfaction"]["scale"])
        for code, counts in surveys.items():
            await writer.set_satisfaction(
                organiser,
                round_id,
                {
                    "village": code,
                    "counts": dict(zip(scale, counts, strict=True)),
                    "idempotency_key": f"demo-{round_id}-survey-{code}",
                },
            )
        for code, item, points, reason in DEDUCTIONS:
            await writer.add_deduction(
                organiser,
                round_id,
                {
                    "village": code,
                    "item": item,
                    "points": Decimal(str(points)),
                    "reason": reason,
                    "idempotency_key": f"demo-{round_id}-deduction-{code}",
                },
            )
        out.append(DemoRound(round_id, created))
    # Last quarter's results were announced at its review meeting: locked, then published.
    for action in ("lock", "publish"):
        await catalogue.transition(out[0].id, action, organiser.actor)
    return out


async def demo_organiser(server_key: bytes) -> tuple[Principal, str]:
    """The demo organiser: a personal link (/o/...) derived like the others, and its principal."""
    secret = link_secret(server_key, "organiser", 0, "demo", 0)
    token = await Token.get_or_none(token_hash=digest(secret))
    if token is None:
        token = await Token.create(
            token_hash=digest(secret), role="organiser", name="组织部（演示）"
        )
    return Principal(token.id, "organiser", token.name), secret


__all__ = ["create_token", "load_demo", "demo_organiser"]
