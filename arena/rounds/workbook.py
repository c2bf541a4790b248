"""A round definition as an Excel workbook: the template organisers fill, and reading it back.

Reading turns the workbook into the same definition dict the API and the form send and checks
it with the same rules (arena.rounds.definition); every problem is named by sheet, row and
column. Nothing is stored here: the caller creates the round only from a workbook without any.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from arena.errors import Problem, UserError
from arena.rounds.definition import DEFAULT_TIE_BREAKS, parse_definition
from arena.surveys import workbook_sheet as survey_sheet

INFO = "基本信息"
VILLAGES = "村庄路线"
JUDGES = "评委"
SHARED = "共性目标"
TARGETS = "示范目标"
DEDUCTIONS = "扣分项"
SCALE = "满意度答案"
RECUSALS = "回避"
GUIDE = "填写说明"

# 基本信息: one row per setting (label, definition path, kind, note).
INFO_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("所属行动", "campaign", "text", "同一行动的各轮互相比较（较上轮）"),
    ("评比名称", "name", "text", "如：2026年第一季度试点拉练"),
    ("日期", "date", "date", "拉练当天，格式 2026-03-18"),
    ("共性目标满分", "papers.shared.max", "number", "各共性目标满分之和须等于此数"),
    ("示范目标满分", "papers.demonstration.max", "number", "每个村的示范目标满分之和须等于此数"),
    ("满意度满分", "papers.satisfaction.max", "number", ""),
    ("满意度最少样本数", "papers.satisfaction.min_responses", "integer", "少于此数标“样本不足”"),
    ("扣分上限", "papers.deductions.cap", "number", "一个村最多扣这么多分"),
    ("计分方法", "aggregation.method", "method", "去掉最高最低分后平均 / 平均 / 中位数"),
    ("去掉最高最低分各几个", "aggregation.trim", "integer", "通常为 1"),
    ("去极值的最少评委数", "aggregation.min_judges_for_trim", "integer", "评委少于此数时取平均"),
    ("同分比较顺序", "tie_breaks", "ties", "如：共性目标高、满意度高、扣分少"),
)
METHODS = {"去掉最高最低分后平均": "trimmed", "平均": "mean", "中位数": "median"}
METHOD_LABELS = {v: k for k, v in METHODS.items()}
PAPERS = {
    "共性目标": "shared",
    "示范目标": "demonstration",
    "满意度": "satisfaction",
    "扣分": "deductions",
}
PAPER_LABELS = {v: k for k, v in PAPERS.items()}

# Table sheets: (sheet, [(header, key, kind)]).
COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    VILLAGES: (
        ("编码", "code", "text"),
        ("村名", "name", "text"),
        ("乡镇", "township", "text"),
        ("县（市、区）", "county", "text"),
    ),
    JUDGES: (("编码", "code", "text"), ("姓名", "name", "text"), ("单位", "unit", "text")),
    SHARED: (
        ("编码", "code", "text"),
        ("名称", "name", "text"),
        ("满分", "max", "number"),
        ("评分要点", "guide", "text"),
    ),
    TARGETS: (
        ("村编码", "village", "text"),
        ("目标编码", "code", "text"),
        ("目标名称", "name", "text"),
        ("满分", "max", "number"),
        ("评分要点", "guide", "text"),
    ),
    DEDUCTIONS: (
        ("编码", "code", "text"),
        ("名称", "name", "text"),
        ("单项最高扣分", "max", "number"),
        ("说明", "guide", "text"),
    ),
    SCALE: (("答案", "label", "text"), ("分值", "value", "number")),
    RECUSALS: (("评委（编码或姓名）", "judge", "text"), ("村（编码或村名）", "village", "text")),
}
REQUIRED = (INFO, VILLAGES, JUDGES, SHARED, TARGETS, DEDUCTIONS)
NOTES = {
    VILLAGES: "按拉练先后顺序，一行一个村。编码在各轮之间保持不变（用于与上轮比较）。",
    JUDGES: "一行一位评委。编码用于个人链接，建议 J01、J02……",
    SHARED: "所有村共用的评分项目。",
    TARGETS: "每个村自己的示范目标，村编码须在「村庄路线」中。",
    DEDUCTIONS: "扣分项目录；录入扣分时从中选择。",
    SCALE: "满意度问卷的每个答案折合的分值（0 到 1）。",
    RECUSALS: "一行一对：该评委不给该村打分。没有回避可留空。",
}

EXAMPLE: dict[str, Any] = {
    "name": "2026年第一季度试点拉练",
    "campaign": "党建引领乡村振兴试点三年行动",
    "date": "2026-03-18",
    "aggregation": {"method": "trimmed", "trim": 1, "min_judges_for_trim": 5},
    "tie_breaks": list(DEFAULT_TIE_BREAKS),
    "papers": {
        "shared": {
            "max": 40,
            "items": [
                {"code": "org", "name": "组织建设", "max": 10, "guide": "党组织战斗堡垒作用"},
                {"code": "eco", "name": "集体经济", "max": 10, "guide": "经营性收入及增幅"},
                {"code": "build", "name": "乡村建设", "max": 8, "guide": "人居环境整治"},
                {"code": "talent", "name": "人才培养", "max": 6},
                {"code": "gov", "name": "乡村治理", "max": 6},
            ],
        },
        "demonstration": {"max": 30},
        "satisfaction": {
            "max": 30,
            "min_responses": 30,
            "scale": {"满意": 1, "比较满意": 0.8, "基本满意": 0.6, "不满意": 0},
        },
        "deductions": {
            "cap": 10,
            "items": [
                {"code": "formalism", "name": "形式主义", "max": 5},
                {"code": "falsified", "name": "材料弄虚作假", "max": 10},
            ],
        },
    },
    "villages": [
        {
            "code": "V01",
            "name": "青山村",
            "township": "东港镇",
            "county": "滨海区",
            "targets": [
                {"code": "t1", "name": "四色发展线路", "max": 15},
                {"code": "t2", "name": "山水乡愁融入五大振兴", "max": 15},
            ],
        },
        {
            "code": "V02",
            "name": "港边村",
            "township": "东港镇",
            "county": "滨海区",
            "targets": [{"code": "t1", "name": "港边、路边、屋边美化", "max": 30}],
        },
    ],
    "judges": [
        {"code": "J01", "name": "王建国", "unit": "县委组织部"},
        {"code": "J02", "name": "李红梅", "unit": "县农业农村局", "recuse": ["V02"]},
        {"code": "J03", "name": "张伟", "unit": "东港镇"},
    ],
}

HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="9E0F15")


@dataclass(frozen=True)
class Cell:
    """Where a value was read: sheet, row (1-based) and column letter."""

    sheet: str
    row: int | None = None
    column: str | None = None

    def label(self) -> str:
        where = f"「{self.sheet}」"
        if self.row is not None:
            where += f"第 {self.row} 行"
        if self.column is not None:
            where += f" {self.column} 列"
        return where


def ties_label(keys: list[str]) -> str:
    """A tie-break list in words: 共性目标高、满意度高、扣分少."""
    out = []
    for key in keys:
        paper = key.removeprefix("-")
        low = key.startswith("-")
        out.append(
            PAPER_LABELS.get(paper, paper)
            + (("少" if paper == "deductions" else "低") if low else "高")
        )
    return "、".join(out)


def write(definition: dict[str, Any]) -> bytes:
    """A workbook holding this definition (the template when it is the example)."""
    d = definition
    papers = d.get("papers", {})
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = GUIDE
    lines = [
        "Arena 评比设置模板",
        "按各工作表的表头填写，第 1 行是表头，请勿修改；表中已有的内容是示例，请直接改写或删除。",
        "填好后在「新建评比」页面上传。整份文件没有任何问题才会建立评比，否则按工作表、行、列列出每个问题。",
        *(f"「{k}」：{v}" for k, v in NOTES.items()),
        survey_sheet.NOTE,
    ]
    for n, line in enumerate(lines, start=1):
        guide.cell(n, 1, line).font = Font(bold=n == 1, size=14 if n == 1 else 11)
    guide.column_dimensions["A"].width = 120

    info = wb.create_sheet(INFO)
    _header(info, ("项目", "内容", "说明"), (22, 40, 44))
    values = {
        "campaign": d.get("campaign", ""),
        "name": d.get("name", ""),
        "date": d.get("date", ""),
        "papers.shared.max": papers.get("shared", {}).get("max", 40),
        "papers.demonstration.max": papers.get("demonstration", {}).get("max", 30),
        "papers.satisfaction.max": papers.get("satisfaction", {}).get("max", 30),
        "papers.satisfaction.min_responses": papers.get("satisfaction", {}).get(
            "min_responses", 30
        ),
        "papers.deductions.cap": papers.get("deductions", {}).get("cap", 10),
        "aggregation.method": METHOD_LABELS.get(
            d.get("aggregation", {}).get("method", "trimmed"), ""
        ),
        "aggregation.trim": d.get("aggregation", {}).get("trim", 1),
        "aggregation.min_judges_for_trim": d.get("aggregation", {}).get("min_judges_for_trim", 5),
        "tie_breaks": ties_label(d.get("tie_breaks", list(DEFAULT_TIE_BREAKS))),
    }
    for n, (label, path, _, note) in enumerate(INFO_ROWS, start=2):
        info.cell(n, 1, label).font = Font(bold=True)
        value = values[path]
        info.cell(n, 2, value)
        if path == "date":
            info.cell(n, 2).number_format = "@"
        info.cell(n, 3, note)

    rows: dict[str, list[list[Any]]] = {
        VILLAGES: [[v.get(k, "") for _, k, _ in COLUMNS[VILLAGES]] for v in d.get("villages", [])],
        JUDGES: [[j.get(k, "") for _, k, _ in COLUMNS[JUDGES]] for j in d.get("judges", [])],
        SHARED: _item_rows(papers.get("shared", {}).get("items", [])),
        TARGETS: [
            [v.get("code", ""), *_item_rows([t])[0]]
            for v in d.get("villages", [])
            for t in v.get("targets", [])
        ],
        DEDUCTIONS: _item_rows(papers.get("deductions", {}).get("items", [])),
        SCALE: [
            [k, v]
            for k, v in (
                papers.get("satisfaction", {}).get("scale")
                or {"满意": 1, "比较满意": 0.8, "基本满意": 0.6, "不满意": 0}
            ).items()
        ],
        RECUSALS: [
            [j.get("code", ""), v] for j in d.get("judges", []) for v in j.get("recuse", [])
        ],
    }
    widths = {"code": 12, "village": 14, "judge": 20, "name": 24, "guide": 40}
    for sheet, columns in COLUMNS.items():
        ws = wb.create_sheet(sheet)
        _header(ws, [h for h, _, _ in columns], [widths.get(k, 16) for _, k, _ in columns])
        for values_row in rows[sheet]:
            ws.append(values_row)
    survey_sheet.write_sheet(wb, papers.get("satisfaction", {}).get("survey"))  # optional sheet
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template() -> bytes:
    """The template workbook: every sheet with its headers and a worked example."""
    return write(EXAMPLE)


def _item_rows(items: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [i.get("code", ""), i.get("name", ""), i.get("max", ""), i.get("guide", "")] for i in items
    ]


def _header(ws: Any, names: Any, widths: Any) -> None:
    for n, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
        cell = ws.cell(1, n, name)
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"


class _Reader:
    """Reads the workbook into a definition dict, remembering where each value came from."""

    def __init__(self) -> None:
        self.where: dict[str, Cell] = {}
        self.problems: list[tuple[Cell, str, str]] = []  # (cell, field, message)

    def fail(self, cell: Cell, message: str, field: str = "") -> None:
        self.problems.append((cell, field, message))

    def table(self, wb: Any, sheet: str) -> list[tuple[int, dict[str, Any], dict[str, str]]]:
        """The sheet's non-empty rows: (row number, values by key, column letter by key)."""
        if sheet not in wb.sheetnames:
            if sheet in REQUIRED:
                self.fail(Cell(sheet), "缺少此工作表（请使用下载的模板）")
            return []
        ws = wb[sheet]
        columns = COLUMNS[sheet]
        head = [_clean(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
        letters: dict[str, str] = {}
        index: dict[str, int] = {}
        for header, key, _ in columns:
            if header in head:
                index[key] = head.index(header)
                letters[key] = get_column_letter(index[key] + 1)
            else:
                self.fail(Cell(sheet, 1), f"缺少表头「{header}」")
        if len(index) < len(columns):
            return []
        out = []
        for n, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            values: dict[str, Any] = {}
            for _, key, kind in columns:
                raw = row[index[key]] if index[key] < len(row) else None
                values[key] = _value(raw, kind)
            if all(v in (None, "") for v in values.values()):
                continue
            out.append((n, values, letters))
        return out

    def put(self, path: str, cell: Cell) -> None:
        self.where[path] = cell

    def locate(self, field: str) -> Cell:
        """The cell a definition problem belongs to (the nearest recorded path above it)."""
        path = field
        while path:
            if path in self.where:
                return self.where[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        top = field.split(".")[0].split("[")[0]
        sheet = {
            "villages": VILLAGES,
            "judges": JUDGES,
        }.get(top, INFO)
        if field.startswith("papers.shared.items"):
            sheet = SHARED
        elif field.startswith("papers.deductions.items"):
            sheet = DEDUCTIONS
        elif field.startswith("papers.satisfaction.scale"):
            sheet = SCALE
        return Cell(sheet)


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _value(raw: Any, kind: str) -> Any:
    """A cell's value as the definition wants it (numbers typed as text are read as numbers)."""
    raw = _clean(raw)
    if raw is None:
        return ""
    if kind == "number" or kind == "integer":
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str) and re.fullmatch(r"-?\d+(\.\d+)?", raw):
            return int(raw) if "." not in raw else float(raw)
        return raw
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        if isinstance(raw, str):
            return raw.replace("/", "-").replace(".", "-")
        return raw
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw) if not isinstance(raw, str) else raw


def read(content: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The definition in a workbook and every problem (sheet, row, column, field, message)."""
    r = _Reader()
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # any unreadable upload is the user's to fix
        raise UserError(
            422, "invalid_workbook", "无法读取该文件：请上传用模板填写的 .xlsx 工作簿", "file"
        ) from None
    data: dict[str, Any] = {"papers": {}}
    _info(r, wb, data)
    papers = data["papers"]
    villages: list[dict[str, Any]] = []
    for n, row, col in r.table(wb, VILLAGES):
        path = f"villages[{len(villages)}]"
        r.put(path, Cell(VILLAGES, n, col["code"]))
        for _, key, _ in COLUMNS[VILLAGES]:
            r.put(f"{path}.{key}", Cell(VILLAGES, n, col[key]))
        villages.append({k: row[k] for _, k, _ in COLUMNS[VILLAGES]} | {"targets": []})
    data["villages"] = villages
    by_code = {v["code"]: (i, v) for i, v in enumerate(villages)}
    for n, row, col in r.table(wb, TARGETS):
        hit = by_code.get(row["village"])
        if hit is None:
            r.fail(
                Cell(TARGETS, n, col["village"]), f"村编码「{row['village']}」不在「村庄路线」中"
            )
            continue
        i, village = hit
        path = f"villages[{i}].targets"
        if path not in r.where:
            r.put(path, Cell(TARGETS, n, col["max"]))
        path += f"[{len(village['targets'])}]"
        for key in ("code", "name", "max", "guide"):
            r.put(f"{path}.{key}", Cell(TARGETS, n, col[key]))
        village["targets"].append(_item(row))
    for sheet, path, target in (
        (SHARED, "papers.shared.items", papers.setdefault("shared", {})),
        (DEDUCTIONS, "papers.deductions.items", papers.setdefault("deductions", {})),
    ):
        items: list[dict[str, Any]] = []
        for n, row, col in r.table(wb, sheet):
            here = f"{path}[{len(items)}]"
            for key in ("code", "name", "max", "guide"):
                r.put(f"{here}.{key}", Cell(sheet, n, col[key]))
            items.append(_item(row))
        if items:
            r.put(path, r.where[f"{path}[0].max"])
        target["items"] = items
    scale: dict[str, Any] = {}
    for n, row, col in r.table(wb, SCALE):
        label = str(row["label"])
        if not label:
            r.fail(Cell(SCALE, n, col["label"]), "答案不能为空")
            continue
        if label in scale:
            r.fail(Cell(SCALE, n, col["label"]), f"答案「{label}」重复")
        r.put(f"papers.satisfaction.scale.{label}", Cell(SCALE, n, col["value"]))
        scale[label] = row["value"]
    if scale:
        papers.setdefault("satisfaction", {})["scale"] = scale
    survey = survey_sheet.read_sheet(wb, r.fail, r.put, Cell)  # 群众测评 (optional sheet)
    if survey is not None:
        papers.setdefault("satisfaction", {})["survey"] = survey
    judges: list[dict[str, Any]] = []
    for n, row, col in r.table(wb, JUDGES):
        path = f"judges[{len(judges)}]"
        for _, key, _ in COLUMNS[JUDGES]:
            r.put(f"{path}.{key}", Cell(JUDGES, n, col[key]))
        judge = {k: row[k] for _, k, _ in COLUMNS[JUDGES]} | {"recuse": []}
        if not judge["unit"]:
            del judge["unit"]
        judges.append(judge)
    data["judges"] = judges
    _recusals(r, wb, judges, villages)
    problems = [(cell, field, message) for cell, field, message in r.problems]
    try:
        parse_definition(data)
    except UserError as exc:
        for p in exc.problems or [Problem(exc.field or "", exc.message)]:
            problems.append((r.locate(p.field), p.field, p.message))
    return data, [
        {
            "sheet": cell.sheet,
            "row": cell.row,
            "column": cell.column,
            "field": field,
            "message": f"{cell.label()}：{message}",
        }
        for cell, field, message in problems
    ]


def _item(row: dict[str, Any]) -> dict[str, Any]:
    item = {"code": row["code"], "name": row["name"], "max": row["max"]}
    if row["guide"]:
        item["guide"] = row["guide"]
    return item


def _info(r: _Reader, wb: Any, data: dict[str, Any]) -> None:
    if INFO not in wb.sheetnames:
        r.fail(Cell(INFO), "缺少此工作表（请使用下载的模板）")
        return
    ws = wb[INFO]
    found: dict[str, tuple[int, Any]] = {}
    for n, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if row and _clean(row[0]):
            found[str(_clean(row[0]))] = (n, row[1] if len(row) > 1 else None)
    for label, path, kind, _ in INFO_ROWS:
        if label not in found:
            r.fail(Cell(INFO), f"缺少「{label}」一行")
            continue
        n, raw = found[label]
        cell = Cell(INFO, n, "B")
        r.put(path, cell)
        value = _value(raw, kind)
        if kind == "method":
            value = METHODS.get(str(value), value)
            if value not in METHOD_LABELS:
                r.fail(cell, f"应为 {' / '.join(METHODS)} 之一", path)
                value = "trimmed"
        elif kind == "ties":
            value = _ties(r, cell, str(value))
        _set(data, path, value)


def _ties(r: _Reader, cell: Cell, text: str) -> list[str]:
    out = []
    for word in filter(None, re.split(r"[、，,；;\s]+", text)):
        low = word.endswith(("低", "少"))
        paper = PAPERS.get(word.rstrip("高低少"))
        if paper is None:
            r.fail(
                cell, f"「{word}」无法识别：应为 共性目标、示范目标、满意度、扣分 加“高”或“低/少”"
            )
            continue
        out.append(("-" if low else "") + paper)
    return out or list(DEFAULT_TIE_BREAKS)


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    for key in keys[:-1]:
        data = data.setdefault(key, {})
    data[keys[-1]] = value


def _recusals(
    r: _Reader, wb: Any, judges: list[dict[str, Any]], villages: list[dict[str, Any]]
) -> None:
    judge_of = {j["name"]: j for j in judges} | {j["code"]: j for j in judges}
    village_of = {v["name"]: v["code"] for v in villages} | {v["code"]: v["code"] for v in villages}
    for n, row, col in r.table(wb, RECUSALS):
        judge = judge_of.get(row["judge"])
        village = village_of.get(row["village"])
        if judge is None:
            r.fail(Cell(RECUSALS, n, col["judge"]), f"评委「{row['judge']}」不在「评委」表中")
        if village is None:
            r.fail(Cell(RECUSALS, n, col["village"]), f"村「{row['village']}」不在「村庄路线」中")
        if judge is not None and village is not None and village not in judge["recuse"]:
            judge["recuse"].append(village)
