"""Checking definitions (rounds, contests): typed reads that collect every problem at once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from arena.errors import Problem
from arena.scoring.numbers import to_decimal


@dataclass(frozen=True)
class ItemDef:
    """A scored item (or target, or criterion) with its maximum and the judges' guidance."""

    code: str
    name: str
    max: Decimal
    guide: str = ""

    def to_json(self) -> dict[str, Any]:
        """The item as a definition writes it (the guide only when there is one)."""
        out: dict[str, Any] = {"code": self.code, "name": self.name, "max": num(self.max)}
        if self.guide:
            out["guide"] = self.guide
        return out


def num(value: Decimal) -> int | float:
    """A Decimal as a JSON number (int when whole)."""
    return int(value) if value == value.to_integral_value() else float(value)


class Checker:
    """Reads typed values out of nested dicts (TOML or JSON), collecting every problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, field: str, message: str) -> None:
        self.problems.append(Problem(field, message))

    def obj(self, value: Any, field: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(field, "必须是对象")
            return {}
        return value

    def text(
        self,
        data: dict[str, Any],
        key: str,
        field: str,
        default: str | None = None,
        max_length: int = 200,
    ) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{field}.{key}" if field else key, "必填，且必须是非空字符串")
            return ""
        if len(value) > max_length:
            self.fail(f"{field}.{key}" if field else key, f"不能超过 {max_length} 个字符")
        return value.strip()

    def decimal(
        self,
        value: Any,
        field: str,
        low: Decimal = Decimal(0),
        high: Decimal | None = None,
        positive: bool = False,
    ) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            self.fail(field, "必须是数字")
            return Decimal(0)
        try:
            result = to_decimal(value)
        except ValueError:
            self.fail(field, "必须是有限的数字")
            return Decimal(0)
        exponent = result.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            self.fail(field, "最多 2 位小数")
        if result < low or (positive and result == 0):
            self.fail(field, "必须大于 0" if positive else f"不能小于 {low}")
        if high is not None and result > high:
            self.fail(field, f"不能大于 {high}")
        return result

    def integer(self, value: Any, field: str, low: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, "必须是整数")
            return low
        if value < low:
            self.fail(field, f"不能小于 {low}")
        return value

    def items(self, raw: Any, field: str, total: Decimal | None, what: str) -> tuple[ItemDef, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail(field, f"必须是非空列表（{what}）")
            return ()
        seen: set[str] = set()
        out = []
        for i, entry in enumerate(raw):
            path = f"{field}[{i}]"
            entry = self.obj(entry, path)
            code = self.text(entry, "code", path, max_length=40)
            if code in seen:
                self.fail(f"{path}.code", f"编码 {code} 重复")
            seen.add(code)
            name = self.text(entry, "name", path)
            maximum = self.decimal(entry.get("max"), f"{path}.max", positive=True)
            guide = entry.get("guide", "")
            if not isinstance(guide, str):
                self.fail(f"{path}.guide", "必须是字符串")
                guide = ""
            out.append(ItemDef(code, name, maximum, guide.strip()))
        if total is not None and out:
            added = sum((i.max for i in out), Decimal(0))
            if added != total:
                self.fail(field, f"{what}分值合计 {added} 与满分 {total} 不一致")
        return tuple(out)
