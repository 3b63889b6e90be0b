"""Writes to accounts: users with a role and a unit, and device tokens."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db import transaction

from sojourn.accounts.models import ApiToken, Profile, Role, hash_token
from sojourn.accounts.roles import ensure_roles
from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, record
from sojourn.registry.models import Unit


def create_user(*, username: str, password: str | None, role: str, unit_code: str | None,
                actor: Actor = None, is_staff: bool = False) -> User:
    """Create (or update) a user holding one role, attached to a unit; idempotent by user name."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(Role.values)}")
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    with transaction.atomic():
        if not Group.objects.filter(name=role).exists():
            ensure_roles()
        user, created = User.objects.get_or_create(username=username)
        if password is not None:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.is_staff = is_staff or role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        Profile.objects.update_or_create(user=user, defaults={"unit": unit})
        record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=user,
               detail={"role": role, "unit": unit_code})
    return user


def issue_token(*, user: User, name: str, scope: str, actor: Actor = None) -> str:
    """Create a token and return its only clear-text copy."""
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), scope=scope)
    record(actor=actor, action=AuditAction.CREATE, obj=token, detail={"scope": scope, "user": user.username})
    return raw
