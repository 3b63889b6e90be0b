"""Declarations of the ``world`` officials: helpers to make them (the personas are in tests/conftest.py)."""

from __future__ import annotations

from datetime import date

from sojourn.declarations import services


def submitted(world, official="OA-1", items=(), year=2025, on=date(2026, 1, 20)):
    """A submitted annual report, entered by the registrar of unit A."""
    return services.create_declaration(official=world.officials[official], year=year, items=list(items),
                                       actor=world.users["registrar_a"], submit=True, on=on)
