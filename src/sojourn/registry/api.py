"""Registry endpoints: the same reads as the pages, through the same selectors and audit."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from sojourn.accounts.roles import OFFICIAL_READERS, RELATIVE_READERS, has_role
from sojourn.audit.services import record_read
from sojourn.registry import selectors

router = Router(tags=["registry"])


class UnitOut(Schema):
    code: str
    name: str
    parent_code: str | None
    region: str


class OfficialOut(Schema):
    official_id: str
    unit_code: str
    name_zh: str
    surname: str
    given_name: str
    birth_date: date
    sex: str
    id_number: str
    rank: str
    post: str
    restricted_post: bool
    covered_since: date
    filed_on: date | None
    status: str


class RelativeOut(Schema):
    relative_id: str
    official_id: str
    relationship: str
    name_zh: str
    surname: str
    given_name: str
    birth_date: date | None
    sex: str
    nationality: str
    residence_country: str
    residence_status: str
    abroad_since: date | None
    emigrated_on: date | None
    activity: str
    married_to_foreigner: bool


class OfficialDetailOut(OfficialOut):
    relatives: list[RelativeOut] | None


class OfficialPage(Schema):
    count: int
    offset: int
    items: list[OfficialOut]


def _require(request: HttpRequest, roles: frozenset[str]) -> None:
    if not has_role(request.user, *roles):
        raise HttpError(403, "Your role gives no access to this resource.")


def _official_out(o: object) -> dict[str, object]:
    data = {f: getattr(o, f) for f in OfficialOut.model_fields if f != "unit_code"}
    data["unit_code"] = o.unit.code  # type: ignore[attr-defined]
    return data


def _relative_out(r: object) -> dict[str, object]:
    data = {f: getattr(r, f) for f in RelativeOut.model_fields if f != "official_id"}
    data["official_id"] = r.official.official_id  # type: ignore[attr-defined]
    return data


@router.get("/units", response=list[UnitOut])
def list_units(request: HttpRequest) -> list[dict[str, object]]:
    _require(request, OFFICIAL_READERS)
    units = selectors.visible_units(request.user).select_related("parent")
    return [{"code": u.code, "name": u.name, "parent_code": u.parent.code if u.parent else None,
             "region": u.region} for u in units]


@router.get("/officials", response=OfficialPage)
def list_officials(request: HttpRequest, q: str = "", unit: str = "", rank: str = "", status: str = "",
                   offset: int = 0, limit: int = 50) -> dict[str, object]:
    """Officials in the caller's scope; a list shows no personal details beyond the registry line."""
    _require(request, OFFICIAL_READERS)
    limit = max(1, min(limit, 500))
    qs = selectors.search_officials(selectors.visible_officials(request.user), text=q, unit_code=unit,
                                    rank=rank, status=status).order_by("official_id")
    items = [_official_out(o) for o in qs[offset:offset + limit]]
    return {"count": qs.count(), "offset": offset, "items": items}


@router.get("/officials/{official_id}", response=OfficialDetailOut)
def get_official(request: HttpRequest, official_id: str) -> dict[str, object]:
    _require(request, OFFICIAL_READERS)
    official = selectors.visible_officials(request.user).filter(official_id=official_id).first()
    if official is None:
        raise Http404
    record_read(actor=request.user, obj=official, purpose="api official detail")
    data = _official_out(official)
    data["relatives"] = (
        [_relative_out(r) for r in official.relatives.select_related("official")]
        if selectors.may_see_relatives(request.user, official) else None
    )
    return data


@router.get("/relatives/{relative_id}", response=RelativeOut)
def get_relative(request: HttpRequest, relative_id: str) -> dict[str, object]:
    _require(request, RELATIVE_READERS)
    relative = selectors.visible_relatives(request.user).filter(relative_id=relative_id).first()
    if relative is None:
        raise Http404
    record_read(actor=request.user, obj=relative, purpose="api relative detail")
    return _relative_out(relative)
