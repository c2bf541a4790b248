"""What the database holds, counted table by table: a rejected request must change nothing."""

from __future__ import annotations

from tortoise import Tortoise

# Rows a refused request may add by design, never score-bearing: a session's last use, and a
# mistyped resident card code (counted so that guessing codes is rate limited).
VOLATILE = {"session", "surveyguess"}


async def row_counts() -> dict[str, int]:
    """{table: rows} for every table of the app's models (read through the test server's ORM)."""
    counts: dict[str, int] = {}
    for model in Tortoise.apps["models"].values():
        table = model._meta.db_table
        if table in VOLATILE:
            continue
        counts[table] = await model.all().count()
    return counts


async def audit_head() -> tuple[int, str]:
    """The chain's head: (last id, last hash)."""
    from arena.models import AuditHead

    head = await AuditHead.get(id=1)
    return head.last_id, head.last_hash
