"""Reads of findings that need scope."""

from __future__ import annotations

from django.db.models import QuerySet

from sojourn.accounts.models import Role
from sojourn.accounts.scope import User, unit_scope
from sojourn.alerts.models import Finding

# Findings are the inspectors' work; registrars see those of their own units.
FINDING_READERS = frozenset({Role.INSPECTOR, Role.REGISTRAR, Role.ADMIN})
FINDING_DECIDERS = frozenset({Role.INSPECTOR, Role.ADMIN})


def visible_findings(user: User) -> QuerySet[Finding]:
    scope = unit_scope(user, roles=FINDING_READERS)
    if scope.nothing:
        return Finding.objects.none()
    return Finding.objects.select_related("official", "unit").filter(scope.unit_filter("unit"))


def filter_findings(
    qs: QuerySet[Finding], *, code: str = "", severity: str = "", unit_code: str = "", status: str = "",
    official_id: str = "",
) -> QuerySet[Finding]:
    if code:
        qs = qs.filter(code=code)
    if severity:
        from sojourn.core.rules import Severity

        try:
            qs = qs.filter(severity=int(Severity.parse(severity)))
        except KeyError:
            qs = qs.none()
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if status:
        qs = qs.filter(status=status)
    if official_id:
        qs = qs.filter(subject_id=official_id)
    return qs
