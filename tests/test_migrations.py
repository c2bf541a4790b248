"""The checked-in migrations describe the models exactly (nothing left for makemigrations)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import asyncio
from tortoise.cli.cli import tortoise_cli_context
from tortoise.migrations.autodetector import MigrationAutodetector
from arena.tortoise_conf import TORTOISE

async def main():
    apps = {label: dict(app) for label, app in TORTOISE["apps"].items()}
    async with tortoise_cli_context(TORTOISE) as ctx:
        writers = await MigrationAutodetector(ctx.apps, apps).changes()
    print(len(writers))
    for writer in writers:
        print(writer.name, [type(op).__name__ for op in writer.operations])

asyncio.run(main())
"""


def test_models_and_migrations_agree() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "0", done.stdout
