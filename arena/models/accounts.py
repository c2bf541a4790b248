"""Organiser accounts: a name and an argon2 password hash; each owns an organiser token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from arena.models.auth import Token


class Account(Model):
    """An organiser who signs in with a name and a password (only the argon2id hash is stored).

    Signing in opens a Session on the account's own organiser Token, so everything that accepts an
    organiser accepts a signed-in account. Disabling the account revokes that token.
    """

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=40, unique=True)
    password_hash = fields.CharField(max_length=200)
    token: fields.OneToOneRelation[Token] = fields.OneToOneField(
        "models.Token", related_name="account", on_delete=fields.CASCADE
    )
    disabled = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    password_changed_at = fields.DatetimeField(null=True)
    last_login_at = fields.DatetimeField(null=True)
