"""Run as a script: one Arena server process on ARENA_PORT with the settings of the environment
(the kill -9 and cross-process tests start it; no TLS, plain uvicorn)."""

from __future__ import annotations

import uvicorn

from arena.app import create_app
from arena.settings import load_settings


def main() -> None:
    settings = load_settings()
    uvicorn.run(
        create_app(settings),
        host="127.0.0.1",
        port=settings.port,
        log_level="warning",
        ws_max_size=settings.live.max_message_bytes,
    )


if __name__ == "__main__":
    main()
