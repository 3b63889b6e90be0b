"""Unit scope: which part of the unit tree a user may see.

The one predicate everything else rests on: registrars and approvers see their own unit and
the units below it; an inspector sees what the commission covers (the subtree of the
inspector's unit, or everything when no unit is set); admins see everything; auditors and
checkpoints see no personal record at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from sojourn.accounts.models import Profile, Role
from sojourn.accounts.roles import roles_of

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Scope:
    """``everything`` or the unit paths whose subtrees are visible; empty means nothing."""

    everything: bool
    paths: tuple[str, ...]

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.paths

    def covers(self, unit_path: str) -> bool:
        return self.everything or any(unit_path.startswith(p) for p in self.paths)


    def unit_filter(self, field: str) -> Q:
        """A filter on the unit foreign key ``field`` (e.g. ``unit``, ``holder__unit``) for this scope.

        Scoped rows are selected by ``field IN (ids of the units in the subtrees)``: the unit tree is
        small, and an indexed foreign-key lookup beats a prefix match on a joined path.
        """
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        from sojourn.registry.models import Unit

        units = Q()
        for path in self.paths:
            units |= Q(path__startswith=path)
        return Q(**{f"{field}_id__in": Unit.objects.filter(units).values("id")})


NOTHING = Scope(everything=False, paths=())
EVERYTHING = Scope(everything=True, paths=())

SCOPED_ROLES = frozenset({Role.REGISTRAR, Role.APPROVER, Role.INSPECTOR})


def unit_scope(user: User, *, roles: frozenset[str] | None = None) -> Scope:
    """The part of the unit tree whose personal records ``user`` may read, for the given roles."""
    held = roles_of(user)
    if roles is not None:
        held = held & roles
    if Role.ADMIN in held:
        return EVERYTHING
    if not held & SCOPED_ROLES:
        return NOTHING
    if user.pk is None:
        return NOTHING
    profile = Profile.objects.select_related("unit").filter(user_id=user.pk).first()
    if profile is None:
        return NOTHING
    if profile.unit is None:
        # Only a commission-level inspector may be without a unit; anyone else sees nothing.
        return EVERYTHING if Role.INSPECTOR in held else NOTHING
    return Scope(everything=False, paths=(profile.unit.path,))
