"""State checks of a round's scores: judges' sheets (proxy, void), deductions, satisfaction."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from arena.models import Deduction, Satisfaction, Sheet
from arena.services.audit_state.base import (
    Checker,
    Difference,
    Event,
    register,
    same_items,
    same_number,
    show,
)

SheetKey = tuple[int, str, str, str, int]  # round, village code, judge code, paper, version


def _key_text(key: tuple[Any, ...]) -> str:
    return "/".join(str(k) for k in key)


def _fields(
    table: str, name: str, round_id: int, pairs: list[tuple[str, Any, Any]]
) -> list[Difference]:
    """A difference for each (field, stored, audited) pair that disagrees."""
    return [
        Difference(
            table, name, f"{field} 为 {show(have)}，审计链为 {show(want)}", f"round:{round_id}"
        )
        for field, have, want in pairs
        if have != want
    ]


@register
class SheetChecker(Checker):
    """Judges' sheets: every version as submitted (or typed in by proxy); the newest version is
    current unless it was voided."""

    actions = ("sheet.submit", "sheet.proxy", "sheet.void")

    def __init__(self) -> None:
        self.sheets: dict[SheetKey, dict[str, Any]] = {}
        self.voided: dict[SheetKey, dict[str, Any]] = {}

    def replay(self, event: Event) -> None:
        p = event.payload
        key = (event.subject_id, p["village"], p["judge"], p["paper"], int(p["version"]))
        if event.action == "sheet.void":
            self.voided[key] = p
        else:
            self.sheets[key] = p

    def current_keys(self) -> set[SheetKey]:
        """The newest version of each judge's sheet for a village and paper, if not voided."""
        newest: dict[tuple[int, str, str, str], int] = {}
        for r, v, j, p, version in self.sheets:
            newest[(r, v, j, p)] = max(version, newest.get((r, v, j, p), 0))
        keys = {(*group, version) for group, version in newest.items()}
        return keys - self.voided.keys()

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out: list[Difference] = []
        current = self.current_keys()
        rows = await Sheet.all().using_db(conn).values(
            "id", "round_id", "village__code", "judge__code", "paper", "version", "current",
            "items", "total", "comment", "proxy_by", "proxy_reason", "voided_at", "voided_by",
            "void_reason",
        )  # fmt: skip
        seen: set[SheetKey] = set()
        for row in rows:
            rid = row["round_id"]
            key = (rid, row["village__code"], row["judge__code"], row["paper"], row["version"])
            seen.add(key)
            want = self.sheets.get(key)
            name = str(row["id"])
            where = f"round:{rid}"
            if want is None:
                what = f"审计链中没有这张评分表（{_key_text(key)}）"
                out.append(Difference("sheet", name, what, where))
                continue
            if "id" in want and want["id"] != row["id"]:
                out.append(
                    Difference("sheet", name, f"id 与审计链不符（链上为 {want['id']}）", where)
                )
            if not same_items(row["items"], want["items"]):
                what = f"items 为 {show(row['items'])}，审计链为 {show(want['items'])}"
                out.append(Difference("sheet", name, what, where))
            if not same_number(row["total"], want["total"]):
                what = f"total 为 {row['total']}，审计链为 {want['total']}"
                out.append(Difference("sheet", name, what, where))
            void = self.voided.get(key, {})
            out += _fields("sheet", name, rid, [
                ("comment", row["comment"], want.get("comment", "")),
                ("current", bool(row["current"]), key in current),
                ("proxy_by", row["proxy_by"], want.get("proxy_by", "")),
                ("proxy_reason", row["proxy_reason"], want.get("proxy_reason", "")),
                ("voided", row["voided_at"] is not None, bool(void)),
                ("voided_by", row["voided_by"], void.get("voided_by", "")),
                ("void_reason", row["void_reason"], void.get("reason", "")),
            ])  # fmt: skip
        for key in sorted(self.sheets.keys() - seen):
            where = f"round:{key[0]}"
            out.append(Difference("sheet", _key_text(key), "评分表被删除（审计链中有）", where))
        return out


@register
class DeductionChecker(Checker):
    """Deductions: each as recorded (reason, evidence, who), and withdrawn only as audited."""

    actions = ("deduction.add", "deduction.withdraw")

    def __init__(self) -> None:
        self.deductions: dict[int, tuple[int, dict[str, Any], str]] = {}
        self.withdrawn: dict[int, dict[str, Any]] = {}

    def replay(self, event: Event) -> None:
        did = int(event.payload["id"])
        if event.action == "deduction.withdraw":
            self.withdrawn[did] = event.payload
        else:
            self.deductions[did] = (event.subject_id, event.payload, event.actor_name)

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out: list[Difference] = []
        rows = await Deduction.all().using_db(conn).values(
            "id", "round_id", "village__code", "item", "points", "reason", "evidence",
            "recorded_by", "withdrawn_at", "withdrawn_by", "withdraw_reason",
        )  # fmt: skip
        seen = set()
        for row in rows:
            did, rid = row["id"], row["round_id"]
            seen.add(did)
            name = str(did)
            want = self.deductions.get(did)
            if want is None:
                out.append(
                    Difference(
                        "deduction", name, "审计链中没有这条扣分（库外添加）", f"round:{rid}"
                    )
                )
                continue
            round_id, p, actor = want
            gone = self.withdrawn.get(did, {})
            out += _fields("deduction", name, round_id, [
                ("round", rid, round_id),
                ("village", row["village__code"], p["village"]),
                ("item", row["item"], p["item"]),
                ("reason", row["reason"], p["reason"]),
                ("evidence", row["evidence"], p.get("evidence", "")),
                ("recorded_by", row["recorded_by"], p.get("recorded_by", actor)),
                ("withdrawn", row["withdrawn_at"] is not None, bool(gone)),
                ("withdrawn_by", row["withdrawn_by"], gone.get("withdrawn_by", "")),
                ("withdraw_reason", row["withdraw_reason"], gone.get("reason", "")),
            ])  # fmt: skip
            if not same_number(row["points"], p["points"]):
                what = f"points 为 {row['points']}，审计链为 {p['points']}"
                out.append(Difference("deduction", name, what, f"round:{round_id}"))
        for did in sorted(self.deductions.keys() - seen):
            where = f"round:{self.deductions[did][0]}"
            out.append(Difference("deduction", str(did), "扣分记录被删除（审计链中有）", where))
        return out


@register
class SatisfactionChecker(Checker):
    """Satisfaction: the latest figure entered for each village (counts or a rate), and whether
    it was withdrawn since."""

    actions = ("satisfaction.set", "satisfaction.withdraw")

    def __init__(self) -> None:
        self.latest: dict[tuple[int, str], dict[str, Any]] = {}
        self.withdrawn: dict[tuple[int, str], dict[str, Any]] = {}

    def replay(self, event: Event) -> None:
        key = (event.subject_id, event.payload["village"])
        if event.action == "satisfaction.withdraw":
            self.withdrawn[key] = event.payload
        else:
            self.latest[key] = event.payload
            self.withdrawn.pop(key, None)

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out: list[Difference] = []
        rows = await Satisfaction.all().using_db(conn).values(
            "id", "village__round_id", "village__code", "counts", "rate", "withdrawn_at",
            "withdrawn_by", "withdraw_reason",
        )  # fmt: skip
        seen = set()
        for row in rows:
            rid, village = row["village__round_id"], row["village__code"]
            key = (rid, village)
            seen.add(key)
            name = f"{row['id']}（round {rid} {village}）"
            want = self.latest.get(key)
            if want is None:
                what = "审计链中没有这项满意度（库外添加）"
                out.append(Difference("satisfaction", name, what, f"round:{rid}"))
                continue
            gone = self.withdrawn.get(key, {})
            out += _fields("satisfaction", name, rid, [
                ("counts", row["counts"] or None, want.get("counts") or None),
                ("withdrawn", row["withdrawn_at"] is not None, bool(gone)),
                ("withdrawn_by", row["withdrawn_by"], gone.get("withdrawn_by", "")),
                ("withdraw_reason", row["withdraw_reason"], gone.get("reason") or ""),
            ])  # fmt: skip
            rate, want_rate = row["rate"], want.get("rate")
            if (rate is None) != (want_rate is None) or (
                rate is not None and not same_number(rate, want_rate)
            ):
                what = f"rate 为 {rate}，审计链为 {want_rate}"
                out.append(Difference("satisfaction", name, what, f"round:{rid}"))
        for rid, village in sorted(self.latest.keys() - seen):
            what = "满意度记录被删除（审计链中有）"
            out.append(Difference("satisfaction", f"round {rid} {village}", what, f"round:{rid}"))
        return out
