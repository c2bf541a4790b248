"""Routes for judges on a field tour: the offline-first scoring app, its worker and its state."""

from __future__ import annotations

import hashlib
from functools import cache

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from arena.errors import UserError, forbidden
from arena.http.assets import STATIC
from arena.http.common import JSON, path_id, services
from arena.http.pages import TEMPLATES, render
from arena.services.judging import contest_judge_state, judge_state, round_status
from arena.services.tablets import contest_records, require_round_judge, round_records

SERVICE_WORKER = STATIC / "js" / "judge" / "sw.js"
VERSION_MARK = "__SHELL_VERSION__"


@cache
def shell_version() -> str:
    """A digest of every script, style sheet and template the offline shell is built from.

    The worker's cache is named after it, so a tablet that cached an older shell fetches the new
    one on its next start after an upgrade instead of running stale code.
    """
    digest = hashlib.sha256()
    files = [*STATIC.joinpath("js").rglob("*.js"), *STATIC.joinpath("css").rglob("*.css")]
    files += TEMPLATES.rglob("*.html")
    for path in sorted(files):
        digest.update(path.relative_to(STATIC.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def worker_script() -> str:
    """The service worker with its cache named after the shell's digest."""
    return SERVICE_WORKER.read_text(encoding="utf-8").replace(VERSION_MARK, shell_version())


async def judge_app(request: Request) -> HTMLResponse:
    # The shell carries no personal data, so the service worker may cache it for offline starts.
    return render(request, "judge/index.html", {})


async def service_worker(request: Request) -> Response:
    # Served under /judge/ so it may control /judge (the page a personal link lands on).
    return Response(
        worker_script(),
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/judge", "Cache-Control": "no-cache"},
    )


async def state(request: Request) -> JSON:
    svc = services(request)
    try:
        principal = await svc.auth.require(request, "judge")
        if principal.contest_id is not None:
            answer = await contest_judge_state(svc.contests, principal)
        else:
            flagged = await svc.consistency.suspects(principal.round_id or 0)
            answer = await judge_state(
                svc.rounds, principal, {(x.judge, x.village, x.paper) for x in flagged}
            )
    except UserError as exc:  # the app reads JSON errors here, whatever the Accept header says
        return JSON(exc.body(), status_code=exc.status, headers={"Cache-Control": "no-store"})
    return JSON(answer, headers={"Cache-Control": "no-store"})


async def my_sheets(request: Request) -> JSON:
    """What the server holds of this judge's sheets, for the tablet to compare its copies with."""
    svc = services(request)
    round_id = path_id(request)
    principal = await svc.auth.require(request, "judge")
    require_round_judge(principal.role, principal.round_id, round_id)
    meta = await svc.rounds.get(round_id)
    answer = await round_records(meta, principal.judge_id or 0, await round_status(round_id))
    return JSON(answer, headers={"Cache-Control": "no-store"})


async def my_scores(request: Request) -> JSON:
    """What the server holds of this contest judge's scores (the contest tablet's check)."""
    svc = services(request)
    contest_id = path_id(request, "contest_id")
    principal = await svc.auth.require(request, "judge")
    meta = await svc.contests.get(contest_id)
    judge_id = meta.judges.get(principal.subject)
    if principal.contest_id != contest_id or judge_id is None:
        raise forbidden("只有本场评委可以读取自己的评分")
    codes = {cid: code for code, cid in meta.contestants.items()}
    answer = await contest_records(contest_id, judge_id, codes)
    return JSON(answer, headers={"Cache-Control": "no-store"})


routes = [
    Route("/judge", judge_app),
    Route("/judge/sw.js", service_worker),
    Route("/judge/api/state", state),
    # API v1 reads of a judge's own records (before the /api/v1 mount in the routing table)
    Route("/api/v1/rounds/{round_id}/my-sheets", my_sheets, methods=["GET"]),
    Route("/api/v1/contests/{contest_id}/my-scores", my_scores, methods=["GET"]),
]
