"""What the round-setup tests share: JSON posts as an organiser, the form's embedded state."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from tests.conftest import bearer


async def post(
    client: httpx.AsyncClient, token: str, path: str, data: Any = None
) -> httpx.Response:
    """POST JSON to an organiser endpoint with a bearer token."""
    return await client.post(path, json=data if data is not None else {}, headers=bearer(token))


def form_state(page_html: str) -> dict[str, Any]:
    """The state the round form's script starts from (the JSON block in the page)."""
    match = re.search(
        r'<script type="application/json" id="form-state">(.*?)</script>', page_html, re.S
    )
    assert match, "the form page carries its state"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def fields(problems: list[dict[str, Any]]) -> set[str]:
    """The field paths a problem list names."""
    return {p["field"] for p in problems}
