"""API authentication: browser sessions, or bearer tokens scoped to what they may call."""

from __future__ import annotations

from typing import Any

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
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, scope=self.scope, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        request.user = row.user
        return row.user


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
