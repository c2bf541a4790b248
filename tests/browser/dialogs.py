"""Handlers for the browser's confirm() dialogs in Playwright tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from playwright.async_api import Dialog


async def accept(dialog: Dialog) -> None:
    """Say yes."""
    await dialog.accept()


def noting(asked: list[str]) -> Callable[[Dialog], Awaitable[None]]:
    """A dialog handler that notes the question and says yes."""

    async def handle(dialog: Dialog) -> None:
        asked.append(dialog.message)
        await dialog.accept()

    return handle
