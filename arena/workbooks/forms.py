"""Browser forms whose field names are definition paths (``indicators[2].weight``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from arena.workbooks.reading import TRUE_WORDS, as_number, assign
from arena.workbooks.spec import FieldsSheet, WorkbookSpec

_PATH = re.compile(r"^([a-z_]+)(?:\[(\d{1,5})\])?(?:\.([a-z_0-9]+))?$")


def from_form(spec: WorkbookSpec, pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """A browser form whose field names are definition paths, as a definition dict.

    ``indicators[2].weight=30`` becomes ``{"indicators": [.., .., {"weight": 30}]}``; numbers
    are read as numbers (a value that is not one is kept as text, for the parser to refuse),
    check boxes as true/false, blank fields are left out so defaults apply, and list items keep
    the order of their positions.
    """
    kinds: dict[str, str] = {}
    lists: set[str] = set()
    for sheet in spec.sheets:
        if isinstance(sheet, FieldsSheet):
            kinds |= {c.key: c.kind for c in sheet.fields}
        else:
            lists.add(sheet.key)
            kinds |= {f"{sheet.key}[].{c.key}": c.kind for c in sheet.columns}
    data: dict[str, Any] = {}
    items: dict[str, dict[int, dict[str, Any]]] = {key: {} for key in lists}
    for name, raw in pairs:
        value = raw.strip()
        if not value:
            continue
        found = _PATH.match(name)
        if found is None:
            continue
        head, index, tail = found.groups()
        if index is not None and head in lists and tail:
            kind = kinds.get(f"{head}[].{tail}", "text")
            items[head].setdefault(int(index), {})[tail] = _form_value(kind, value)
        elif index is None and name in kinds:
            assign(data, name, _form_value(kinds[name], value))
        elif index is None and tail is None and head in lists:
            continue  # a list's own marker field
        else:
            assign(data, name, value)  # unknown: the parser names it
    for key in lists:
        data[key] = [items[key][i] for i in sorted(items[key])]
    return data


def _form_value(kind: str, value: str) -> Any:
    if kind in ("number", "integer"):
        number = as_number(value)
        return value if number is None else number
    if kind == "flag":
        return value in TRUE_WORDS or value == "on"
    return value
