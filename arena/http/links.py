"""Personal links: the secret in the URL is exchanged for an HttpOnly session cookie, then the
browser is sent on to a clean URL without the secret."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from arena.auth import open_session
from arena.http.common import services
from arena.http.pages import render

LANDING = {"judge": "/judge", "participant": "/village", "screen": "/screen", "organiser": "/admin"}


def landing(role: str, round_id: int | None, contest_id: int | None) -> str:
    """Where a personal link leads after the exchange (no secret in it)."""
    if contest_id is not None:
        return {
            "judge": "/judge",
            "participant": f"/contest/mine?contest={contest_id}",
            "screen": f"/screen/contest?contest={contest_id}",
        }.get(role, LANDING[role])
    if role in ("participant", "screen") and round_id is not None:
        return f"{LANDING[role]}?round={round_id}"
    return LANDING[role]


def exchange(role: str):  # type: ignore[no-untyped-def]
    async def endpoint(request: Request) -> Response:
        svc = services(request)
        opened = await open_session(request.path_params["secret"], role)
        if opened is None:
            return render(request, "link_invalid.html", {}, status_code=404)
        session_secret, token = opened
        target = landing(role, token.round_id, token.contest_id)  # type: ignore[attr-defined]
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            svc.settings.auth.cookie_name,
            session_secret,
            httponly=True,
            samesite="lax",
            max_age=60 * 60 * 24 * 120,
            path="/",
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return endpoint


routes = [
    Route("/j/{secret}", exchange("judge")),
    Route("/v/{secret}", exchange("participant")),
    Route("/s/{secret}", exchange("screen")),
    Route("/o/{secret}", exchange("organiser")),
]
