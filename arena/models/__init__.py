"""Tortoise models. The schema is created and changed only by the migrations in arena/migrations."""

from arena.models.accounts import Account
from arena.models.audit import AuditEvent, AuditHead, IdempotencyRecord
from arena.models.auth import Session, Token
from arena.models.boards import (
    Board,
    BoardFlag,
    BoardImport,
    BoardIndicator,
    BoardValueBlock,
    BoardVillage,
    FollowUp,
)
from arena.models.contests import Contest, Contestant, ContestJudge, ContestScore
from arena.models.inspection import InspectionDraw
from arena.models.notices import Notice
from arena.models.rounds import (
    Campaign,
    Deduction,
    Judge,
    PaperItem,
    Recusal,
    Reveal,
    Round,
    Satisfaction,
    Sheet,
    Target,
    Village,
)
from arena.models.surveys import SurveyAnswer, SurveyCard, SurveyClosure, SurveyGuess

__all__ = [
    "Account",
    "AuditEvent",
    "AuditHead",
    "Board",
    "BoardFlag",
    "BoardImport",
    "BoardIndicator",
    "BoardValueBlock",
    "BoardVillage",
    "Campaign",
    "Contest",
    "ContestJudge",
    "ContestScore",
    "Contestant",
    "Deduction",
    "FollowUp",
    "IdempotencyRecord",
    "InspectionDraw",
    "Judge",
    "Notice",
    "PaperItem",
    "Recusal",
    "Reveal",
    "Round",
    "Satisfaction",
    "Session",
    "SurveyAnswer",
    "SurveyCard",
    "SurveyClosure",
    "SurveyGuess",
    "Sheet",
    "Target",
    "Token",
    "Village",
]
