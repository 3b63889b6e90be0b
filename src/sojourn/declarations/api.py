"""Declaration endpoints: the same reads, scope and writes as the pages.

Items about relatives are in the output only for roles that read relatives' records; every read
of a declaration or a verification is written to the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from sojourn.accounts.roles import has_role
from sojourn.audit.services import record_read
from sojourn.declarations import selectors, services
from sojourn.declarations.models import Declaration, Verification

router = Router(tags=["declarations"])
T = TypeVar("T")


class ItemIn(Schema):
    kind: str
    relative_id: str | None = None
    country: str = ""
    number: str = ""
    from_date: date | None = None
    to_date: date | None = None
    area: Decimal | None = None
    amount: Decimal | None = None
    currency: str = ""
    text: str = ""


class DeclarationIn(Schema):
    official_id: str
    year: int
    kind: str = "annual"
    items: list[ItemIn]
    submit: bool = False


class ItemOut(ItemIn):
    pass


class DeclarationOut(Schema):
    id: int
    official_id: str
    year: int
    kind: str
    version: int
    corrects: int | None
    status: str
    submitted_on: date | None
    source: str
    items: list[ItemOut]
    hidden_items: int


class DiscrepancyOut(Schema):
    klass: str
    item_kind: str
    text: str
    evidence: list[str]


class VerificationOut(Schema):
    id: int
    declaration: int
    official_id: str
    year: int
    drawn_how: str
    seed: int | None
    run_by: str
    run_at: datetime
    status: str
    signed_off_at: datetime | None
    outcome: str
    discrepancies: list[DiscrepancyOut]


class RunIn(Schema):
    year: int
    share: float = services.DEFAULT_SHARE
    seed: int | None = None
    promotion: list[str] = []
    complaints: list[str] = []


class RunOut(Schema):
    year: int
    seed: int
    population: int
    verifications: list[VerificationOut]
    without_report: list[str]


class SignOffIn(Schema):
    outcome: str


def _out(declaration: Declaration, relatives: bool) -> dict[str, Any]:
    items = list(declaration.items.select_related("relative"))
    shown = [i for i in items if relatives or i.relative_id is None]
    return {
        "id": declaration.pk, "official_id": declaration.official.official_id, "year": declaration.year,
        "kind": declaration.kind, "version": declaration.version, "corrects": declaration.corrects_id,
        "status": declaration.status, "submitted_on": declaration.submitted_on, "source": declaration.source,
        "hidden_items": len(items) - len(shown),
        "items": [{"kind": i.kind, "relative_id": i.relative.relative_id if i.relative else None, "country": i.country,
                   "number": i.number, "from_date": i.from_date, "to_date": i.to_date, "area": i.area,
                   "amount": i.amount, "currency": i.currency, "text": i.text} for i in shown],
    }


def _verification_out(v: Verification) -> dict[str, Any]:
    return {
        "id": v.pk, "declaration": v.declaration_id, "official_id": v.declaration.official.official_id,
        "year": v.declaration.year, "drawn_how": v.drawn_how, "seed": v.seed, "run_by": v.run_by, "run_at": v.run_at,
        "status": v.status, "signed_off_at": v.signed_off_at, "outcome": v.outcome,
        "discrepancies": [{"klass": d.klass, "item_kind": d.item_kind, "text": d.text, "evidence": list(d.evidence)}
                          for d in v.discrepancies.all()],
    }


def _reader(request: HttpRequest) -> None:
    if not has_role(request.user, *selectors.READERS):
        raise HttpError(403, "Your role gives no access to declarations.")


def _verifier(request: HttpRequest) -> None:
    if not has_role(request.user, *selectors.VERIFIERS):
        raise HttpError(403, "Only inspectors verify declarations.")


def _declaration(request: HttpRequest, declaration_id: int) -> Declaration:
    _reader(request)
    declaration = selectors.visible_declarations(request.user).filter(pk=declaration_id).first()
    if declaration is None:
        raise Http404
    return declaration


def _call(action: Callable[[], T]) -> T:
    try:
        return action()
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Not allowed.") from exc
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from exc


@router.get("/declarations", response=list[DeclarationOut])
def list_declarations(request: HttpRequest, year: int | None = None, status: str = "", official: str = "",
                      offset: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """Declarations in the caller's scope, newest year first; filter by year, status and official ID."""
    _reader(request)
    qs = selectors.filter_declarations(selectors.visible_declarations(request.user), year=year, status=status,
                                       official=official)
    relatives = selectors.may_read_relatives(request.user)
    chosen = list(qs.order_by("-year", "official__official_id", "kind", "-version")[offset:offset + max(1, min(limit, 1000))])
    for d in chosen:
        if relatives and d.items.filter(relative__isnull=False).exists():
            record_read(actor=request.user, obj=d, purpose="api declaration list")
    return [_out(d, relatives) for d in chosen]


@router.get("/declarations/{declaration_id}", response=DeclarationOut)
def get_declaration(request: HttpRequest, declaration_id: int) -> dict[str, Any]:
    declaration = _declaration(request, declaration_id)
    record_read(actor=request.user, obj=declaration, purpose="api declaration detail")
    return _out(declaration, selectors.may_read_relatives(request.user))


@router.post("/declarations", response={201: DeclarationOut})
def create(request: HttpRequest, payload: DeclarationIn) -> Status[dict[str, Any]]:
    """Enter a declaration (a draft, or submitted at once with ``submit``); 422 with the reasons when an item
    cannot stand (nothing is stored)."""
    if not has_role(request.user, *selectors.DECLARANTS):
        raise HttpError(403, "Only registrars enter declarations.")
    official = selectors.declarable_officials(request.user).filter(official_id=payload.official_id).first()
    if official is None:
        raise Http404
    items = [i.dict() for i in payload.items]
    declaration = _call(lambda: services.create_declaration(
        official=official, year=payload.year, kind=payload.kind, items=items, actor=request.user,
        submit=payload.submit, source="api"))
    return Status(201, _out(declaration, True))


@router.post("/declarations/{declaration_id}/verify", response=VerificationOut)
def verify(request: HttpRequest, declaration_id: int) -> dict[str, Any]:
    """Verify one submitted declaration (the version in force) against the records."""
    _verifier(request)
    declaration = _declaration(request, declaration_id)
    return _verification_out(_call(lambda: services.verify_declaration(declaration=declaration, actor=request.user)))


@router.post("/declaration-verifications", response=RunOut)
def run(request: HttpRequest, payload: RunIn) -> dict[str, Any]:
    """Draw the year's sample (seeded; audited) and verify every declaration in it."""
    _verifier(request)
    result = _call(lambda: services.run_verification(
        year=payload.year, actor=request.user, share=payload.share, seed=payload.seed, promotion=payload.promotion,
        complaints=payload.complaints))
    return {"year": result.sample.year, "seed": result.sample.seed, "population": result.sample.population,
            "verifications": [_verification_out(v) for v in result.verifications],
            "without_report": [oid for oid, _how in result.sample.without_report]}


def _verification(request: HttpRequest, verification_id: int) -> Verification:
    _verifier(request)
    verification = selectors.signable_verifications(request.user).filter(pk=verification_id).first()
    if verification is None:
        raise Http404
    return verification


@router.get("/declaration-verifications/{verification_id}", response=VerificationOut)
def get_verification(request: HttpRequest, verification_id: int) -> dict[str, Any]:
    verification = _verification(request, verification_id)
    record_read(actor=request.user, obj=verification, purpose="api verification detail")
    return _verification_out(verification)


@router.post("/declaration-verifications/{verification_id}/sign-off", response=VerificationOut)
def sign_off(request: HttpRequest, verification_id: int, payload: SignOffIn) -> dict[str, Any]:
    """Sign off a verification with the outcome notes (inspectors)."""
    verification = _verification(request, verification_id)
    return _verification_out(_call(lambda: services.sign_off_verification(
        verification=verification, actor=request.user, outcome=payload.outcome)))
