"""Helpers the judges' HTTP and browser tests share: personal links opened as a judge."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from tests.conftest import Server

TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}


def judge_link(created: dict[str, Any], code: str) -> str:
    """The personal link of a judge of a created round."""
    return next(str(j["url"]) for j in created["judges"] if j["code"] == code)


@asynccontextmanager
async def judge_client(
    server: Server, created: dict[str, Any], code: str
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client holding the session cookie a judge's personal link sets."""
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
        response = await client.get(judge_link(created, code).removeprefix(server.url))
        assert response.status_code == 303
        assert response.headers["location"] == "/judge"
        yield client


def sheet_body(
    village: str, paper: str, items: dict[str, float], key: str, comment: str = ""
) -> dict[str, Any]:
    """A sheet as POST /api/v1/rounds/{id}/sheets takes it."""
    return {
        "village": village,
        "paper": paper,
        "items": items,
        "comment": comment,
        "idempotency_key": key,
    }
