"""The survey's pure parts: the paper score from both sources, flags, codes, settings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from arena.errors import UserError
from arena.rounds.definition import parse_definition
from arena.scoring.papers import DEFAULT_SCALE, SurveyTally, satisfaction_paper
from arena.surveys import secrets
from arena.surveys.flags import Answered, find_flags
from tests.conftest import example_definition

D = Decimal


def test_survey_and_paper_counts_add_up_by_hand() -> None:
    # Phones: 12 cards × 2 questions = 24 answers: 满意 15, 比较满意 5, 基本满意 3, 不满意 1.
    # Paper: 满意 10, 比较满意 6, 基本满意 2, 不满意 2 (20 questionnaires).
    # All answers: 满意 25, 比较满意 11, 基本满意 5, 不满意 3 = 44 answers.
    # Σ value × n = 25×1.0 + 11×0.8 + 5×0.6 + 3×0 = 25 + 8.8 + 3 = 36.8
    # score = 30 × 36.8 / 44 = 1104 / 44 = 25.0909… → 25.09
    # sample = 20 paper questionnaires + 12 cards = 32 ≥ 30: not 样本不足.
    survey = SurveyTally({"满意": 15, "比较满意": 5, "基本满意": 3, "不满意": 1}, 12, closed=False)
    paper = {"满意": 10, "比较满意": 6, "基本满意": 2, "不满意": 2}
    r = satisfaction_paper(paper, None, survey, DEFAULT_SCALE, D(30), 30)
    assert r.score == D("25.09")
    assert r.counts == {"满意": 25, "比较满意": 11, "基本满意": 5, "不满意": 3}
    assert r.responses == 32
    assert r.insufficient is False
    assert r.provisional is True  # the survey is still open
    assert r.paper_counts == paper
    assert r.survey_counts == {"满意": 15, "比较满意": 5, "基本满意": 3, "不满意": 1}
    assert r.survey_respondents == 12


def test_survey_alone_closed_and_insufficient() -> None:
    # 3 cards × 2 questions: 满意 4, 不满意 2 → Σ = 4.0 over 6 answers; 30 × 4 / 6 = 20.00.
    # sample = 3 cards < 30 → 样本不足; closed → final.
    survey = SurveyTally({"满意": 4, "不满意": 2}, 3, closed=True)
    r = satisfaction_paper(None, None, survey, DEFAULT_SCALE, D(30), 30)
    assert (r.score, r.responses, r.insufficient, r.provisional) == (D("20.00"), 3, True, False)
    assert r.source == "counts" and r.paper_counts is None


def test_no_answers_yet_is_missing_and_provisional() -> None:
    r = satisfaction_paper(None, None, SurveyTally({}, 0, closed=False), DEFAULT_SCALE, D(30), 30)
    assert r.missing and r.provisional
    closed = satisfaction_paper(None, None, SurveyTally({}, 0, True), DEFAULT_SCALE, D(30), 30)
    assert closed.missing and not closed.provisional


def test_a_rate_replaces_both_sources() -> None:
    # 30 × 92.5 / 100 = 27.75
    survey = SurveyTally({"不满意": 10}, 5, closed=False)
    r = satisfaction_paper({"满意": 3}, D("92.5"), survey, DEFAULT_SCALE, D(30), 30)
    assert (r.source, r.score) == ("rate", D("27.75"))


def test_codes_check_character_catches_typos() -> None:
    code = secrets.typed_code()
    assert len(code) == 9 and secrets.well_formed(code)
    assert secrets.normalise(secrets.pretty(code).lower()) == code
    for i in range(9):  # every single substitution is caught
        for c in secrets.ALPHABET:
            if c != code[i]:
                assert not secrets.well_formed(code[:i] + c + code[i + 1 :])
    for i in range(8):  # every swap of two different neighbours is caught
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert not secrets.well_formed(swapped)
    # the check of "22222222" ("2" is value 0): Σ (i+1)×0 = 0 → ALPHABET[0] = "2"
    assert secrets.check_char("22222222") == "2"
    # "32222222": 1×1 = 1 → "3"; "23222222": 2×1 = 2 → "4"
    assert secrets.check_char("32222222") == "3" and secrets.check_char("23222222") == "4"
    assert len(secrets.qr_secret()) == 24  # 18 bytes = 144 bits, URL-safe


T0 = dt.datetime(2025, 9, 16, 9, 0, tzinfo=dt.UTC)


def _a(i: int, seconds: int, addr: str = "", device: str = "", choices: str = "满意") -> Answered:
    return Answered(i, T0 + dt.timedelta(seconds=seconds), addr, device, (choices, choices))


def test_flags_burst_device_identical_run_and_guessing() -> None:
    answers = [
        # 5 answers from address A within 100 s (≥ 5 within 120 s): burst, all five flagged
        *(_a(i, i * 25, addr="A", choices="比较满意" if i % 2 else "满意") for i in range(5)),
        # 3 answers from one phone within 10 min: device flag
        _a(10, 1000, device="P"),
        _a(11, 1300, device="P", choices="基本满意"),
        _a(12, 1500, device="P", choices="不满意"),
        # 4 identical answers, 10 s apart, from different addresses: identical run
        *(_a(20 + i, 3000 + 10 * i, addr=f"X{i}", choices="不满意") for i in range(4)),
        # 4 answers from address B spread over 10 min: not a burst
        *(
            _a(30 + i, 5000 + 200 * i, addr="B", choices=("满意", "不满意")[i % 2])
            for i in range(4)
        ),
    ]
    now = T0 + dt.timedelta(hours=2)
    bad = [("G", now - dt.timedelta(minutes=m)) for m in range(5)] + [
        ("H", now - dt.timedelta(minutes=m))
        for m in range(4)  # 4 < 5: no flag
    ]
    flags = find_flags(answers, bad, now)
    kinds = sorted(p["kind"] for p in flags.patterns)  # type: ignore[type-var]
    assert kinds == ["burst", "device", "guessing", "identical"]
    assert sorted(flags.by_answer) == [0, 1, 2, 3, 4, 10, 11, 12, 20, 21, 22, 23]
    assert flags.by_answer[0] == ["同一地址 2 分钟内 5 份"]
    assert flags.by_answer[20] == ["连续 4 份答案完全相同、间隔不超过 30 秒"]


def _with_survey(survey: object) -> dict[str, object]:
    data = example_definition()
    data["papers"]["satisfaction"]["survey"] = survey  # type: ignore[index]
    return data


def test_settings_accepted_and_written_back() -> None:
    d = parse_definition(
        _with_survey(
            {
                "questions": [
                    {"code": "q1", "text": "村容村貌"},
                    {"code": "q2", "text": "办事效率", "scale": ["满意", "不满意"]},
                ],
                "free_text": "意见建议",
                "sample_size": 40,
                "opens_at": "2025-09-16T08:00:00",
                "closes_at": "2025-09-16T18:00:00+08:00",
            }
        )
    )
    assert d.survey is not None
    assert d.survey.questions[0].options == ("满意", "比较满意", "基本满意", "不满意")
    assert d.survey.questions[1].options == ("满意", "不满意")
    assert d.survey.opens_at == dt.datetime(2025, 9, 16, 0, 0, tzinfo=dt.UTC)  # 08:00 Beijing
    back = d.to_json()["papers"]["satisfaction"]["survey"]
    assert back["questions"][1] == {"code": "q2", "text": "办事效率", "scale": ["满意", "不满意"]}
    assert parse_definition(_with_survey(back)).survey == d.survey


def test_settings_every_problem_listed() -> None:
    with pytest.raises(UserError) as caught:
        parse_definition(
            _with_survey(
                {
                    "questions": [
                        {"code": "q1", "text": ""},
                        {"code": "q1", "text": "重复", "scale": ["满意", "很好"]},
                    ],
                    "sample_size": 0,
                    "opens_at": "明天",
                    "colour": "red",
                }
            )
        )
    fields = sorted(p.field for p in caught.value.problems)
    base = "papers.satisfaction.survey"
    assert fields == sorted(
        [
            f"{base}.colour",
            f"{base}.questions[0].text",
            f"{base}.questions[1].code",
            f"{base}.questions[1].scale",
            f"{base}.sample_size",
            f"{base}.opens_at",
        ]
    )


def test_settings_from_toml_with_offset_datetimes() -> None:
    import json
    import tomllib

    from tests.conftest import EXAMPLE

    text = EXAMPLE.read_text("utf-8").replace(
        "[papers.satisfaction]",
        "[papers.satisfaction.survey]\n"
        'questions = [{code = "q1", text = "村容村貌"}]\n'
        "sample_size = 25\n"
        "opens_at = 2025-09-16T08:00:00+08:00\n"
        "closes_at = 2025-09-16T18:00:00+08:00\n\n"
        "[papers.satisfaction]",
    )
    d = parse_definition(tomllib.loads(text))
    assert d.survey is not None and d.survey.sample_size == 25
    # 18:00 Beijing = 10:00 UTC
    assert d.survey.closes_at == dt.datetime(2025, 9, 16, 10, 0, tzinfo=dt.UTC)
    stored = json.loads(json.dumps(d.to_json()))  # what the round row keeps
    assert stored["papers"]["satisfaction"]["survey"]["opens_at"] == "2025-09-16T08:00:00+08:00"
