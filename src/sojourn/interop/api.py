"""The yente-compatible API at the site root: ``POST /match/{dataset}``, ``GET /algorithms``, ``/catalog``, ``/entities/{id}``.

A second NinjaAPI (namespace ``yente``) beside ``/api/v1``, because yente clients call these
paths on a base URL. Every route takes the checkpoint's screening token only, as
``Authorization: Bearer <token>`` or yente's ``Authorization: ApiKey <token>``; sessions and
other tokens get 401. Bad requests answer 400 with ``{"detail": ...}`` naming the query key and
the field, as yente does (Ninja's own validation errors included, which would otherwise be 422).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError

from sojourn.accounts.api_auth import TokenAuth
from sojourn.interop import services, yente


class ScreeningKeyAuth(TokenAuth):
    """The screening token as ``Bearer <token>`` or ``ApiKey <token>`` (what yente clients send)."""

    def __init__(self) -> None:
        super().__init__("screening")

    def __call__(self, request: HttpRequest) -> Any:
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() not in ("bearer", "apikey") or not token.strip():
            return None
        return self.authenticate(request, token.strip())


yente_api = NinjaAPI(
    title="Sojourn yente-compatible API",
    version="1",
    description="OpenSanctions yente's match API over Sojourn's screening (docs/interop.md).",
    urls_namespace="yente",
    auth=ScreeningKeyAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
)


@yente_api.exception_handler(ValidationError)
def bad_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Ninja's validation errors as yente answers them: 400, the field named."""
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path"))
    message = f"field {where!r}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid"))
    return yente_api.create_response(request, {"detail": message}, status=400)


class MatchBody(Schema):
    queries: dict[str, Any]
    weights: dict[str, Any] = {}
    config: dict[str, Any] = {}


class MatchFilters(Schema):
    algorithm: str = "best"
    threshold: float = yente.DEFAULT_THRESHOLD
    limit: int = yente.DEFAULT_LIMIT
    topics: list[str] = []
    exclude_schema: list[str] = []
    exclude_entity_ids: list[str] = []


@yente_api.post("/match/{dataset}", tags=["yente"])
def match(
    request: HttpRequest, dataset: str, body: MatchBody, filters: Query[MatchFilters]
) -> dict[str, Any]:
    """Screen up to 100 people at once against one list (or ``default``, all lists), as yente's /match."""
    try:
        params = yente.match_params(**filters.dict())
        return services.match(actor=request.user, dataset=dataset, body=body.dict(), params=params)
    except services.UnknownDataset as exc:
        raise HttpError(404, f"no such dataset: {exc}") from exc
    except yente.QueryError as exc:
        raise HttpError(400, str(exc)) from exc


@yente_api.get("/algorithms", tags=["yente"])
def algorithms(request: HttpRequest) -> dict[str, Any]:
    """Our matcher and the yente algorithm names it answers to."""
    return yente.algorithms()


@yente_api.get("/catalog", tags=["yente"])
def catalog(request: HttpRequest) -> dict[str, Any]:
    """The watch lists as datasets, with ``default`` over all of them."""
    return services.catalog()


@yente_api.get("/entities/{entity_id}", tags=["yente"])
def entity(request: HttpRequest, entity_id: str) -> dict[str, Any]:
    """One list entry valid today as an FtM entity: ``<list>-<entry_id>``."""
    found = services.entity(actor=request.user, entity_id=entity_id)
    if found is None:
        raise HttpError(404, "no such entity")
    return found
