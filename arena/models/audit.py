"""The hash-chained audit log and the idempotency records of score-changing writes."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from arena.models.auth import Token


class AuditEvent(Model):
    """One score-changing event: its hash covers its canonical JSON, incl. the previous hash."""

    id = fields.IntField(primary_key=True)
    at = fields.CharField(max_length=40)  # ISO 8601 UTC, stored as text so the hash is stable
    actor = fields.CharField(max_length=100)
    action = fields.CharField(max_length=40)
    subject = fields.CharField(max_length=100)  # e.g. "round:3"
    payload: dict = fields.JSONField()  # type: ignore[assignment]
    prev_hash = fields.CharField(max_length=64)
    entry_hash = fields.CharField(max_length=64, unique=True)


class AuditHead(Model):
    """The single row that serialises appends to the chain (locked FOR UPDATE on PostgreSQL)."""

    id = fields.IntField(primary_key=True)
    last_id = fields.IntField(default=0)
    last_hash = fields.CharField(max_length=64)


class IdempotencyRecord(Model):
    """The first answer to a write, kept so a retried write returns it and stores nothing new."""

    id = fields.IntField(primary_key=True)
    token: fields.ForeignKeyRelation[Token] = fields.ForeignKeyField(
        "models.Token", related_name="idempotency", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=128)
    request_hash = fields.CharField(max_length=64)
    status = fields.IntField()
    response: dict = fields.JSONField()  # type: ignore[assignment]
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        unique_together = (("token", "key"),)
