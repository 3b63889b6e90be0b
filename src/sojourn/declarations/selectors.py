"""Reads of declarations, assets and verifications that need scope: by the official's unit.

Who may do what is answered here too, so pages, API and services ask one place: registrars
enter and submit declarations for officials of their units, inspectors verify and sign off
within what their commission covers; admins may do all of it. Every role that reads officials
reads their declarations; the items about relatives only the roles that read relatives
(``RELATIVE_READERS``) see.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sojourn.accounts.models import Role
from sojourn.accounts.roles import OFFICIAL_READERS, RELATIVE_READERS, has_role
from sojourn.accounts.scope import User, unit_scope
from sojourn.declarations.models import Asset, Declaration, DeclarationStatus, Verification
from sojourn.registry.models import Official

DECLARANTS = frozenset({Role.REGISTRAR, Role.ADMIN})
VERIFIERS = frozenset({Role.INSPECTOR, Role.ADMIN})
READERS = OFFICIAL_READERS


def _declarations(user: User, roles: frozenset[str]) -> QuerySet[Declaration]:
    scope = unit_scope(user, roles=roles)
    if scope.nothing:
        return Declaration.objects.none()
    return Declaration.objects.select_related("official", "official__unit").filter(
        scope.unit_filter("official__unit"))


def visible_declarations(user: User) -> QuerySet[Declaration]:
    """Declarations the user may read: those of officials the user may read."""
    return _declarations(user, READERS)


def may_read_relatives(user: User) -> bool:
    return has_role(user, *RELATIVE_READERS)


def declarable_officials(user: User) -> QuerySet[Official]:
    """Officials for whom the user may enter, submit and correct declarations."""
    scope = unit_scope(user, roles=DECLARANTS)
    if scope.nothing:
        return Official.objects.none()
    return Official.objects.filter(scope.unit_filter("unit")).select_related("unit")


def editable_declarations(user: User) -> QuerySet[Declaration]:
    return _declarations(user, DECLARANTS)


def verifiable_declarations(user: User) -> QuerySet[Declaration]:
    """Submitted declarations the user may verify."""
    return _declarations(user, VERIFIERS).filter(status=DeclarationStatus.SUBMITTED)


def visible_verifications(user: User) -> QuerySet[Verification]:
    scope = unit_scope(user, roles=READERS)
    if scope.nothing:
        return Verification.objects.none()
    return Verification.objects.select_related("declaration", "declaration__official").filter(
        scope.unit_filter("declaration__official__unit"))


def signable_verifications(user: User) -> QuerySet[Verification]:
    """Verifications the user may review and sign off."""
    scope = unit_scope(user, roles=VERIFIERS)
    if scope.nothing:
        return Verification.objects.none()
    return Verification.objects.select_related("declaration", "declaration__official").filter(
        scope.unit_filter("declaration__official__unit"))


def visible_assets(user: User) -> QuerySet[Asset]:
    """Assets of officials the user may read relatives' records of (assets often name a relative)."""
    scope = unit_scope(user, roles=RELATIVE_READERS)
    if scope.nothing:
        return Asset.objects.none()
    return Asset.objects.select_related("official", "holder_relative").filter(scope.unit_filter("official__unit"))


def in_force(qs: QuerySet[Declaration]) -> QuerySet[Declaration]:
    """Submitted declarations no submitted correction has replaced."""
    return qs.filter(status=DeclarationStatus.SUBMITTED).exclude(corrections__status=DeclarationStatus.SUBMITTED)


def filter_declarations(qs: QuerySet[Declaration], *, year: int | None = None, status: str = "",
                        official: str = "") -> QuerySet[Declaration]:
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if official:
        qs = qs.filter(official__official_id=official.strip())
    return qs
