"""Role checks for views. Unit scope is applied by the selectors, not here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from sojourn.accounts.roles import has_role

View = TypeVar("View", bound=Callable[..., HttpResponse])


def require_roles(*roles: str) -> Callable[[View], View]:
    """Refuse (403) any user who holds none of ``roles``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
