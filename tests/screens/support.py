"""Helpers for screen, reveal and participant tests: rounds of one campaign, sheets by judges."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import bearer, create_round, example_definition

# Share of the maximum each village gets (kept simple so totals can be checked by hand).
STRENGTH = {
    "V01": 0.9,
    "V02": 0.7,
    "V03": 0.8,
    "V04": 0.6,
    "V05": 0.85,
    "V06": 0.75,
    "V07": 0.65,
    "V08": 0.5,
}


def points(maximum: float, fraction: float) -> float:
    """maximum × fraction rounded to half points, as judges score."""
    return round(maximum * fraction * 2) / 2


async def campaign_rounds(
    client: httpx.AsyncClient, organiser_token: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """An earlier round and the current one of a fresh campaign; returns both and the definition."""
    campaign = f"测试行动-{uuid.uuid4().hex[:8]}"
    earlier = await create_round(
        client,
        organiser_token,
        example_definition(campaign=campaign, name="2025年第二季度试点拉练", date="2025-06-18"),
    )
    definition = example_definition(campaign=campaign)
    current = await create_round(client, organiser_token, definition)
    return earlier, current, definition


async def submit(
    client: httpx.AsyncClient,
    created: dict[str, Any],
    definition: dict[str, Any],
    judge: str,
    village: str,
    paper: str,
    fraction: float,
    comment: str = "",
) -> httpx.Response:
    """One judge's sheet for one village and paper, every item at `fraction` of its maximum."""
    token = next(j["token"] for j in created["judges"] if j["code"] == judge)
    vdef = next(v for v in definition["villages"] if v["code"] == village)
    items = definition["papers"]["shared"]["items"] if paper == "shared" else vdef["targets"]
    body = {
        "village": village,
        "paper": paper,
        "comment": comment,
        "items": {i["code"]: points(i["max"], fraction) for i in items},
        "idempotency_key": uuid.uuid4().hex,
    }
    return await client.post(
        f"/api/v1/rounds/{created['id']}/sheets", json=body, headers=bearer(token)
    )


async def score_all(
    client: httpx.AsyncClient,
    created: dict[str, Any],
    definition: dict[str, Any],
    strength: dict[str, float],
    skip: frozenset[tuple[str, str]] = frozenset(),
) -> None:
    """Every judge scores every village it is not recused from, both judged papers."""
    for village in definition["villages"]:
        code = village["code"]
        for n, judge in enumerate(definition["judges"]):
            if code in judge.get("recuse", []) or (judge["code"], code) in skip:
                continue
            lean = (n - 3) * 0.02  # judges differ a little, so trimming drops someone
            for paper in ("shared", "demonstration"):
                answer = await submit(
                    client,
                    created,
                    definition,
                    judge["code"],
                    code,
                    paper,
                    min(1.0, strength[code] + lean),
                )
                assert answer.status_code == 201, answer.text


async def survey(
    client: httpx.AsyncClient,
    organiser_token: str,
    round_id: int,
    village: str,
    counts: tuple[int, int, int, int],
) -> None:
    """Record a village's satisfaction answers (满意, 比较满意, 基本满意, 不满意)."""
    labels = ("满意", "比较满意", "基本满意", "不满意")
    answer = await client.post(
        f"/api/v1/rounds/{round_id}/satisfaction",
        json={
            "village": village,
            "counts": dict(zip(labels, counts, strict=True)),
            "idempotency_key": uuid.uuid4().hex,
        },
        headers=bearer(organiser_token),
    )
    assert answer.status_code == 201, answer.text


async def deduct(
    client: httpx.AsyncClient,
    organiser_token: str,
    round_id: int,
    village: str,
    item: str,
    points_: float,
    reason: str,
) -> None:
    """Record a deduction against a village."""
    answer = await client.post(
        f"/api/v1/rounds/{round_id}/deductions",
        json={
            "village": village,
            "item": item,
            "points": points_,
            "reason": reason,
            "idempotency_key": uuid.uuid4().hex,
        },
        headers=bearer(organiser_token),
    )
    assert answer.status_code == 201, answer.text
