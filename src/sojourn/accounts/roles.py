"""Roles as Django groups, and what each may do.

Permissions here are the coarse "may this role use this feature"; whether a user may see a
particular official is a question of unit scope, answered by ``sojourn.accounts.scope``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

from sojourn.accounts.models import Role

# Feature permissions each role holds, as "app_label.codename".
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.REGISTRAR: [
        "registry.view_unit", "registry.view_official", "registry.add_official", "registry.change_official",
        "registry.view_relative", "registry.add_relative", "registry.change_relative",
        "registry.import_registry",
        "travel.view_trip", "travel.add_trip", "travel.change_trip",
    ],
    Role.APPROVER: ["registry.view_unit", "registry.view_official", "travel.view_trip", "travel.approve_trip"],
    Role.INSPECTOR: [
        "registry.view_unit", "registry.view_official", "registry.view_relative",
        "alerts.view_finding", "alerts.change_finding",
        "travel.view_trip", "travel.change_trip",
    ],
    Role.CHECKPOINT: [],
    Role.AUDITOR: ["audit.view_auditevent"],
    Role.ADMIN: [],
}

# Roles that read relatives' records (family data is the most sensitive part of the registry).
RELATIVE_READERS = frozenset({Role.REGISTRAR, Role.INSPECTOR, Role.ADMIN})
# Roles that read officials' records within their scope.
OFFICIAL_READERS = frozenset({Role.REGISTRAR, Role.APPROVER, Role.INSPECTOR, Role.ADMIN})


def ensure_roles(**_: Any) -> None:
    """Create the role groups and give them their permissions (idempotent; runs after migrate)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The roles a user holds; cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_sojourn_roles", None)
    if cached is None:
        names = set(Group.objects.filter(user__pk=user.pk).values_list("name", flat=True))
        if getattr(user, "is_superuser", False):
            names.add(Role.ADMIN)
        cached = frozenset(names & set(Role.values))
        setattr(user, "_sojourn_roles", cached)  # noqa: B010  (a per-request cache on the user object)
    return cached


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))
