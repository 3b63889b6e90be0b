"""Screening endpoints: ``POST /screen`` for checkpoints (screening token only), the lists' sizes for inspectors."""

from __future__ import annotations

import builtins
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from sojourn.accounts.api_auth import TokenAuth
from sojourn.accounts.models import Role
from sojourn.accounts.roles import has_role
from sojourn.custody.api import CheckOut
from sojourn.screening import services

router = Router(tags=["screening"])
LIST_READERS = (Role.INSPECTOR, Role.ADMIN)


class ScreenIn(Schema):
    name: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    nationality: str | None = None
    id_number: str | None = None
    document_number: str | None = None
    mrz: str | None = None


class MatchOut(Schema):
    entry_id: str
    list: str
    score: float
    match: bool
    action: str
    explanations: builtins.list[str]


class ScreenOut(Schema):
    decision: str
    matches: list[MatchOut]
    document: CheckOut | None
    ruleset: str
    threshold: float
    notify: list[str]


class WatchlistOut(Schema):
    name: str
    description: str
    entries: int


@router.post("/screen", response=ScreenOut, auth=TokenAuth("screening"))
def screen(request: HttpRequest, payload: ScreenIn) -> dict[str, Any]:
    """Screen a person and/or document against the lists: a checkpoint's bearer token only."""
    try:
        return services.screen_person(actor=request.user, **payload.dict())
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc


@router.get("/watchlists", response=list[WatchlistOut])
def watchlists(request: HttpRequest) -> list[dict[str, Any]]:
    """The lists with their sizes, for inspectors and admins."""
    if not has_role(request.user, *LIST_READERS):
        raise HttpError(403, "Your role gives no access to the watch lists.")
    return services.watchlist_counts()
