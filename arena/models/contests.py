"""Secretary arena contests (擂台赛): contestants, judges, scores and the host's live state."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Contest(Model):
    """One contest with its definition and where the host has got to."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    date = fields.DateField()
    definition: dict = fields.JSONField()  # type: ignore[assignment]
    status = fields.CharField(max_length=16, default="setup")  # setup, running, finished
    seed = fields.CharField(max_length=64, null=True)
    # who gave the draw its seed: "host" (typed in, announced first) or "server" (chosen by Arena)
    seed_source = fields.CharField(max_length=8, default="", db_default="")
    order: list | None = fields.JSONField(null=True)  # type: ignore[assignment]
    current = fields.CharField(max_length=40, null=True)  # contestant code on stage
    phase = fields.CharField(max_length=16, default="idle")
    timer_started_at = fields.FloatField(null=True)  # Unix time while the timer runs
    revision = fields.IntField(default=0)
    # A contest with scores is archived rather than deleted: hidden from lists, kept whole.
    archived = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField(auto_now_add=True)


class Contestant(Model):
    """A township or village party secretary who presents (name, post, unit)."""

    id = fields.IntField(primary_key=True)
    contest: fields.ForeignKeyRelation[Contest] = fields.ForeignKeyField(
        "models.Contest", related_name="contestants", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=100)
    post = fields.CharField(max_length=100)
    unit = fields.CharField(max_length=200)
    position = fields.IntField()
    elapsed_seconds = fields.IntField(default=0)  # time used on stage, accumulated
    state = fields.CharField(max_length=16, default="waiting")

    class Meta:
        unique_together = (("contest", "code"),)


class ContestJudge(Model):
    """A judge (评委) of one contest."""

    id = fields.IntField(primary_key=True)
    contest: fields.ForeignKeyRelation[Contest] = fields.ForeignKeyField(
        "models.Contest", related_name="judges", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=100)
    position = fields.IntField()

    class Meta:
        unique_together = (("contest", "code"),)


class ContestScore(Model):
    """One judge's score sheet for one contestant (once only)."""

    id = fields.IntField(primary_key=True)
    contestant: fields.ForeignKeyRelation[Contestant] = fields.ForeignKeyField(
        "models.Contestant", related_name="scores", on_delete=fields.CASCADE
    )
    judge: fields.ForeignKeyRelation[ContestJudge] = fields.ForeignKeyField(
        "models.ContestJudge", related_name="scores", on_delete=fields.CASCADE
    )
    items: dict = fields.JSONField()  # type: ignore[assignment]
    total = fields.DecimalField(max_digits=8, decimal_places=2)
    submitted_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        unique_together = (("contestant", "judge"),)
