"""Bearer tokens (personal links and integration tokens) and the browser sessions they open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from arena.models.contests import Contest
    from arena.models.rounds import Judge, Round, Village

ROLES = ("organiser", "judge", "screen", "participant", "resident")


class Token(Model):
    """A credential: only the SHA-256 of the secret is stored."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    role = fields.CharField(max_length=16)
    name = fields.CharField(max_length=100)
    round: fields.ForeignKeyNullableRelation[Round] = fields.ForeignKeyField(
        "models.Round", related_name="tokens", null=True, on_delete=fields.CASCADE
    )
    judge: fields.ForeignKeyNullableRelation[Judge] = fields.ForeignKeyField(
        "models.Judge", related_name="tokens", null=True, on_delete=fields.CASCADE
    )
    village: fields.ForeignKeyNullableRelation[Village] = fields.ForeignKeyField(
        "models.Village", related_name="tokens", null=True, on_delete=fields.CASCADE
    )
    contest: fields.ForeignKeyNullableRelation[Contest] = fields.ForeignKeyField(
        "models.Contest", related_name="tokens", null=True, on_delete=fields.CASCADE
    )
    # Within a contest: the judge's or contestant's code this token belongs to.
    subject = fields.CharField(max_length=40, default="", db_default="")
    # Personal links are derived from the server key and this generation; a new link bumps it.
    generation = fields.IntField(default=0)
    revoked = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)


class Session(Model):
    """A browser session opened by a personal link or a sign-in (HttpOnly cookie, hash stored).

    It ends `ttl_seconds` after its last use (`expires_at`, moved on at most once a minute), when
    an organiser ends it, or when its token holds too many newer sessions.
    """

    id = fields.IntField(primary_key=True)
    session_hash = fields.CharField(max_length=64, unique=True)
    token: fields.ForeignKeyRelation[Token] = fields.ForeignKeyField(
        "models.Token", related_name="sessions", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(null=True)
    # Null only on sessions opened before sessions expired: set on their first use.
    expires_at = fields.DatetimeField(null=True, db_index=True)
    ttl_seconds = fields.IntField(default=86400, db_default=86400)
    # The device, so an organiser can tell sessions apart: client address and browser.
    address = fields.CharField(max_length=64, default="", db_default="")
    agent = fields.CharField(max_length=200, default="", db_default="")
