"""Reads of trip requests that need scope: by the official's unit, like the officials themselves.

Who may do what with a trip is also answered here, so pages, API and services ask one place:
registrars request and withdraw for officials of their units, approvers decide within theirs,
inspectors lift or confirm an automatic hold; admins may do all of it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sojourn.accounts.models import Role
from sojourn.accounts.roles import OFFICIAL_READERS
from sojourn.accounts.scope import User, unit_scope
from sojourn.registry.models import Official
from sojourn.travel.models import Trip, TripStatus

REQUESTERS = frozenset({Role.REGISTRAR, Role.ADMIN})
APPROVERS = frozenset({Role.APPROVER, Role.ADMIN})
HOLD_KEEPERS = frozenset({Role.INSPECTOR, Role.ADMIN})
QUEUE_STATUSES = (TripStatus.PENDING, TripStatus.ON_HOLD)


def _scoped(user: User, roles: frozenset[str]) -> QuerySet[Trip]:
    scope = unit_scope(user, roles=roles)
    if scope.nothing:
        return Trip.objects.none()
    return Trip.objects.select_related("official", "official__unit").filter(scope.unit_filter("official__unit"))


def visible_trips(user: User) -> QuerySet[Trip]:
    """Trips the user may read: those of officials the user may read."""
    return _scoped(user, OFFICIAL_READERS)


def requestable_officials(user: User) -> QuerySet[Official]:
    """Officials for whom the user may request (and withdraw) trips."""
    scope = unit_scope(user, roles=REQUESTERS)
    if scope.nothing:
        return Official.objects.none()
    return Official.objects.filter(scope.unit_filter("unit")).select_related("unit")


def requestable_trips(user: User) -> QuerySet[Trip]:
    return _scoped(user, REQUESTERS)


def decidable_trips(user: User) -> QuerySet[Trip]:
    """Trips the user may approve or reject."""
    return _scoped(user, APPROVERS)


def hold_trips(user: User) -> QuerySet[Trip]:
    """Trips whose hold the user may lift or confirm."""
    return _scoped(user, HOLD_KEEPERS)


def approval_queue(user: User) -> QuerySet[Trip]:
    """Undecided requests the user may decide, and holds the user keeps, oldest first.

    An approver sees pending requests and those on hold (which wait for an inspector first); an
    inspector sees the requests on hold.
    """
    qs = decidable_trips(user).filter(status__in=QUEUE_STATUSES) | hold_trips(user).filter(status=TripStatus.ON_HOLD)
    return qs.order_by("submitted_at", "depart_date", "trip_id")


def filter_trips(qs: QuerySet[Trip], *, status: str = "", official: str = "") -> QuerySet[Trip]:
    if status:
        qs = qs.filter(status=status)
    if official:
        qs = qs.filter(official__official_id=official.strip())
    return qs
