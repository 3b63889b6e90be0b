"""API authentication: browser sessions, or bearer tokens scoped to what they may call."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from sojourn.accounts.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    """Accepts an unrevoked token whose scope is ``scope``; a checkpoint's screening token opens nothing else."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(hash_token(token), self.scope)
        if user is None:
            return None
        request.user = user
        return user


def token_user(key_hash: str, scope: str) -> User | None:
    """The active user of the unrevoked token with this hash and scope, or None (one query).

    The screening hot path calls this too, and caches the answer for a few seconds.
    """
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash, revoked_at__isnull=True, scope=scope, user__is_active=True)
        .first()
    )
    return None if row is None else row.user


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
