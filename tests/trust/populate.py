"""Run as a script on a database the demo filled: add what the demo lacks for the tamper tests.

A second version of one sheet (so a retired version exists whose `current` flag can be flipped),
the organiser's corrections (a sheet typed in by proxy, a voided sheet, a withdrawn deduction, a
withdrawn satisfaction figure) and a frozen reveal with one place announced, all through
Arena's own services.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from arena.auth import Principal
from arena.db import close_database, open_database
from arena.live.backends import make_hub
from arena.models import Deduction, Round, Satisfaction, Sheet, Token
from arena.services import audit
from arena.services.core import Services
from arena.services.corrections import CorrectionWriter
from arena.settings import load_settings


async def main() -> None:
    settings = load_settings()
    await open_database(settings.database_url)
    await audit.ensure_head()
    hub = make_hub("memory")
    await hub.start()
    svc = Services(settings, hub)
    try:
        row = await Round.filter(status="open").order_by("id").first()
        assert row is not None, "the demo has an open round"
        meta = await svc.rounds.get(row.id)
        sheet = (
            await Sheet.filter(round_id=row.id, paper="shared", current=True).order_by("id").first()
        )
        assert sheet is not None
        judge = meta.judge_by_id(sheet.judge_id)  # type: ignore[attr-defined]
        village = meta.village_by_id(sheet.village_id)  # type: ignore[attr-defined]
        assert judge is not None and village is not None
        token = await Token.get(round_id=row.id, judge_id=judge.id)
        principal = Principal(token.id, "judge", judge.name, row.id, judge_id=judge.id)
        items = {k: Decimal(v) for k, v in sheet.items.items()}
        first = next(iter(items))
        items[first] = max(Decimal(0), items[first] - Decimal("0.5"))
        status, _ = await svc.scores.submit_sheet(
            principal,
            row.id,
            {"village": village.code, "paper": "shared", "items": items,
             "comment": "复核后修改", "idempotency_key": "tamper-populate-1"},
        )  # fmt: skip
        assert status == 201
        await corrections(svc, row.id, principal)
        await svc.reveal_action(row.id, "freeze", "organiser:测试")
        await svc.reveal_action(row.id, "step", "organiser:测试")
        await svc.publisher.drain()
    finally:
        await hub.stop()
        await close_database()


async def corrections(svc: Services, round_id: int, judge: Principal) -> None:
    """One of each correction, as the organiser's pages make them."""
    meta = await svc.rounds.get(round_id)
    token = await Token.filter(role="organiser").order_by("id").first()
    assert token is not None
    organiser = Principal(token.id, "organiser", token.name)
    writer = CorrectionWriter(svc.scores)
    have = set(await Sheet.filter(round_id=round_id, paper="shared").values_list(
        "village_id", "judge_id"
    ))  # fmt: skip
    missing = next(
        (j, v)
        for v in meta.villages.values()
        for j in meta.expected_judges(v)
        if (v.id, j.id) not in have
    )
    judge_meta, village = missing
    items = {i.code: float(i.max) / 2 for i in meta.definition.shared_items}
    status, _ = await writer.proxy_sheet(organiser, round_id, {
        "judge": judge_meta.code, "village": village.code, "paper": "shared", "items": items,
        "comment": "", "reason": "平板没电，纸质评分表代录", "idempotency_key": "tamper-proxy",
    })  # fmt: skip
    assert status == 201
    sheet = await Sheet.filter(round_id=round_id, current=True, paper="demonstration").first()
    assert sheet is not None
    status, _ = await writer.void_sheet(organiser, round_id, sheet.id, {
        "reason": "评到了别的村", "idempotency_key": "tamper-void"
    })  # fmt: skip
    assert status == 201
    deduction = await Deduction.filter(round_id=round_id).first()
    assert deduction is not None
    status, _ = await writer.withdraw_deduction(organiser, round_id, deduction.id, {
        "reason": "复核后不成立", "idempotency_key": "tamper-withdraw-d"
    })  # fmt: skip
    assert status == 201
    survey = await Satisfaction.filter(village__round_id=round_id).first().values("village__code")
    assert survey is not None
    status, _ = await writer.withdraw_satisfaction(organiser, round_id, survey["village__code"], {
        "reason": "问卷样本有误", "idempotency_key": "tamper-withdraw-s"
    })  # fmt: skip
    assert status == 201


if __name__ == "__main__":
    asyncio.run(main())
