"""Reads of documents that need scope: by the holder's unit, like the officials themselves."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from sojourn.accounts.models import Role
from sojourn.accounts.roles import OFFICIAL_READERS
from sojourn.accounts.scope import User, unit_scope
from sojourn.custody.models import CustodyState, TravelDocument

DESK_ROLES = frozenset({Role.REGISTRAR, Role.ADMIN})


def visible_documents(user: User) -> QuerySet[TravelDocument]:
    scope = unit_scope(user, roles=OFFICIAL_READERS)
    if scope.nothing:
        return TravelDocument.objects.none()
    return TravelDocument.objects.select_related("holder", "holder__unit").filter(scope.unit_filter("holder__unit"))


def desk_documents(user: User) -> QuerySet[TravelDocument]:
    """Documents the user's desk may act on (registrars of the holder's unit or above)."""
    scope = unit_scope(user, roles=DESK_ROLES)
    if scope.nothing:
        return TravelDocument.objects.none()
    return visible_documents(user)


def filter_desk(qs: QuerySet[TravelDocument], *, state: str = "", status: str = "",
                overdue_on: date | None = None, text: str = "") -> QuerySet[TravelDocument]:
    if state:
        qs = qs.filter(custody=state)
    if status:
        qs = qs.filter(status=status)
    if overdue_on is not None:
        qs = qs.filter(custody=CustodyState.CHECKED_OUT, due_back__lt=overdue_on)
    if text:
        qs = qs.filter(Q(number__icontains=text.strip()) | Q(holder__official_id=text.strip())
                       | Q(holder__name_zh__contains=text.strip()))
    return qs


def lost_stolen_cancelled() -> QuerySet[TravelDocument]:
    """Every document reported lost or cancelled: the list screening and reconciliation check
    crossings and checkpoint documents against (``document.lost_or_stolen_used``). Not scoped:
    it is consulted by number, never browsed, and callers return verdicts, not holders."""
    from sojourn.custody.models import DocStatus

    return TravelDocument.objects.filter(status__in=[DocStatus.LOST, DocStatus.CANCELLED])
