"""Users' place in the organization, and tokens for checkpoint devices."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("registrar")
    APPROVER = "approver", _("approver")
    INSPECTOR = "inspector", _("inspector")
    CHECKPOINT = "checkpoint", _("checkpoint")
    AUDITOR = "auditor", _("auditor")
    ADMIN = "admin", _("admin")


class Profile(models.Model):
    """The unit a user works for; the user's roles are the Django groups named after ``Role``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    unit = models.ForeignKey(
        "registry.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Registrars and approvers see this unit and the units below it; "
                    "an inspector's commission covers the same subtree (none: the whole registry)."),
    )

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit or '-'}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for a device (a checkpoint); only its hash is stored, and it can be revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=32, default="screening")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.scope})"

    @staticmethod
    def new_key() -> str:
        return "sjn_" + secrets.token_urlsafe(32)
