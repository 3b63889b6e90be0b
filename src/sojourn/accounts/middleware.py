"""Every page needs a login, except the few listed here; the API authenticates on its own."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

# The yente-compatible routes sit at the root (sojourn.interop.api) and authenticate on their own too.
YENTE_PATHS = ("/match/", "/algorithms", "/catalog", "/entities/", "/openapi.json")
OPEN_PREFIXES = ("/accounts/login/", "/static/", "/api/", "/i18n/", "/admin/", "/healthz", *YENTE_PATHS)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
