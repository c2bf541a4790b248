"""Routes for judges on a field tour: the offline-first scoring app, its worker and its state."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse
from starlette.routing import Route

from arena.errors import UserError
from arena.http.common import JSON, services
from arena.http.pages import STATIC, render
from arena.services.judging import contest_judge_state, judge_state

SERVICE_WORKER = STATIC / "js" / "judge" / "sw.js"


async def judge_app(request: Request) -> HTMLResponse:
    # The shell carries no personal data, so the service worker may cache it for offline starts.
    return render(request, "judge/index.html", {})


async def service_worker(request: Request) -> FileResponse:
    # Served under /judge/ so it may control /judge (the page a personal link lands on).
    return FileResponse(
        SERVICE_WORKER,
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
            answer = await judge_state(svc.rounds, principal)
    except UserError as exc:  # the app reads JSON errors here, whatever the Accept header says
        return JSON(exc.body(), status_code=exc.status, headers={"Cache-Control": "no-store"})
    return JSON(answer, headers={"Cache-Control": "no-store"})


routes = [
    Route("/judge", judge_app),
    Route("/judge/sw.js", service_worker),
    Route("/judge/api/state", state),
]
