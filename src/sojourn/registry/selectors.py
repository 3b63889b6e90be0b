"""Reads of the registry that need scope. Views, the API and exports read through these only."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sojourn.accounts.roles import OFFICIAL_READERS, RELATIVE_READERS
from sojourn.accounts.scope import User, unit_scope
from sojourn.registry.models import Official, Relative, Unit
from sojourn.registry.names import search_key


def visible_units(user: User) -> QuerySet[Unit]:
    """Units in the user's scope (own unit and below)."""
    scope = unit_scope(user, roles=OFFICIAL_READERS)
    if scope.everything:
        return Unit.objects.all()
    q = Q(pk__in=[])
    for path in scope.paths:
        q |= Q(path__startswith=path)
    return Unit.objects.filter(q)


def visible_officials(user: User) -> QuerySet[Official]:
    """Officials the user may read: those of units in the user's scope."""
    scope = unit_scope(user, roles=OFFICIAL_READERS)
    if scope.nothing:
        return Official.objects.none()
    return Official.objects.filter(scope.unit_filter("unit")).select_related("unit")


def visible_relatives(user: User) -> QuerySet[Relative]:
    """Relatives the user may read: only roles that need family data, within their scope."""
    scope = unit_scope(user, roles=RELATIVE_READERS)
    if scope.nothing:
        return Relative.objects.none()
    return Relative.objects.filter(scope.unit_filter("official__unit")).select_related(
        "official", "official__unit"
    )


def may_see_official(user: User, official: Official) -> bool:
    """The predicate "may this user see this official"."""
    return unit_scope(user, roles=OFFICIAL_READERS).covers(official.unit.path)


def may_see_relatives(user: User, official: Official) -> bool:
    return unit_scope(user, roles=RELATIVE_READERS).covers(official.unit.path)


def search_officials(
    qs: QuerySet[Official],
    *,
    text: str = "",
    unit_code: str = "",
    rank: str = "",
    status: str = "",
) -> QuerySet[Official]:
    """Filter a (scoped) queryset by name in characters or pinyin, unit subtree, rank and status."""
    text = text.strip()
    if text:
        key = search_key(text)
        q = Q(official_id=text) | Q(id_number=text.upper())
        if key:
            q |= Q(search_key__contains=key)
        qs = qs.filter(q)
    if unit_code:
        unit = Unit.objects.filter(code=unit_code).first()
        subtree = Unit.objects.filter(path__startswith=unit.path).values("id") if unit else []
        qs = qs.filter(unit_id__in=subtree)
    if rank:
        qs = qs.filter(rank=rank)
    if status:
        qs = qs.filter(status=status)
    return qs


def official_counts_by_unit(user: User) -> dict[int, int]:
    """Officials per unit (own unit only, not the subtree) for the units the user sees."""
    from django.db.models import Count

    rows = visible_officials(user).values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    return dict(rows)
