from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks


class ReportsConfig(AppConfig):
    name = "sojourn.reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        checks.register(check_holiday_window, checks.Tags.compatibility)


def check_holiday_window(**_: Any) -> list[checks.CheckMessage]:
    """A malformed ``SOJOURN_HOLIDAY_WINDOW`` is refused when the server starts, not on the first home page."""
    from django.conf import settings

    from sojourn.reports.nonreturns import Window

    text = settings.SOJOURN_HOLIDAY_WINDOW
    if not text:
        return []
    try:
        Window.parse(text)
    except ValueError as exc:
        return [checks.Error(f"SOJOURN_HOLIDAY_WINDOW: {exc}", id="sojourn.reports.E001")]
    return []
