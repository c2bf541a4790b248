"""The round workbook as an office files it: a number per item, 0.00, filters, local times."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest

from arena.services.xlsx_style import local_time, score, text_width
from arena.settings import ConfigError, load_settings
from tests.api.helpers import new_campaign
from tests.api.test_standings import _scored_round
from tests.conftest import bearer


def test_local_time_is_the_venue_wall_clock() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    # 02:15:09 UTC is 10:15:09 in Beijing (UTC+8, no summer time)
    assert local_time("2026-11-30T02:15:09+00:00", shanghai) == dt.datetime(2026, 11, 30, 10, 15, 9)
    # a naive stored time is UTC; 20:00 UTC is 04:00 the next day in Beijing
    assert local_time(dt.datetime(2026, 11, 30, 20, 0, 0, 123), shanghai) == dt.datetime(
        2026, 12, 1, 4, 0, 0
    )
    assert local_time(None, shanghai) is None


def test_score_rounds_half_up_to_cents() -> None:
    assert score(0.125) == 0.13  # float 0.125 is exact: half up, not to even (0.12)
    assert score(2.675) == 2.68  # through its decimal text, not its binary value 2.67499…
    assert score(9) == 9 and isinstance(score(9), int)
    assert text_width("组织建设（10分）") == 16  # 4+2 CJK + 2 fullwidth brackets, 2 each; "10" 2


def test_timezone_setting_is_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Asia/Shanghai"\n', encoding="utf-8")
    assert load_settings(config, environ={}).zone == ZoneInfo("Asia/Shanghai")
    settings = load_settings(config, environ={"ARENA_TIMEZONE": "Europe/London"})
    assert settings.zone.key == "Europe/London"
    with pytest.raises(ConfigError, match="timezone"):
        load_settings(config, environ={"ARENA_TIMEZONE": "Beijing"})


async def test_workbook_cells_formats_and_layout(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    created = await _scored_round(client, organiser_token, new_campaign())
    after = dt.datetime.now(dt.UTC)
    r = await client.get(
        f"/api/v1/rounds/{created['id']}/export.xlsx", headers=bearer(organiser_token)
    )
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))

    ranking = book["排名"]
    header = [c.value for c in ranking[1]]
    assert header[:9] == ["名次", "村编码", "试点村", "乡镇", "共性目标", "示范目标",
                          "满意度测评", "扣分", "总分"]  # fmt: skip
    # C: shared (18+17+16+19)/4 = 17.50, demonstration (9+9.5+8.5)/3 = 9.00,
    # satisfaction 30 × (10×1 + 5×0.8 + 1×0)/16 = 30 × 14/16 = 26.25, total 52.75
    assert [c.value for c in ranking[2]][:9] == [1, "C", "C村", "东港镇", 17.5, 9, 26.25, 0, 52.75]
    assert [c.number_format for c in ranking[2]][4:9] == ["0.00"] * 5
    assert ranking.freeze_panes == "A2"
    assert ranking.auto_filter.ref == "A1:M4"  # 13 columns, header + 3 villages
    assert ranking["C1"].font.b is True
    assert ranking.column_dimensions["C"].width >= 8  # "试点村": 3 CJK characters = 6, + 2

    shared = book["共性目标评分"]
    assert [c.value for c in shared[1]][:6] == [
        "试点村", "评委", "评委姓名", "组织建设（10分）", "集体经济（10分）", "合计"
    ]  # fmt: skip
    a_rows = [[c for c in row] for row in shared.iter_rows(min_row=2) if row[0].value == "A村"]
    # A, judge 2: 组织建设 9, 集体经济 8, 合计 17 — numbers, each in its own column, shown 0.00
    assert [c.value for c in a_rows[1][:6]] == ["A村", "评委2", "评委2号", 9, 8, 17]
    assert [c.number_format for c in a_rows[1][3:6]] == ["0.00"] * 3
    assert a_rows[1][8].value == 16  # 卷面得分 (15+17+16)/3 = 16.00
    assert shared.freeze_panes == "A2" and shared.auto_filter.ref == "A1:K15"
    # 3 + 2 items + 6 columns = K; header + 5 + 5 + 4 sheets = 15 rows

    demo = book["示范目标评分"]
    assert [c.value for c in demo[1]] == [
        "试点村", "评委", "评委姓名", "目标1", "合计", "是否计入", "说明", "卷面得分",
        "计算方法", "录入方式", "目标1名称",
    ]  # fmt: skip
    a_demo = [row for row in demo.iter_rows(min_row=2, values_only=True) if row[0] == "A村"]
    # A demonstration: 8, 8.5, 9, 7, 8 -> drop 7 and 9 -> (8+8.5+8)/3 = 8.1666… -> 8.17
    assert [(row[1], row[3], row[7], row[10]) for row in a_demo] == [
        ("评委1", 8, 8.17, "示范项目（10分）"),
        ("评委2", 8.5, 8.17, "示范项目（10分）"),
        ("评委3", 9, 8.17, "示范项目（10分）"),
        ("评委4", 7, 8.17, "示范项目（10分）"),
        ("评委5", 8, 8.17, "示范项目（10分）"),
    ]

    survey = book["满意度测评"]
    row = {c.value: c for c in survey[1]}
    columns = list(row)
    c_row = next(r for r in survey.iter_rows(min_row=2) if r[0].value == "C村")
    mean = c_row[columns.index("平均分值")]
    # C: (10×1 + 5×0.8 + 1×0)/16 = 14/16 = 0.875 exactly
    assert (mean.value, mean.number_format) == (0.875, "0.0000")
    a_row = next(r for r in survey.iter_rows(min_row=2) if r[0].value == "A村")
    # A: (20 + 6.4 + 1.2)/30 = 27.6/30 = 0.92
    assert a_row[columns.index("平均分值")].value == 0.92

    deductions = book["扣分项"]
    first = [c for c in deductions[2]]
    assert [c.value for c in first[:4]] == ["B村", "形式主义", 3, "材料重复报送第1次"]
    assert first[2].number_format == "0.00"
    recorded = first[6]
    assert recorded.number_format == "yyyy-mm-dd hh:mm:ss"
    # the time is Beijing wall-clock time: the UTC moment of the POST plus 8 hours
    eight = dt.timedelta(hours=8)
    assert isinstance(recorded.value, dt.datetime)
    naive = (before + eight).replace(tzinfo=None), (after + eight).replace(tzinfo=None)
    assert naive[0] <= recorded.value <= naive[1]
    assert deductions.freeze_panes == "A2" and deductions.auto_filter.ref == "A1:G3"
    assert "表中时间均为当地时间（Asia/Shanghai）。" in [
        r[0] for r in book["说明"].iter_rows(values_only=True)
    ]
