"""A round's setup after creation: edit what may still change, delete, archive, check drafts.

Before anything is scored a round may change in every respect. Once a sheet, a deduction or a
satisfaction figure exists, only what cannot corrupt a result may change: the round's and every
village's, judge's and item's display name (not codes, maxima or guides), a judge's unit, a new
judge, and a new recusal for a judge × village pair without any sheet (the last two only while
scoring is open). Every change is audited in the transaction that makes it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from arena.checks import ItemDef
from arena.db import plain_rows
from arena.errors import Problem, UserError
from arena.models import (
    Campaign,
    Deduction,
    Judge,
    PaperItem,
    Recusal,
    Round,
    Satisfaction,
    Sheet,
    SurveyAnswer,
    Target,
    Token,
    Village,
)
from arena.rounds.definition import RoundDefinition, parse_definition
from arena.services import audit
from arena.services.rounds import RoundCatalogue

# What a change is, for the rules after scoring has started.
RENAME, ADD_JUDGE, ADD_RECUSAL, OTHER = "rename", "add_judge", "add_recusal", "other"
METHOD_NAMES = {"trimmed": "去掉最高最低分后平均", "mean": "平均", "median": "中位数"}


@dataclass(frozen=True)
class Change:
    """One difference between a round's definition and its edited version."""

    field: str  # the path in the edited definition, as the API's problems name fields
    what: str  # in Chinese, with the values before and after
    kind: str = OTHER
    judge: str = ""  # ADD_RECUSAL: the judge's and village's codes
    village: str = ""

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "what": self.what}


def _items(
    old: tuple[ItemDef, ...], new: tuple[ItemDef, ...], path: str, what: str
) -> list[Change]:
    out: list[Change] = []
    for i, item in enumerate(new):
        here = f"{path}[{i}]"
        if i >= len(old):
            out.append(Change(f"{here}.code", f"新增{what} {item.code}「{item.name}」"))
            continue
        was = old[i]
        if was.code != item.code:
            out.append(Change(f"{here}.code", f"{what}编码 {was.code} → {item.code}"))
            continue
        if was.name != item.name:
            out.append(
                Change(
                    f"{here}.name", f"{what} {item.code} 名称「{was.name}」→「{item.name}」", RENAME
                )
            )
        if was.max != item.max:
            out.append(Change(f"{here}.max", f"{what} {item.code} 满分 {was.max} → {item.max}"))
        if was.guide != item.guide:
            out.append(Change(f"{here}.guide", f"{what} {item.code} 评分要点已修改"))
    for was in old[len(new) :]:
        out.append(Change(path, f"删除{what} {was.code}「{was.name}」"))
    return out


def diff(old: RoundDefinition, new: RoundDefinition) -> list[Change]:
    """Every difference, named by the edited definition's field paths."""
    out: list[Change] = []
    if old.name != new.name:
        out.append(Change("name", f"名称「{old.name}」→「{new.name}」", RENAME))
    if old.campaign != new.campaign:
        out.append(Change("campaign", f"所属行动「{old.campaign}」→「{new.campaign}」"))
    if old.date != new.date:
        out.append(Change("date", f"日期 {old.date} → {new.date}"))
    a, b = old.aggregation, new.aggregation
    if a.method != b.method:
        out.append(
            Change(
                "aggregation.method",
                f"计分方法 {METHOD_NAMES[a.method]} → {METHOD_NAMES[b.method]}",
            )
        )
    if a.trim != b.trim:
        out.append(Change("aggregation.trim", f"去掉最高最低分个数 {a.trim} → {b.trim}"))
    if a.min_judges_for_trim != b.min_judges_for_trim:
        out.append(
            Change(
                "aggregation.min_judges_for_trim",
                f"去极值的最少评委数 {a.min_judges_for_trim} → {b.min_judges_for_trim}",
            )
        )
    if old.tie_breaks != new.tie_breaks:
        out.append(Change("tie_breaks", "同分比较顺序已修改"))
    for field, label, x, y in (
        ("papers.shared.max", "共性目标满分", old.shared_max, new.shared_max),
        ("papers.demonstration.max", "示范目标满分", old.demonstration_max, new.demonstration_max),
        ("papers.satisfaction.max", "满意度满分", old.satisfaction_max, new.satisfaction_max),
        (
            "papers.satisfaction.min_responses",
            "满意度最少样本数",
            old.min_responses,
            new.min_responses,
        ),
        ("papers.deductions.cap", "扣分上限", old.deduction_cap, new.deduction_cap),
    ):
        if x != y:
            out.append(Change(field, f"{label} {x} → {y}"))
    if old.scale != new.scale:
        out.append(Change("papers.satisfaction.scale", "满意度答案分值已修改"))
    if old.survey != new.survey:  # residents' phone survey (arena/surveys)
        out.append(Change("papers.satisfaction.survey", "群众测评设置已修改"))
    out += _items(old.shared_items, new.shared_items, "papers.shared.items", "共性目标")
    out += _items(old.deduction_items, new.deduction_items, "papers.deductions.items", "扣分项")
    out += _villages(old, new)
    out += _judges(old, new)
    return out


def _villages(old: RoundDefinition, new: RoundDefinition) -> list[Change]:
    out: list[Change] = []
    for i, v in enumerate(new.villages):
        here = f"villages[{i}]"
        if i >= len(old.villages):
            out.append(Change(f"{here}.code", f"新增村 {v.code}「{v.name}」"))
            continue
        was = old.villages[i]
        if was.code != v.code:
            out.append(Change(f"{here}.code", f"路线第 {i + 1} 站 {was.code} → {v.code}"))
            continue
        for key, label in (("name", "村名"), ("township", "乡镇"), ("county", "县（市、区）")):
            x, y = getattr(was, key), getattr(v, key)
            if x != y:
                out.append(Change(f"{here}.{key}", f"村 {v.code} {label}「{x}」→「{y}」", RENAME))
        out += _items(was.targets, v.targets, f"{here}.targets", f"{v.name}示范目标")
    for was in old.villages[len(new.villages) :]:
        out.append(Change("villages", f"删除村 {was.code}「{was.name}」"))
    return out


def _judges(old: RoundDefinition, new: RoundDefinition) -> list[Change]:
    out: list[Change] = []
    before = {j.code: j for j in old.judges}
    for i, j in enumerate(new.judges):
        here = f"judges[{i}]"
        if i >= len(old.judges):
            if j.code in before:
                out.append(Change(f"{here}.code", f"评委 {j.code} 的位置已调整"))
                continue
            out.append(Change(f"{here}.code", f"新增评委 {j.code}「{j.name}」", ADD_JUDGE))
            out += [
                Change(f"{here}.recuse", f"评委 {j.name} 回避 {v}", ADD_RECUSAL, j.code, v)
                for v in j.recuse
            ]
            continue
        was = old.judges[i]
        if was.code != j.code:
            out.append(Change(f"{here}.code", f"评委名单第 {i + 1} 位 {was.code} → {j.code}"))
            continue
        if was.name != j.name:
            out.append(
                Change(f"{here}.name", f"评委 {j.code} 姓名「{was.name}」→「{j.name}」", RENAME)
            )
        if was.unit != j.unit:
            out.append(
                Change(f"{here}.unit", f"评委 {j.code} 单位「{was.unit}」→「{j.unit}」", RENAME)
            )
        for v in j.recuse:
            if v not in was.recuse:
                out.append(
                    Change(f"{here}.recuse", f"评委 {j.name} 回避 {v}", ADD_RECUSAL, j.code, v)
                )
        for v in was.recuse:
            if v not in j.recuse:
                out.append(Change(f"{here}.recuse", f"评委 {j.name} 取消回避 {v}"))
    for was in old.judges[len(new.judges) :]:
        out.append(Change("judges", f"删除评委 {was.code}「{was.name}」"))
    return out


async def has_scores(round_id: int, conn: BaseDBAsyncClient | None = None) -> bool:
    """True once anything has been scored in the round (a sheet, a deduction, a survey figure)."""
    for query in (
        Sheet.filter(round_id=round_id),
        Deduction.filter(round_id=round_id),
        Satisfaction.filter(village__round_id=round_id),
        SurveyAnswer.filter(round_id=round_id),  # a resident's answer on a phone
    ):
        if await (query.using_db(conn) if conn else query).exists():
            return True
    return False


async def refusals(
    round_id: int, status: str, changes: list[Change], conn: BaseDBAsyncClient | None = None
) -> list[Problem]:
    """What of these changes may not be made now that the round has scores."""
    problems: list[Problem] = []
    scored_pairs: set[tuple[str, str]] = set()
    if any(c.kind == ADD_RECUSAL for c in changes):
        judges = dict(await _q(Judge.filter(round_id=round_id), conn).values_list("id", "code"))
        villages = dict(await _q(Village.filter(round_id=round_id), conn).values_list("id", "code"))
        pairs = await _q(Sheet.filter(round_id=round_id), conn).values_list(
            "judge_id", "village_id"
        )
        scored_pairs = {(judges[j], villages[v]) for j, v in pairs}
    for c in changes:
        if c.kind == RENAME:
            continue
        if c.kind in (ADD_JUDGE, ADD_RECUSAL) and status != "open":
            problems.append(Problem(c.field, f"评分已锁定，不能再{c.what}"))
        elif c.kind == ADD_JUDGE:
            continue
        elif c.kind == ADD_RECUSAL:
            if (c.judge, c.village) in scored_pairs:
                problems.append(
                    Problem(c.field, f"该评委已为村 {c.village} 提交过评分，不能再设回避")
                )
        else:
            problems.append(Problem(c.field, f"评分已开始，不能修改：{c.what}"))
    return problems


def _q(query: Any, conn: BaseDBAsyncClient | None) -> Any:
    return query.using_db(conn) if conn else query


def _parse(data: Any) -> tuple[RoundDefinition | None, list[Problem]]:
    try:
        return parse_definition(data), []
    except UserError as exc:
        return None, exc.problems or [Problem(exc.field or "", exc.message)]


async def check(data: Any, round_id: int | None = None) -> dict[str, Any]:
    """A draft checked, nothing stored: every problem, and for an edit what would change."""
    new, problems = _parse(data)
    answer: dict[str, Any] = {"ok": False, "problems": [], "changes": []}
    if new is not None and round_id is not None:
        row = await Round.get_or_none(id=round_id)
        if row is None:
            raise UserError(404, "not_found", "该轮拉练不存在", "round")
        changes = diff(parse_definition(row.definition), new)
        answer["changes"] = [c.to_json() for c in changes]
        if await has_scores(round_id):
            problems = await refusals(round_id, row.status, changes)
    answer["ok"] = not problems
    answer["problems"] = [{"field": p.field, "message": p.message} for p in problems]
    return answer


async def _lock(conn: BaseDBAsyncClient, round_id: int) -> Round:
    """Take the round's row (and the writer's lock) first: scores wait until this edit is done."""
    rows = await plain_rows(
        Round,
        "UPDATE {table} SET setup = setup + 1 WHERE id = {0} RETURNING id",
        round_id,
        conn=conn,
    )
    if not rows:
        raise UserError(404, "not_found", "该轮拉练不存在", "round")
    return await Round.filter(id=round_id).using_db(conn).get()


class RoundSetup:
    """Edits, deletes and archives rounds through the catalogue whose cache it keeps true."""

    def __init__(self, catalogue: RoundCatalogue) -> None:
        self.catalogue = catalogue

    @asynccontextmanager
    async def _changing(self, round_id: int) -> AsyncIterator[tuple[BaseDBAsyncClient, Round]]:
        """One setup change: the round locked in a transaction, then every cache told."""
        await self.catalogue.get(round_id)
        try:
            async with in_transaction() as conn:
                yield conn, await _lock(conn, round_id)
        finally:
            self.catalogue.invalidate(round_id)
        # Bumped only once the change is committed: standings computed meanwhile (on SQLite's
        # one connection they can see the change half made) are computed again.
        await plain_rows(
            Round,
            "UPDATE {table} SET revision = revision + 1 WHERE id = {0} RETURNING id",
            round_id,
        )

    async def edit(self, round_id: int, data: Any, actor: str) -> dict[str, Any]:
        """Apply an edited definition; 403 listing every change refused once scoring started."""
        new = parse_definition(data)
        async with self._changing(round_id) as (conn, row):
            changes = diff(parse_definition(row.definition), new)
            scored = await has_scores(round_id, conn)
            if scored:
                problems = await refusals(round_id, row.status, changes, conn)
                if problems:
                    raise UserError(
                        403,
                        "scoring_started",
                        "本轮已有评分，以下修改可能改变结果，不能进行："
                        + "；".join(p.message for p in problems[:10]),
                        problems[0].field,
                        problems,
                    )
            if changes:
                await _apply(conn, self.catalogue, row, new)
                await audit.append(
                    conn,
                    actor,
                    "round.edit",
                    f"round:{round_id}",
                    {
                        "scored": scored,
                        "changes": [c.to_json() for c in changes],
                        # the definition now stored: `arena audit verify` checks the row against it
                        "definition_sha256": audit.digest_of(new.to_json()),
                    },
                )
        return {"id": round_id, "changes": [c.to_json() for c in changes]}

    async def delete(self, round_id: int, actor: str) -> dict[str, Any]:
        """Delete a round that has nothing scored; one with scores is archived instead."""
        async with self._changing(round_id) as (conn, row):
            if await has_scores(round_id, conn):
                raise UserError(
                    409, "has_scores", "本轮已有评分，不能删除；可以归档（隐藏但完整保留）", "round"
                )
            campaign = await Campaign.filter(id=row.campaign_id).using_db(conn).get()  # type: ignore[attr-defined]
            await Round.filter(id=round_id).using_db(conn).delete()
            await audit.append(
                conn,
                actor,
                "round.delete",
                f"round:{round_id}",
                {"name": row.name, "campaign": campaign.name, "date": row.date.isoformat()},
            )
        return {"id": round_id, "deleted": True}

    async def archive(self, round_id: int, archived: bool, actor: str) -> dict[str, Any]:
        """Hide a round from the lists (or show it again); everything in it is kept."""
        async with self._changing(round_id) as (conn, row):
            if row.archived != archived:
                await Round.filter(id=round_id).using_db(conn).update(archived=archived)
                await audit.append(
                    conn,
                    actor,
                    "round.archive" if archived else "round.unarchive",
                    f"round:{round_id}",
                    {"name": row.name},
                )
        return {"id": round_id, "archived": archived}


async def _apply(
    conn: BaseDBAsyncClient, catalogue: RoundCatalogue, row: Round, d: RoundDefinition
) -> None:
    """Bring the stored rows in line with the definition, matching everything by its code."""
    campaign, _ = await Campaign.get_or_create(name=d.campaign, using_db=conn)
    await (
        Round.filter(id=row.id)
        .using_db(conn)
        .update(name=d.name, date=d.date, campaign_id=campaign.id, definition=d.to_json())
    )
    await _sync_items(conn, row.id, "shared", d.shared_items)
    await _sync_items(conn, row.id, "deductions", d.deduction_items)
    villages = {v.code: v for v in await Village.filter(round_id=row.id).using_db(conn)}
    wanted = {v.code for v in d.villages}
    for code, gone in villages.items():
        if code not in wanted:
            await Village.filter(id=gone.id).using_db(conn).delete()
    tokens: list[Token] = []
    for n, v in enumerate(d.villages):
        fields = {"name": v.name, "township": v.township, "county": v.county, "position": n}
        village = villages.get(v.code)
        if village is None:
            village = await Village.create(round_id=row.id, code=v.code, using_db=conn, **fields)
            villages[v.code] = village
            tokens.append(catalogue._token(row.id, "participant", v.code, v.name, village=village))
        else:
            await Village.filter(id=village.id).using_db(conn).update(**fields)
            await Token.filter(village_id=village.id).using_db(conn).update(name=v.name)
        await _sync_targets(conn, village.id, v.targets)
    judges = {j.code: j for j in await Judge.filter(round_id=row.id).using_db(conn)}
    wanted = {j.code for j in d.judges}
    for code, left in judges.items():
        if code not in wanted:
            await Judge.filter(id=left.id).using_db(conn).delete()
    for n, j in enumerate(d.judges):
        fields = {"name": j.name, "unit": j.unit, "position": n}
        judge = judges.get(j.code)
        if judge is None:
            judge = await Judge.create(round_id=row.id, code=j.code, using_db=conn, **fields)
            judges[j.code] = judge
            tokens.append(catalogue._token(row.id, "judge", j.code, j.name, judge=judge))
        else:
            await Judge.filter(id=judge.id).using_db(conn).update(**fields)
            await Token.filter(judge_id=judge.id).using_db(conn).update(name=j.name)
    if tokens:
        await Token.bulk_create(tokens, using_db=conn)
    have = set(
        await Recusal.filter(judge__round_id=row.id)
        .using_db(conn)
        .values_list("judge_id", "village_id")
    )
    want = {(judges[j.code].id, villages[v].id) for j in d.judges for v in j.recuse}
    for judge_id, village_id in have - want:
        await Recusal.filter(judge_id=judge_id, village_id=village_id).using_db(conn).delete()
    await Recusal.bulk_create(
        [Recusal(judge_id=j, village_id=v) for j, v in sorted(want - have)], using_db=conn
    )


async def _sync_items(
    conn: BaseDBAsyncClient, round_id: int, paper: str, items: tuple[ItemDef, ...]
) -> None:
    await _sync_item_rows(conn, PaperItem, {"round_id": round_id, "paper": paper}, items)


async def _sync_targets(
    conn: BaseDBAsyncClient, village_id: int, targets: tuple[ItemDef, ...]
) -> None:
    await _sync_item_rows(conn, Target, {"village_id": village_id}, targets)


async def _sync_item_rows(
    conn: BaseDBAsyncClient,
    model: type[PaperItem] | type[Target],
    owner: dict[str, Any],
    items: tuple[ItemDef, ...],
) -> None:
    """Make the owner's rows of `model` be `items`, in order: update by code, add, delete."""
    stored = {r.code: r for r in await model.filter(**owner).using_db(conn)}
    wanted = {i.code for i in items}
    for code, gone in stored.items():
        if code not in wanted:
            await model.filter(id=gone.id).using_db(conn).delete()
    for n, item in enumerate(items):
        fields = {"name": item.name, "maximum": item.max, "guide": item.guide, "position": n}
        if item.code in stored:
            await model.filter(id=stored[item.code].id).using_db(conn).update(**fields)
        else:
            await model.create(code=item.code, using_db=conn, **owner, **fields)
