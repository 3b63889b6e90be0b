"""Reads for reports that need scope: each viewer counts and lists only journeys of officials in their units."""

from __future__ import annotations

from django.db.models import QuerySet

from sojourn.accounts.roles import OFFICIAL_READERS
from sojourn.accounts.scope import User, unit_scope
from sojourn.crossings.models import Journey

# Who reads the travel statistics: those who read officials' records (not auditors, not checkpoints).
REPORT_READERS = OFFICIAL_READERS


def visible_journeys(user: User) -> QuerySet[Journey]:
    """Journeys of officials in the user's unit scope; none for roles that read no official."""
    scope = unit_scope(user, roles=REPORT_READERS)
    if scope.nothing:
        return Journey.objects.none()
    return Journey.objects.filter(scope.unit_filter("official__unit"))


def all_journeys() -> QuerySet[Journey]:
    """Every journey: the command line runs with full scope, as the other commands do."""
    return Journey.objects.all()
