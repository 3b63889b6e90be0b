"""Scoped reads of the families-abroad report: relatives of the officials in the viewer's units."""

from __future__ import annotations

from django.db.models import QuerySet

from sojourn.accounts.scope import User, unit_scope
from sojourn.registry.models import Relative
from sojourn.reports.selectors import REPORT_READERS


def visible_family(user: User) -> QuerySet[Relative]:
    """Relatives of officials in the user's unit scope, for counting (report readers) and, for the roles
    that read relatives, listing; none for roles that read no official."""
    scope = unit_scope(user, roles=REPORT_READERS)
    if scope.nothing:
        return Relative.objects.none()
    return Relative.objects.filter(scope.unit_filter("official__unit"))
