"""Personal links: the secret in the URL is exchanged for an HttpOnly session cookie, then the
browser is sent on to a clean URL without the secret."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from arena.auth import link_token
from arena.http.accounts.device import device
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


# How a screen link may ask to be shown (kept through the exchange): the organiser prints one
# link per screen in the hall, e.g. `/s/…?layout=bottom20` for the second screen.
SCREEN_OPTIONS = ("layout", "page_seconds")


def display_options(request: Request, role: str, target: str) -> str:
    """The screen's display options from the link, to append to where it leads."""
    if role != "screen":
        return ""
    kept = [(k, request.query_params[k]) for k in SCREEN_OPTIONS if k in request.query_params]
    if not kept:
        return ""
    return ("&" if "?" in target else "?") + urlencode(kept)


def exchange(role: str):  # type: ignore[no-untyped-def]
    async def endpoint(request: Request) -> Response:
        svc = services(request)
        token = await link_token(request.path_params["secret"], role)
        if token is None:
            return render(request, "link_invalid.html", {}, status_code=404)
        session_secret = await svc.accounts.open_link_session(token.id, *device(request))
        target = landing(role, token.round_id, token.contest_id)  # type: ignore[attr-defined]
        target += display_options(request, role, target)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            svc.settings.auth.cookie_name,
            session_secret,
            httponly=True,
            secure=request.url.scheme == "https",
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
