"""The results notice's heading and signature: what the organiser fills in for the office's file."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from arena.models.rounds import Round


class Notice(Model):
    """A round's results notice (通报) as an official document: organ, number, addressees, date."""

    id = fields.IntField(primary_key=True)
    round: fields.OneToOneRelation[Round] = fields.OneToOneField(
        "models.Round", related_name="notice", on_delete=fields.CASCADE
    )
    organ = fields.CharField(max_length=60)  # 发文机关, e.g. 中共滨海区委组织部
    number = fields.CharField(max_length=40)  # 发文字号, e.g. 滨组通〔2025〕12号
    addressees = fields.CharField(max_length=300)  # 主送机关, e.g. 各镇（街道）党（工）委
    signed_on = fields.DateField()  # 成文日期
    updated_by = fields.CharField(max_length=100)
    updated_at = fields.DatetimeField(auto_now=True)
