"""A round's survey answers as the scoring core takes them: per village, answers per label."""

from __future__ import annotations

from arena.models import SurveyAnswer, SurveyClosure
from arena.scoring.papers import SurveyTally
from arena.services.rounds import RoundMeta


async def survey_tallies(meta: RoundMeta) -> dict[int, SurveyTally]:
    """Village id -> its tally (every village of a round that runs a survey; voided not counted)."""
    if meta.definition.survey is None:
        return {}
    rows = await SurveyAnswer.filter(round_id=meta.id, voided_at__isnull=True).values_list(
        "village_id", "answers"
    )
    ids = [v.id for v in meta.villages.values()]
    closed = set(
        await SurveyClosure.filter(village_id__in=ids).values_list("village_id", flat=True)
    )
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    respondents: dict[int, int] = dict.fromkeys(ids, 0)
    for village_id, answers in rows:
        if village_id not in counts:
            continue
        respondents[village_id] += 1
        tally = counts[village_id]
        for label in answers.values():
            tally[label] = tally.get(label, 0) + 1
    return {i: SurveyTally(counts[i], respondents[i], i in closed) for i in ids}
