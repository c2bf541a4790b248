"""Verifiable draws of what a round inspects (随机抽取): committed first, drawn once."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from arena.models.rounds import Round


class InspectionDraw(Model):
    """One commit–reveal draw of a round: villages, the visiting order, or items of a list.

    `commitment` = sha256(`secret`) is public from the moment of commitment; `secret` is shown
    only once the draw is made with the room's `public` value. A draw is made at most once.
    """

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="inspection_draws", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=20)  # villages | order | items
    title = fields.CharField(max_length=100)
    k = fields.IntField(null=True)  # how many (per stratum when stratified); None: all, in order
    stratify = fields.BooleanField(default=False)
    items: list = fields.JSONField()  # type: ignore[assignment]
    strata: dict | None = fields.JSONField(null=True)  # type: ignore[assignment]
    commitment = fields.CharField(max_length=64)
    secret = fields.CharField(max_length=200)
    public = fields.CharField(max_length=200, default="")
    seed = fields.CharField(max_length=64, default="")
    result: list | None = fields.JSONField(null=True)  # type: ignore[assignment]
    committed_by = fields.CharField(max_length=100)
    committed_at = fields.DatetimeField(auto_now_add=True)
    drawn_by = fields.CharField(max_length=100, default="")
    drawn_at = fields.DatetimeField(null=True)

    class Meta:
        table = "inspection_draw"
