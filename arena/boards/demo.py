"""Demo index boards: a city's 38 villages for 2024 and 2025, through the same services as the API.

The villages include the eight of the demo round (arena/demo_data/round-2025q3.toml) under the same
names and townships, so a participant's personal link finds its village on the board. Values come
from a seeded generator: every run makes the same boards, flags and follow-ups.
"""

from __future__ import annotations

import random
from typing import Any

from arena.models import Board as BoardRow
from arena.services.boards.followup import save_follow_up
from arena.services.boards.service import BoardService
from arena.services.boards.writes import define_board, import_values

CITY = "海州市"
PERIODS = ("2024", "2025")
# township → (district, village names); the first eight are the demo round's villages
TOWNSHIPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "东港镇": ("滨海区", ("青山村", "港边村", "银滩村", "渔光村", "盐田村", "海湾村")),
    "西岭镇": ("滨海区", ("和睦村", "巧巧村", "乡贤村", "松林村", "茶园村", "岭下村")),
    "北桥镇": ("经济区", ("桥头村", "红岩村", "新河村", "光明村", "前进村", "柳塘村")),
    "南湖镇": ("滨海区", ("湖心村", "莲塘村", "荷花村", "南岸村", "水口村", "杨柳村")),
    "石门乡": ("经济区", ("石门村", "龙井村", "枫树村", "高山村", "竹林村", "白云村", "桃源村")),
    "云溪乡": ("经济区", ("云溪村", "上溪村", "下溪村", "溪头村", "梅岭村", "凤凰村", "花果村")),
}
# how strong each round village is (0–1); the others are drawn at random
STRENGTH = {"青山村": 0.85, "港边村": 0.62, "银滩村": 0.74, "和睦村": 0.58, "巧巧村": 0.8,
            "乡贤村": 0.66, "桥头村": 0.5, "红岩村": 0.2}  # fmt: skip
INDICATORS: list[dict[str, Any]] = [
    {"code": "collective_income", "name": "村集体经营性收入", "unit": "万元",
     "direction": "higher", "weight": 30},
    {"code": "resident_income", "name": "农村居民人均可支配收入", "unit": "元",
     "direction": "higher", "weight": 25},
    {"code": "debt_ratio", "name": "村级负债率", "unit": "%", "direction": "lower", "weight": 15},
    {"code": "income_growth", "name": "集体经营性收入增幅", "unit": "%", "direction": "higher",
     "weight": 10, "normalisation": "percentile", "min": -100, "max": 10000},
    {"code": "waste_sorting", "name": "生活垃圾分类处理率", "unit": "%", "direction": "higher",
     "weight": 10},
    {"code": "disputes", "name": "每千人矛盾纠纷数", "unit": "件", "direction": "lower",
     "weight": 10, "normalisation": "zscore"},
]  # fmt: skip
FLAGS: list[dict[str, Any]] = [
    {"scope": "village", "category": "产业兴旺", "kind": "top_n",
     "indicator": "collective_income", "n": 3, "exclude_bottom20": True},
    {"scope": "village", "category": "生态宜居", "kind": "threshold", "indicator": "waste_sorting",
     "threshold": 97},
    {"scope": "village", "category": "乡风文明", "kind": "top_n", "indicator": "disputes", "n": 3},
    {"scope": "village", "category": "治理有效", "kind": "threshold", "indicator": "debt_ratio",
     "threshold": 8},
    {"scope": "village", "category": "生活富裕", "kind": "top_n", "indicator": "resident_income",
     "n": 3},
    {"scope": "township", "category": "党建引领", "kind": "top_n", "n": 1},
    {"scope": "township", "category": "产业振兴", "kind": "top_n", "indicator": "collective_income",
     "n": 1},
    {"scope": "township", "category": "绿色生态", "kind": "top_n", "indicator": "waste_sorting",
     "n": 1},
    {"scope": "township", "category": "乡风文明", "kind": "top_n", "indicator": "disputes", "n": 1},
    {"scope": "township", "category": "平安建设", "kind": "top_n", "indicator": "disputes", "n": 1},
]  # fmt: skip
FOLLOW_UPS = [
    ("跟进中", "李建国（市委常委、组织部部长）",
     "盘活村集体闲置厂房，引入农产品初加工项目；每月到村督导一次", "2026-01-10", "2026-06-30"),
    ("跟进中", "王海燕（副市长）", "化解村级债务：清理三笔历史欠款，制定三年还款计划", "2026-01-12",
     "2026-12-31"),
    ("已完成", "张志强（市农业农村局局长）", "垃圾分类设施补短板，新增分类收集点4处", "2026-01-05",
     "2026-03-31"),
]  # fmt: skip


def _villages(rng: random.Random) -> list[tuple[str, str, str, str, int, float]]:
    villages = []
    for t, (township, (district, names)) in enumerate(TOWNSHIPS.items()):
        for k, name in enumerate(names):
            strength = STRENGTH.get(name, rng.uniform(0.25, 0.9))
            code = f"HZ{t + 1}{k + 1:02d}"
            villages.append((code, name, township, district, rng.randint(3, 6), strength))
    return villages


def _values(villages: list[tuple[str, str, str, str, int, float]], year: int,
            rng: random.Random) -> str:  # fmt: skip
    lines = ["village,name," + ",".join(i["code"] for i in INDICATORS)]
    lift = 1.0 if year == 2024 else 1.08
    for code, name, *_, strength in villages:
        s = min(max(strength + rng.gauss(0, 0.06), 0.05), 0.98)
        row = (
            round((40 + 360 * s**1.6) * lift * rng.uniform(0.9, 1.1), 1),  # 万元
            round((21000 + 26000 * s) * lift * rng.uniform(0.96, 1.04)),  # 元
            round(max(2.0, 38 - 34 * s + rng.gauss(0, 3)), 1),  # %
            round(-8 + 30 * s + rng.gauss(0, 6), 1),  # %
            round(min(99.8, 78 + 21 * s + rng.gauss(0, 1.5)), 1),  # %
            round(max(0.2, 4.5 - 3.6 * s + rng.gauss(0, 0.4)), 1),  # 件 per 1,000 residents
        )
        lines.append(f"{code},{name}," + ",".join(str(v) for v in row))
    return "\n".join(lines) + "\n"


async def load_board_demo(actor: str) -> list[int]:
    """Create the demo boards (2024, 2025) with values, flags and follow-ups; idempotent."""
    existing = await BoardRow.filter(scope_level="city", scope_name=CITY).order_by("period_label")
    if existing:
        return [row.id for row in existing]
    rng = random.Random(2025)
    villages = _villages(rng)
    service = BoardService()
    ids: list[int] = []
    for label in PERIODS:
        definition = {
            "name": f"{CITY}{label}年度强村富民指数榜",
            "scope": {"level": "city", "name": CITY},
            "period": {"kind": "year", "label": label},
            "indicators": INDICATORS,
            "villages": [
                {"code": c, "name": n, "township": t, "county": d, "cadres": k}
                for c, n, t, d, k, _ in villages
            ],
            "flags": FLAGS,
        }
        board_id = int((await define_board(definition, actor))["id"])
        content = _values(villages, int(label), rng).encode()
        await import_values(service, board_id, f"{CITY}{label}年度指标数据.csv", content, actor)
        ids.append(board_id)
    latest = await service.computed(ids[-1])
    result = latest.required()
    lowest = [str(result.village_codes[i]) for i in result.order[::-1][: len(FOLLOW_UPS)]]
    for code, (status, leader, measures, started, due) in zip(lowest, FOLLOW_UPS, strict=False):
        data = {"status": status, "leader": leader, "measures": measures,
                "started_on": started, "due_on": due}  # fmt: skip
        await save_follow_up(latest, code, data, actor)
    return ids
