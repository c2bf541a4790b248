"""Definition workbooks and forms: a template to fill in Excel, read back into a definition dict.

A workbook is described by a ``WorkbookSpec`` (``spec.py``): sheets of fields (one row per field:
项目 | 填写 | 说明) and sheets of list items (a header row of Chinese column names, one item a
row). ``template`` writes the workbook to fill; ``read`` turns a filled one into the same dict a
TOML or JSON definition gives, remembering which cell each definition path came from, so the
definition parser's problems (``indicators[2].weight``) are told back as 工作表「指标」第 4 行
「权重」. ``from_form`` does the same for a browser form whose field names are the paths. The
spec's Chinese labels name the form's fields, the template's columns and the problem lists alike.
Nothing here touches the database.
"""

from arena.workbooks.forms import from_form
from arena.workbooks.reading import Reading, as_number, read
from arena.workbooks.spec import (
    Column,
    FieldsSheet,
    ListSheet,
    Sheet,
    SheetProblem,
    WorkbookSpec,
    index_of,
)
from arena.workbooks.template import template

__all__ = [
    "Column",
    "FieldsSheet",
    "ListSheet",
    "Reading",
    "Sheet",
    "SheetProblem",
    "WorkbookSpec",
    "as_number",
    "from_form",
    "index_of",
    "read",
    "template",
]
