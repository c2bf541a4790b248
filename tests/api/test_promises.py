"""README promises with no test of their own before: each figure worked out by hand beside it.

样本不足 through the API and the workbook; the workbook's 各项平均分 and 满意度测评 sheets; the
delta against the latest earlier round when there are two; a deduction retried with a changed
body.
"""

from __future__ import annotations

import io
from typing import Any

import httpx
import openpyxl

from arena.models import Deduction
from tests.api.helpers import new_campaign, small_definition, tokens
from tests.api.test_standings import _scored_round
from tests.conftest import bearer, create_round


def _blank(value: Any) -> Any:
    """An empty workbook cell, whether written as None or as ""."""
    return None if value == "" else value


async def test_too_few_answers_are_flagged_but_counted(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await _scored_round(client, organiser_token, new_campaign())
    rid, org = created["id"], bearer(organiser_token)
    rows = (await client.get(f"/api/v1/rounds/{rid}/standings", headers=org)).json()["rows"]
    # min_responses = 30. C: 10 + 5 + 0 + 1 = 16 answers < 30 -> 样本不足, still 26.25 points.
    # A: 20 + 8 + 2 = 30 answers, not under 30. B: an entered rate, no answers to count.
    assert [(r["village"], r["satisfaction"], r["satisfaction_insufficient"]) for r in rows] == [
        ("C", 26.25, True),
        ("A", 27.6, False),
        ("B", 27.75, False),
    ]
    village = tokens(created, "villages")
    c = (await client.get(f"/api/v1/rounds/{rid}/villages/C", headers=bearer(village["C"]))).json()
    s = c["papers"]["satisfaction"]
    # mean answer value (10×1 + 5×0.8 + 1×0)/16 = 14/16 = 0.875 -> 0.88 (2 decimals); 30 × 0.875
    assert (s["source"], s["responses"], s["min_responses"], s["insufficient"]) == (
        "counts",
        16,
        30,
        True,
    )
    assert (s["mean"], s["score"]) == (0.88, 26.25)
    a = (await client.get(f"/api/v1/rounds/{rid}/villages/A", headers=org)).json()
    a_survey = a["papers"]["satisfaction"]
    assert (a_survey["responses"], a_survey["insufficient"]) == (30, False)


async def test_workbook_item_means_and_satisfaction_sheets(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await _scored_round(client, organiser_token, new_campaign())
    r = await client.get(
        f"/api/v1/rounds/{created['id']}/export.xlsx", headers=bearer(organiser_token)
    )
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    means = [tuple(row) for row in book["各项平均分"].iter_rows(values_only=True)]
    assert means[0] == ("试点村", "考卷", "项目", "满分", "保留评委平均分")
    # In rank order C, A, B; items a (组织建设), b (集体经济), target t1 (示范项目), max 10 each.
    # C: 4 judges (J5 recused) < 5, plain mean: a (9+9+8+10)/4 = 9, b (9+8+8+9)/4 = 8.5;
    #    t1 J1, J2, J3 only: (9+9.5+8.5)/3 = 9.
    # A: kept J1, J2, J5: a (8+9+8)/3 = 8.333, b (7+8+8)/3 = 7.667 -> 8.33 + 7.67 = 16.00 (the
    #    cent to b, larger remainder); t1 kept J1 8, J2 8.5, J5 8: 24.5/3 = 8.1667 -> 8.17.
    # B: kept J1, J2, J5: a (6+7+7)/3 = 6.667, b (6+6+7)/3 = 6.333 -> 6.67 + 6.33 = 13.00;
    #    t1 all 9 -> 9.
    assert means[1:] == [
        ("C村", "共性目标", "组织建设", 10, 9),
        ("C村", "共性目标", "集体经济", 10, 8.5),
        ("C村", "示范目标", "示范项目", 10, 9),
        ("A村", "共性目标", "组织建设", 10, 8.33),
        ("A村", "共性目标", "集体经济", 10, 7.67),
        ("A村", "示范目标", "示范项目", 10, 8.17),
        ("B村", "共性目标", "组织建设", 10, 6.67),
        ("B村", "共性目标", "集体经济", 10, 6.33),
        ("B村", "示范目标", "示范项目", 10, 9),
    ]
    survey = [
        tuple(_blank(v) for v in row) for row in book["满意度测评"].iter_rows(values_only=True)
    ]
    assert survey[0] == (
        "试点村", "来源", "满意", "比较满意", "基本满意", "不满意", "答卷数", "平均分值",
        "满意率(%)", "得分", "样本不足",
    )  # fmt: skip
    # C: 16 answers, mean 14/16 = 0.875, 30 × 0.875 = 26.25, under 30 answers: 样本不足.
    # A: 30 answers, (20 + 6.4 + 1.2)/30 = 0.92, 30 × 0.92 = 27.6.
    # B: an entered rate of 92.5% (mean value 0.925): 30 × 0.925 = 27.75, no answers.
    assert survey[1:] == [
        ("C村", "问卷", 10, 5, 0, 1, 16, 0.875, None, 26.25, "是"),
        ("A村", "问卷", 20, 8, 2, 0, 30, 0.92, None, 27.6, None),
        ("B村", "外部测评", 0, 0, 0, 0, 0, 0.925, 92.5, 27.75, None),
    ]


async def _rated_round(
    client: httpx.AsyncClient, organiser: str, campaign: str, date: str, rates: dict[str, float]
) -> dict[str, Any]:
    """A round of villages A and B with nothing but entered satisfaction rates."""
    created = await create_round(client, organiser, small_definition(campaign, date, "AB"))
    for village, rate in rates.items():
        r = await client.post(
            f"/api/v1/rounds/{created['id']}/satisfaction",
            json={"village": village, "rate": rate},
            headers=bearer(organiser),
        )
        assert r.status_code == 201, r.text
    return created


async def test_delta_is_against_the_latest_earlier_round(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    campaign = new_campaign()
    # Created out of date order on purpose: Q2, then Q1 (entered late), then Q4 (a later date),
    # then the current Q3 round. Only satisfaction counts (max 30), so total = 30 × rate.
    # Q2 (2025-06-18): A 80% -> 24, B 90% -> 27: B 1st, A 2nd   <- the one to compare with
    await _rated_round(client, organiser_token, campaign, "2025-06-18", {"A": 80, "B": 90})
    # Q1 (2025-03-18): A 100% -> 30, B 50% -> 15: A 1st, B 2nd
    await _rated_round(client, organiser_token, campaign, "2025-03-18", {"A": 100, "B": 50})
    # Q4 (2025-12-16): later than the current round, never "before" it
    await _rated_round(client, organiser_token, campaign, "2025-12-16", {"A": 10, "B": 20})
    # Q3 (2025-09-16): A 70% -> 21, B 60% -> 18: A 1st, B 2nd
    current = await _rated_round(
        client, organiser_token, campaign, "2025-09-16", {"A": 70, "B": 60}
    )
    body = (
        await client.get(
            f"/api/v1/rounds/{current['id']}/standings", headers=bearer(organiser_token)
        )
    ).json()
    # against Q2: A 21 - 24 = -3, rank 2 -> 1 = +1; B 18 - 27 = -9, rank 1 -> 2 = -1
    # (against Q1 it would be A -9 / 0 and B +3 / 0; against Q4 A +11 / 0 and B -2 / 0)
    assert [(r["village"], r["rank"], r["total"], r["delta"]) for r in body["rows"]] == [
        ("A", 1, 21, {"total": -3, "rank": 1}),
        ("B", 2, 18, {"total": -9, "rank": -1}),
    ]


async def test_a_deduction_retried_with_a_changed_body_is_refused(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid, org = created["id"], bearer(organiser_token)
    body = {
        "village": "A",
        "item": "f",
        "points": 2,
        "reason": "台账与现场不符",
        "idempotency_key": "same-key",
    }
    first = await client.post(f"/api/v1/rounds/{rid}/deductions", json=body, headers=org)
    assert first.status_code == 201, first.text
    for change in ({"points": 3}, {"reason": "另一原因"}, {"village": "B"}):
        r = await client.post(
            f"/api/v1/rounds/{rid}/deductions", json={**body, **change}, headers=org
        )
        assert r.status_code == 409, (change, r.text)
        assert r.json()["error"]["field"] == "idempotency_key"
    standings = (await client.get(f"/api/v1/rounds/{rid}/standings", headers=org)).json()
    # only the first deduction counts: A -2
    assert [(r["village"], r["deductions"]) for r in standings["rows"]] == [
        ("B", 0),
        ("C", 0),
        ("A", 2),
    ]
    assert await Deduction.filter(round_id=rid).count() == 1
