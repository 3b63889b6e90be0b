"""Navigation shown in the page header, by role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from sojourn.accounts.models import Role
from sojourn.accounts.roles import roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    held = roles_of(request.user)
    items: list[tuple[str, str]] = []
    if held & {Role.REGISTRAR, Role.APPROVER, Role.INSPECTOR, Role.ADMIN}:
        items += [(_("Units"), reverse("registry:units")), (_("Officials"), reverse("registry:officials"))]
        items.append((_("Documents"), reverse("custody:desk")))
        items += [(_("Reports"), reverse("reports:index")), (_("Overdue board"), reverse("reports:overdue"))]
        items.append((_("Trips"), reverse("travel:trips")))
    if held & {Role.APPROVER, Role.INSPECTOR, Role.ADMIN}:
        items.append((_("Approval queue"), reverse("travel:queue")))
    if held & {Role.INSPECTOR, Role.REGISTRAR, Role.ADMIN}:
        items.append((_("Findings"), reverse("alerts:inbox")))
        items.append((_("Declarations"), reverse("declarations:list")))
    if held & {Role.INSPECTOR, Role.ADMIN}:
        items.append((_("Match review"), reverse("screening:review")))
        items.append((_("Identity resolution"), reverse("resolution:index")))
    if held & {Role.REGISTRAR, Role.ADMIN}:
        items.append((_("Import"), reverse("registry:import")))
    if held & {Role.AUDITOR, Role.ADMIN}:
        items.append((_("Audit trail"), reverse("audit:trail")))
    return {"nav_items": items, "user_roles": sorted(held)}
