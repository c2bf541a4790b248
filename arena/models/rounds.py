"""Field review rounds: campaign, round, papers' items, villages and targets, judges, scores."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

ROUND_STATUSES = ("open", "locked", "published")


class Campaign(Model):
    """A pilot campaign (试点行动): rounds of the same campaign are compared with each other."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)


class Round(Model):
    """One field review round (拉练) with its four-paper template."""

    id = fields.IntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="rounds", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=200)
    date = fields.DateField()
    status = fields.CharField(max_length=16, default="open")
    # The definition as accepted (normalised), returned by GET /api/v1/rounds/{id}.
    definition: dict = fields.JSONField()  # type: ignore[assignment]
    # Bumped in the same transaction as every score-changing write: caches key on it.
    revision = fields.IntField(default=0)
    # Bumped by every edit of the round's setup (names, judges, recusals): RoundMeta caches on it.
    setup = fields.IntField(default=0, db_default=0)
    # A round with scores is archived rather than deleted: hidden from lists, kept whole.
    archived = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        indexes = (("campaign_id", "date"),)


class PaperItem(Model):
    """A shared-target item (共性目标) or a deduction catalogue item (扣分项) of a round."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="items", on_delete=fields.CASCADE
    )
    paper = fields.CharField(max_length=16)  # "shared" | "deductions"
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=200)
    maximum = fields.DecimalField(max_digits=8, decimal_places=2)
    guide = fields.TextField(default="")
    position = fields.IntField()

    class Meta:
        unique_together = (("round", "paper", "code"),)


class Village(Model):
    """A pilot village (试点村) as visited in one round, in tour order (position)."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="villages", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=100)
    township = fields.CharField(max_length=100)
    county = fields.CharField(max_length=100)
    position = fields.IntField()

    class Meta:
        unique_together = (("round", "code"),)


class Target(Model):
    """One of a village's own demonstration targets (示范目标)."""

    id = fields.IntField(primary_key=True)
    village: fields.ForeignKeyRelation[Village] = fields.ForeignKeyField(
        "models.Village", related_name="targets", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=200)
    maximum = fields.DecimalField(max_digits=8, decimal_places=2)
    guide = fields.TextField(default="")
    position = fields.IntField()

    class Meta:
        unique_together = (("village", "code"),)


class Judge(Model):
    """A judge (评委) of one round."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="judges", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=100)
    unit = fields.CharField(max_length=100, default="", db_default="")  # 工作单位
    position = fields.IntField()

    class Meta:
        unique_together = (("round", "code"),)


class Recusal(Model):
    """A judge stays out of scoring a village (回避)."""

    id = fields.IntField(primary_key=True)
    judge: fields.ForeignKeyRelation[Judge] = fields.ForeignKeyField(
        "models.Judge", related_name="recusals", on_delete=fields.CASCADE
    )
    village: fields.ForeignKeyRelation[Village] = fields.ForeignKeyField(
        "models.Village", related_name="recusals", on_delete=fields.CASCADE
    )

    class Meta:
        unique_together = (("judge", "village"),)


class Sheet(Model):
    """One judge score sheet for one village and paper, every submission adds a version."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="sheets", on_delete=fields.CASCADE
    )
    village: fields.ForeignKeyRelation[Village] = fields.ForeignKeyField(
        "models.Village", related_name="sheets", on_delete=fields.CASCADE
    )
    judge: fields.ForeignKeyRelation[Judge] = fields.ForeignKeyField(
        "models.Judge", related_name="sheets", on_delete=fields.CASCADE
    )
    paper = fields.CharField(max_length=16)  # "shared" | "demonstration"
    version = fields.IntField()
    current = fields.BooleanField(default=True)
    # item code -> points as a decimal string ("8.5"): exact, and read back in one row.
    items: dict = fields.JSONField()  # type: ignore[assignment]
    total = fields.DecimalField(max_digits=8, decimal_places=2)
    comment = fields.TextField(default="")
    submitted_at = fields.DatetimeField(auto_now_add=True)
    # 代录: the organiser who typed this paper sheet on the judge's behalf ("" = the judge).
    proxy_by = fields.CharField(max_length=100, default="", db_default="")
    proxy_reason = fields.TextField(default="", db_default="")
    # 作废: an organiser voided this sheet (it stops counting; the judge enters it again).
    voided_at = fields.DatetimeField(null=True)
    voided_by = fields.CharField(max_length=100, default="", db_default="")
    void_reason = fields.TextField(default="", db_default="")

    class Meta:
        unique_together = (("village", "judge", "paper", "version"),)
        indexes = (("round_id", "current"),)


class Deduction(Model):
    """A deduction (扣分) recorded against a village, with its reason and who recorded it."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="deductions", on_delete=fields.CASCADE
    )
    village: fields.ForeignKeyRelation[Village] = fields.ForeignKeyField(
        "models.Village", related_name="deductions", on_delete=fields.CASCADE
    )
    item = fields.CharField(max_length=40)
    points = fields.DecimalField(max_digits=8, decimal_places=2)
    reason = fields.TextField()
    evidence = fields.TextField(default="", db_default="")  # 佐证: what the deduction rests on
    recorded_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    # 撤销: withdrawn deductions are kept (who, why, when) and no longer count.
    withdrawn_at = fields.DatetimeField(null=True)
    withdrawn_by = fields.CharField(max_length=100, default="", db_default="")
    withdraw_reason = fields.TextField(default="", db_default="")


class Satisfaction(Model):
    """A village's satisfaction survey result: answer counts, or an externally surveyed rate."""

    id = fields.IntField(primary_key=True)
    village: fields.OneToOneRelation[Village] = fields.OneToOneField(
        "models.Village", related_name="satisfaction", on_delete=fields.CASCADE
    )
    counts: dict | None = fields.JSONField(null=True)  # type: ignore[assignment]  # answer label -> number of answers
    rate = fields.DecimalField(max_digits=5, decimal_places=2, null=True)  # 0-100
    recorded_by = fields.CharField(max_length=100)
    updated_at = fields.DatetimeField(auto_now=True)
    # 撤销: a withdrawn figure is kept (who, why, when); the village is 未录入 again.
    withdrawn_at = fields.DatetimeField(null=True)
    withdrawn_by = fields.CharField(max_length=100, default="", db_default="")
    withdraw_reason = fields.TextField(default="", db_default="")


class Reveal(Model):
    """The public screens of a round during the results meeting: frozen, then revealed step by step.

    While frozen, public channels show `snapshot` (the standings at the moment of freezing) with
    only the last `revealed` places uncovered. The organiser's view always shows live figures.
    """

    id = fields.IntField(primary_key=True)
    round: fields.OneToOneRelation[Round] = fields.OneToOneField(
        "models.Round", related_name="reveal", on_delete=fields.CASCADE
    )
    frozen = fields.BooleanField(default=False)
    snapshot: dict | None = fields.JSONField(null=True)  # type: ignore[assignment]
    revealed = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)
