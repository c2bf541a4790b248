"""Residents' satisfaction survey: one-time cards, the answers they carry, closures, bad codes.

No row holds a name, a phone number or a client address: secrets are stored as SHA-256 digests,
addresses and devices only as keyed HMAC digests (arena/services/surveys/secrets.py).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from arena.models.rounds import Round, Village


class SurveyCard(Model):
    """A printed card (one per household): a QR-link secret and a typed code, used once."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="survey_cards", on_delete=fields.CASCADE
    )
    village: fields.ForeignKeyRelation[Village] = fields.ForeignKeyField(
        "models.Village", related_name="survey_cards", on_delete=fields.CASCADE
    )
    number = fields.IntField()  # printed on the card: 1, 2, … per village
    batch = fields.IntField()  # one print run (one PDF)
    qr_hash = fields.CharField(max_length=64, unique=True)  # SHA-256 of the /q/<secret> secret
    code_hash = fields.CharField(max_length=64, unique=True)  # SHA-256 of the typed code
    created_at = fields.DatetimeField(auto_now_add=True)
    used_at = fields.DatetimeField(null=True)

    class Meta:
        unique_together = (("village", "number"),)


class SurveyAnswer(Model):
    """One card's answers: the label chosen for each question, and the optional free text."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="survey_answers", on_delete=fields.CASCADE
    )
    village: fields.ForeignKeyRelation[Village] = fields.ForeignKeyField(
        "models.Village", related_name="survey_answers", on_delete=fields.CASCADE
    )
    card: fields.OneToOneRelation[SurveyCard] = fields.OneToOneField(
        "models.SurveyCard", related_name="answer", on_delete=fields.CASCADE
    )
    answers: dict = fields.JSONField()  # type: ignore[assignment]  # question code -> label
    free_text = fields.TextField(default="")
    key = fields.CharField(max_length=64)  # the form's one-time nonce: a replay is recognised
    via = fields.CharField(max_length=8)  # "qr" or "code"
    addr_hash = fields.CharField(max_length=32, default="")  # HMAC(server key, client address)
    device_hash = fields.CharField(max_length=32, default="")  # HMAC(server key, device cookie)
    created_at = fields.DatetimeField(auto_now_add=True)
    # 作废: an organiser voided the answer (kept, no longer counted), with the reason.
    voided_at = fields.DatetimeField(null=True)
    voided_by = fields.CharField(max_length=100, default="")
    void_reason = fields.TextField(default="")

    class Meta:
        indexes = (("round_id", "village_id"),)


class SurveyClosure(Model):
    """A village's survey closed by the organiser: its satisfaction score is final."""

    id = fields.IntField(primary_key=True)
    village: fields.OneToOneRelation[Village] = fields.OneToOneField(
        "models.Village", related_name="survey_closure", on_delete=fields.CASCADE
    )
    closed_by = fields.CharField(max_length=100)
    closed_at = fields.DatetimeField(auto_now_add=True)


class SurveyGuess(Model):
    """A typed code that matched no card: the rate limit counts these per address digest."""

    id = fields.IntField(primary_key=True)
    addr_hash = fields.CharField(max_length=32)
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        indexes = (("addr_hash", "at"),)
