"""The evaluation date: ``SOJOURN_AS_OF`` when set, else today in ``SOJOURN_TIME_ZONE``."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from sojourn import conf


def default_as_of() -> date:
    override = conf.as_of_override()
    if override:
        return date.fromisoformat(override)
    return timezone.localdate()
