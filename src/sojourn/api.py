"""The JSON API (Django Ninja) under /api/v1/. Each app contributes a router from its api.py."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import SessionAuth

from sojourn.accounts.api_auth import TokenAuth

# Browser sessions (with CSRF) or an API token; checkpoint tokens have their own scope.
DEFAULT_AUTH = [SessionAuth(), TokenAuth("api")]

api = NinjaAPI(title="Sojourn API", version="1", urls_namespace="api", auth=DEFAULT_AUTH)


def _mount() -> None:
    from sojourn.alerts.api import router as alerts_router
    from sojourn.audit.api import router as audit_router
    from sojourn.custody.api import router as custody_router
    from sojourn.declarations.api import router as declarations_router
    from sojourn.registry.api import router as registry_router
    from sojourn.reports.api import router as reports_router
    from sojourn.reports.api_naked import router as naked_router
    from sojourn.resolution.api import router as resolution_router
    from sojourn.screening.api import router as screening_router
    from sojourn.travel.api import router as travel_router

    api.add_router("/", registry_router)
    api.add_router("/", alerts_router)
    api.add_router("/", audit_router)
    api.add_router("/", custody_router)
    api.add_router("/", screening_router)
    api.add_router("/", reports_router)
    api.add_router("/", naked_router)
    api.add_router("/", travel_router)
    api.add_router("/", declarations_router)
    api.add_router("/", resolution_router)


_mount()
