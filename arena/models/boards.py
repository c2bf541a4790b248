"""Index boards (强村富民指数榜): villages, indicators, values, follow-ups and flags."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

FOLLOW_UP_STATUSES = ("待跟进", "跟进中", "已完成")


class Board(Model):
    """One index board: a county or city ranked for one year or quarter."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    scope_level = fields.CharField(max_length=16)  # county or city
    scope_name = fields.CharField(max_length=100)
    period_kind = fields.CharField(max_length=16)  # year or quarter
    period_label = fields.CharField(max_length=16)  # 2025 or 2025Q3
    # The definition as accepted, without its villages (they are rows of BoardVillage).
    definition: fields.JSONField[dict[str, Any]] = fields.JSONField()
    # Bumped in the transaction of every import: computed boards are cached on it.
    revision = fields.IntField(default=0)
    # A board with imported values is archived rather than deleted: hidden from lists, kept whole.
    archived = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        unique_together = (("scope_level", "scope_name", "period_kind", "period_label"),)


class BoardIndicator(Model):
    """One indicator of a board, in the order of the definition."""

    id = fields.IntField(primary_key=True)
    board: fields.ForeignKeyRelation[Board] = fields.ForeignKeyField(
        "models.Board", related_name="indicators", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=200)
    unit = fields.CharField(max_length=20, default="")
    direction = fields.CharField(max_length=8)  # higher or lower
    weight = fields.FloatField()
    normalisation = fields.CharField(max_length=16, default="minmax")
    position = fields.IntField()

    class Meta:
        unique_together = (("board", "code"),)


class BoardVillage(Model):
    """A village of a board with the cadres its flags pay."""

    id = fields.IntField(primary_key=True)
    board: fields.ForeignKeyRelation[Board] = fields.ForeignKeyField(
        "models.Board", related_name="villages", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=100)
    township = fields.CharField(max_length=100)
    county = fields.CharField(max_length=100)
    cadres = fields.IntField(default=0)  # village cadres besides the party secretary
    position = fields.IntField()

    class Meta:
        unique_together = (("board", "code"),)
        indexes = (("name", "township"),)


class BoardImport(Model):
    """One accepted values file of a board (the latest one holds the values of the board)."""

    id = fields.IntField(primary_key=True)
    board: fields.ForeignKeyRelation[Board] = fields.ForeignKeyField(
        "models.Board", related_name="imports", on_delete=fields.CASCADE
    )
    revision = fields.IntField()
    filename = fields.CharField(max_length=200)
    sha256 = fields.CharField(max_length=64)
    rows = fields.IntField()
    actor = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        unique_together = (("board", "revision"),)


class BoardValueBlock(Model):
    """Up to 50,000 villages of one import: codes (one a line) and float64 values, row-major."""

    id = fields.IntField(primary_key=True)
    board_import: fields.ForeignKeyRelation[BoardImport] = fields.ForeignKeyField(
        "models.BoardImport", related_name="blocks", on_delete=fields.CASCADE
    )
    seq = fields.IntField()
    codes = fields.TextField()
    values = fields.BinaryField()

    class Meta:
        unique_together = (("board_import", "seq"),)


class FollowUp(Model):
    """The one-to-one follow-up (一对一跟进) of a village in the bottom 20 percent of a board."""

    id = fields.IntField(primary_key=True)
    village: fields.OneToOneRelation[BoardVillage] = fields.OneToOneField(
        "models.BoardVillage", related_name="follow_up", on_delete=fields.CASCADE
    )
    leader = fields.CharField(max_length=100, default="")
    measures = fields.TextField(default="")
    status = fields.CharField(max_length=8, default="待跟进")
    started_on = fields.DateField(null=True)
    due_on = fields.DateField(null=True)
    updated_by = fields.CharField(max_length=100, default="")
    updated_at = fields.DatetimeField(auto_now=True)


class BoardFlag(Model):
    """A red flag (红旗村 or 红旗乡镇) awarded by the rules of a board at one revision."""

    id = fields.IntField(primary_key=True)
    board: fields.ForeignKeyRelation[Board] = fields.ForeignKeyField(
        "models.Board", related_name="flags", on_delete=fields.CASCADE
    )
    revision = fields.IntField()
    scope = fields.CharField(max_length=16)  # village or township
    category = fields.CharField(max_length=16)
    recipient = fields.CharField(max_length=100)  # village code or township name
    indicator = fields.CharField(max_length=40)
    basis = fields.FloatField()
    position = fields.IntField()

    class Meta:
        indexes = (("board_id", "revision"),)
