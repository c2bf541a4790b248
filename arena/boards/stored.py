"""A parsed board as stored: its definition without villages (plain JSON) and back again."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from arena.boards import Board, Village
from arena.boards.definition import parse_board

# parse_board wants at least one village; the stored villages replace this placeholder
_PLACEHOLDER = {"code": "_", "name": "_", "township": "_", "county": "_", "cadres": 0}


def _amount(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def definition_json(board: Board) -> dict[str, Any]:
    """The board's definition in normalised form, without its villages."""
    indicators = []
    for ind, bounds in zip(board.indicators, board.bounds, strict=True):
        item: dict[str, Any] = {
            "code": ind.code,
            "name": ind.name,
            "unit": ind.unit,
            "direction": ind.direction,
            "weight": ind.weight,
            "normalisation": ind.normalisation,
        }
        if bounds.minimum is not None:
            item["min"] = bounds.minimum
        if bounds.maximum is not None:
            item["max"] = bounds.maximum
        indicators.append(item)
    flags = []
    for rule in board.flag_rules:
        flag: dict[str, Any] = {
            "scope": rule.scope,
            "category": rule.category,
            "kind": rule.kind,
            "indicator": rule.indicator,
            "exclude_bottom20": rule.exclude_bottom20,
        }
        if rule.kind == "top_n":
            flag["n"] = rule.n
        else:
            flag["threshold"] = rule.threshold
        flags.append(flag)
    rates = board.rates
    return {
        "name": board.name,
        "scope": {"level": board.scope.level, "name": board.scope.name},
        "period": {"kind": board.period.kind, "label": board.period.label},
        "incentives": {
            "secretary_monthly": _amount(rates.secretary_monthly),
            "other_cadre_monthly": _amount(rates.other_cadre_monthly),
            "love_supermarket": _amount(rates.love_supermarket),
        },
        "indicators": indicators,
        "flags": flags,
    }


def village_json(village: Village) -> dict[str, Any]:
    """One village as the definition writes it."""
    return dataclasses.asdict(village)


def restore(definition: dict[str, Any], villages: Sequence[Village]) -> Board:
    """The Board a stored definition and its villages make."""
    board = parse_board({**definition, "villages": [_PLACEHOLDER]})
    return dataclasses.replace(board, villages=tuple(villages))
