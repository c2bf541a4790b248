"""The organiser's survey: the live page, printing cards, voiding answers, closing a village;
and the participant's own survey result (counts and score, never an answer)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from arena.errors import UserError, forbidden, not_found
from arena.http.common import JSON, json_body, organiser_write, path_id, services
from arena.http.pages import refused_page, render
from arena.services.reveal import load_state
from arena.services.rounds import STATUS_NAMES
from arena.services.surveys.organiser import SurveyAdmin, survey_of

API = "/api/v1/rounds/{round_id}/survey"


def _admin(request: Request) -> SurveyAdmin:
    svc = services(request)
    return SurveyAdmin(svc.scores, svc.standings, svc.settings.public_url)


async def page(request: Request) -> Response:
    """GET /admin/rounds/{id}/survey: per village, answers in, distribution, curve, flags."""
    svc = services(request)
    try:
        await svc.auth.require(request, "organiser")
        meta = await svc.rounds.get(path_id(request))
        survey = survey_of(meta)
    except UserError as exc:
        return refused_page(request, exc)
    result = await svc.standings.result(meta.id)
    return render(
        request,
        "admin/survey.html",
        {
            "round": meta,
            "survey": survey,
            "status": result.status,
            "status_name": STATUS_NAMES[result.status],
            "entry_url": f"{svc.settings.public_url}/q",
        },
    )


async def live(request: Request) -> JSON:
    """GET /api/v1/rounds/{id}/survey (and the page's .json): the live view."""
    await services(request).auth.require(request, "organiser")
    answer = await _admin(request).live(path_id(request))
    return JSON(answer, headers={"Cache-Control": "no-store"})


async def cards(request: Request) -> Response:
    """POST …/survey/cards {"village", "count"}: new cards and their PDF (the only copy)."""
    principal = await services(request).auth.require(request, "organiser")
    pdf, info = await _admin(request).issue_cards(
        principal, path_id(request), await json_body(request)
    )
    c = info["cards"]
    name = f"survey-cards-{c['village']}-{c['first']:04d}-{c['last']:04d}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store",
            "X-Arena-Cards": f"{c['first']}-{c['last']}",
        },
    )


# POST …/survey/answers/{answer_id}/void {"reason", "idempotency_key"}.
void = organiser_write(lambda r: _admin(r).void, "answer_id")
# POST …/survey/villages/{code}/close {"idempotency_key"}.
close = organiser_write(lambda r: _admin(r).close, "code", numeric=False)


async def village_result(request: Request) -> JSON:
    """GET /api/v1/rounds/{id}/villages/{code}/survey: a village's own survey result.

    Counts per question and answer, cards answered, the satisfaction score; never an answer of
    one card. From a reveal's freeze until the village is announced, participants get 403.
    """
    svc = services(request)
    round_id = path_id(request)
    code = request.path_params["code"]
    principal = await svc.auth.require(request, "organiser", "participant")
    meta = await svc.rounds.get(round_id)
    if code not in meta.villages:
        raise not_found("该村", "code")
    if principal.role == "participant":
        if principal.round_id != round_id or principal.village_id != meta.villages[code].id:
            raise forbidden("只能查看本村的测评结果")
        if (await load_state(round_id)).frozen:
            raise forbidden("成绩揭晓前不显示测评结果", "frozen")
    view = await _admin(request).live(round_id)
    mine = next(v for v in view["villages"] if v["code"] == code)
    keep = (
        "code", "name", "sample_size", "answers", "closed", "questions", "score",
        "provisional", "insufficient", "paper_counts", "survey_counts",
    )  # fmt: skip
    return JSON({"round": view["round"], **{k: mine[k] for k in keep}})


routes = [
    Route("/admin/rounds/{round_id}/survey", page, methods=["GET"]),
    Route("/admin/rounds/{round_id}/survey.json", live, methods=["GET"]),
    Route(API, live, methods=["GET"]),
    Route(f"{API}/cards", cards, methods=["POST"]),
    Route(f"{API}/answers/{{answer_id}}/void", void, methods=["POST"]),
    Route(f"{API}/villages/{{code}}/close", close, methods=["POST"]),
    Route("/api/v1/rounds/{round_id}/villages/{code}/survey", village_result, methods=["GET"]),
]
