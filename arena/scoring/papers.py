"""The satisfaction survey (满意度测评) and deductions (扣分项) papers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from arena.scoring.numbers import ZERO, divide, q2

DEFAULT_SCALE: dict[str, Decimal] = {
    "满意": Decimal("1.0"),
    "比较满意": Decimal("0.8"),
    "基本满意": Decimal("0.6"),
    "不满意": Decimal("0"),
}

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class SatisfactionResult:
    """A satisfaction paper score and where it came from."""

    score: Decimal
    source: Literal["counts", "rate", "none"]
    responses: int
    counts: dict[str, int]
    mean: Decimal | None
    rate: Decimal | None
    insufficient: bool
    # Where the counts came from (residents' survey: arena/surveys): both add up in `counts`.
    paper_counts: dict[str, int] | None = None  # entered by an organiser from paper forms
    survey_counts: dict[str, int] | None = None  # residents on their phones, all questions
    survey_respondents: int = 0  # cards answered (not voided)
    provisional: bool = False  # the survey is still open in this village: the score may move

    @property
    def missing(self) -> bool:
        """No figure entered yet (未录入): the score is a placeholder and the total provisional."""
        return self.source == "none"


MISSING_MARK = "未录入"


def satisfaction_from_counts(
    counts: Mapping[str, int],
    scale: Mapping[str, Decimal],
    maximum: Decimal,
    min_responses: int,
) -> SatisfactionResult:
    """Score = maximum × mean answer value; flagged 样本不足 below min_responses answers."""
    unknown = sorted(set(counts) - set(scale))
    if unknown:
        raise ValueError(f"answers {unknown} are not on the scale {list(scale)}")
    negative = sorted(answer for answer, n in counts.items() if n < 0)
    if negative:
        raise ValueError(f"negative counts for {negative}")
    ordered = {answer: counts.get(answer, 0) for answer in scale}
    responses = sum(ordered.values())
    if responses == 0:
        score, mean = ZERO, None
    else:
        weighted = sum((scale[answer] * n for answer, n in ordered.items()), Decimal(0))
        # Multiply before dividing: maximum × (weighted / N) could round a 0.005 the wrong way.
        score = q2(divide(maximum * weighted, responses))
        mean = divide(weighted, responses)
    return SatisfactionResult(
        score=score,
        source="counts",
        responses=responses,
        counts=ordered,
        mean=mean,
        rate=None,
        insufficient=responses == 0 or responses < min_responses,
    )


@dataclass(frozen=True)
class SurveyTally:
    """A village's residents' survey: answers per label over every question, cards answered."""

    counts: Mapping[str, int]
    respondents: int
    closed: bool


def satisfaction_paper(
    counts: Mapping[str, int] | None,
    rate: Decimal | None,
    survey: SurveyTally | None,
    scale: Mapping[str, Decimal],
    maximum: Decimal,
    min_responses: int,
) -> SatisfactionResult:
    """The satisfaction paper from every source: the ONE place the sources are combined.

    - An externally surveyed rate replaces everything else (as before).
    - Paper questionnaires entered as counts and the residents' answers on their phones add up:
      score = maximum × mean answer value over all answers of both (the existing rule). Each
      question a resident answers is one answer, as each counted paper answer is.
    - The sample checked against `min_responses` (样本不足) is the number of questionnaires:
      the paper counts' total plus the cards answered.
    - While the village's survey is open (not closed by the organiser) the result is provisional.
    """
    if rate is not None:
        return satisfaction_from_rate(rate, maximum)
    answered = survey is not None and survey.respondents > 0
    if counts is None and not answered:
        result = no_satisfaction()
        if survey is not None and not survey.closed:
            return replace(result, provisional=True)
        return result
    paper = {label: counts.get(label, 0) for label in scale} if counts is not None else None
    phones = (
        {label: survey.counts.get(label, 0) for label in scale}
        if survey is not None and answered
        else None
    )
    both = {label: (paper or {}).get(label, 0) + (phones or {}).get(label, 0) for label in scale}
    combined = satisfaction_from_counts(both, scale, maximum, min_responses)
    respondents = survey.respondents if survey is not None and answered else 0
    sample = sum((paper or {}).values()) + respondents
    return replace(
        combined,
        responses=sample,  # questionnaires (有效问卷), not answers: a card is one questionnaire
        insufficient=sample < min_responses,
        paper_counts=paper,
        survey_counts=phones,
        survey_respondents=respondents,
        provisional=survey is not None and not survey.closed,
    )


def satisfaction_from_rate(rate: Decimal, maximum: Decimal) -> SatisfactionResult:
    """Score = maximum × rate / 100 for an externally surveyed satisfaction rate (0–100)."""
    if not ZERO <= rate <= HUNDRED:
        raise ValueError(f"satisfaction rate must be between 0 and 100, got {rate}")
    return SatisfactionResult(
        score=q2(divide(maximum * rate, HUNDRED)),
        source="rate",
        responses=0,
        counts={},
        mean=divide(rate, HUNDRED),
        rate=rate,
        insufficient=False,
    )


def no_satisfaction() -> SatisfactionResult:
    """A village without any satisfaction figure yet: 未录入, not 样本不足.

    The score field holds 0 only so the provisional total can be summed; the village's result is
    provisional until a figure is entered, and every view shows 未录入 instead of a score.
    """
    return SatisfactionResult(
        score=ZERO,
        source="none",
        responses=0,
        counts={},
        mean=None,
        rate=None,
        insufficient=False,
    )


@dataclass(frozen=True)
class Deduction:
    """One recorded deduction: catalogue item, points and the reason given."""

    item: str
    points: Decimal
    reason: str


@dataclass(frozen=True)
class DeductionResult:
    """A village's deduction total, capped."""

    total: Decimal
    raw: Decimal
    capped: bool
    entries: tuple[Deduction, ...]


def deductions_total(entries: Sequence[Deduction], cap: Decimal) -> DeductionResult:
    """Sum the deductions and cap the sum at `cap`."""
    negative = [entry.item for entry in entries if entry.points < 0]
    if negative:
        raise ValueError(f"negative deduction points for {negative}")
    raw = sum((entry.points for entry in entries), ZERO)
    return DeductionResult(
        total=q2(min(raw, cap)),
        raw=raw,
        capped=raw > cap,
        entries=tuple(entries),
    )
