"""Declarations: entering, submitting and correcting them; drawing the sample; verifying; signing off.

Every write is here, each with its audit event. A submitted declaration is never changed: the
services refuse to edit it, and a correction is a new version (``corrects`` pointing at the
version it corrects) that is entered as a draft and submitted like the first.

Verification compares the version in force with what Sojourn holds about the official
(``snapshot.holdings_of``) through the pure ``find_discrepancies``, stores each discrepancy with
its class and evidence, and stores what ``declaration.concealment`` and ``declaration.omission``
raise over them as findings. ``draw_sample`` draws a reproducible random share of the year's
declarations (a seeded ``random.Random``; the seed and the drawn official IDs go to the audit
trail) plus the targeted ones: officials under investigation (``Official.status``), promotion
candidates and officials named in complaints (lists of official IDs the inspector gives).
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sojourn.accounts.scope import User, unit_scope
from sojourn.alerts.evaluation import configured_ruleset
from sojourn.alerts.services import store_findings
from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, actor_name, record
from sojourn.core.documents.codes import ISO_ALPHA3
from sojourn.core.rules import Finding, Ruleset
from sojourn.core.rules.declarations import ITEM_KINDS, DiscrepancyRecord, find_discrepancies
from sojourn.declarations import selectors
from sojourn.declarations.models import (
    Declaration,
    DeclarationItem,
    DeclarationKind,
    DeclarationStatus,
    Discrepancy,
    DrawnHow,
    Source,
    Verification,
    VerificationStatus,
)
from sojourn.declarations.snapshot import as_records, holdings_of
from sojourn.registry.models import Official, OfficialStatus, Relative

ITEM_FIELDS = ("kind", "relative_id", "country", "number", "from_date", "to_date", "area", "amount", "currency",
               "text")
VERIFICATION_CODES = frozenset({"declaration.concealment", "declaration.omission"})
SYSTEM_ACTOR = "system:declarations"
DEFAULT_SHARE = 0.10


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _user(actor: Actor) -> Any:
    return actor if actor is not None and not isinstance(actor, str) and actor.is_authenticated else None


def _person(actor: Actor) -> bool:
    """A signed-in person (whose scope is checked), not the command line or the system."""
    return actor is not None and not isinstance(actor, str)


# --- items -------------------------------------------------------------------------------------------


def clean_items(official: Official, items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The items as ``DeclarationItem`` field values; a ValidationError naming every item that cannot stand."""
    relatives = dict(Relative.objects.filter(official=official).values_list("relative_id", "pk"))
    by_pk = {pk: rid for rid, pk in relatives.items()}
    out, problems = [], []
    for n, raw in enumerate(items, start=1):
        item: dict[str, Any] = {f: raw.get(f) for f in ITEM_FIELDS}
        kind = str(item["kind"] or "")
        if kind not in ITEM_KINDS:
            problems.append(f"Item {n}: '{kind}' is not an item kind.")
            continue
        rel = item.pop("relative_id")
        if isinstance(rel, Relative):
            rel = rel.pk
        if rel not in (None, ""):
            pk = relatives.get(str(rel)) if str(rel) in relatives else (rel if rel in by_pk else None)
            if pk is None:
                problems.append(f"Item {n}: {rel} is not a relative of official {official.official_id}.")
            item["relative_id"] = pk
        else:
            item["relative_id"] = None
        country = str(item["country"] or "").strip().upper()
        if country and country not in ISO_ALPHA3:
            problems.append(f"Item {n}: {country} is not an ISO 3166-1 alpha-3 country code.")
        item["country"] = country
        if item["from_date"] and item["to_date"] and item["to_date"] < item["from_date"]:
            problems.append(f"Item {n}: the end date is before the start date.")
        for name in ("number", "currency", "text"):
            item[name] = str(item[name] or "").strip()
        item["number"], item["currency"] = item["number"].upper().replace(" ", ""), item["currency"].upper()
        for name in ("area", "amount"):
            if item[name] is not None and item[name] < 0:
                problems.append(f"Item {n}: the {name} is negative.")
        out.append(item)
    if problems:
        raise ValidationError(problems)
    return out


def _write_items(declaration: Declaration, items: Sequence[Mapping[str, Any]]) -> None:
    DeclarationItem.objects.filter(declaration=declaration).delete()
    DeclarationItem.objects.bulk_create([DeclarationItem(declaration=declaration, position=n, **item)
                                         for n, item in enumerate(items)])


def item_values(declaration: Declaration) -> list[dict[str, Any]]:
    return [dict(zip(ITEM_FIELDS, row, strict=True))
            for row in declaration.items.order_by("position", "id").values_list(*ITEM_FIELDS)]


# --- entering, submitting, correcting ------------------------------------------------------------------


def _next_version(official: Official, year: int) -> int:
    top = Declaration.objects.filter(official=official, year=year, kind=DeclarationKind.ANNUAL).aggregate(
        m=Max("version"))["m"]
    return int(top or 0) + 1


@transaction.atomic
def create_declaration(*, official: Official, year: int, actor: Actor, items: Iterable[Mapping[str, Any]],
                       kind: str = DeclarationKind.ANNUAL, submit: bool = False, on: date | None = None,
                       source: str = Source.WEB) -> Declaration:
    """A new declaration (a draft, or submitted at once with ``submit``). There is one annual report per
    official and year: when one exists, correct it instead."""
    if _person(actor):
        _require(selectors.declarable_officials(actor).filter(pk=official.pk).exists(),  # type: ignore[arg-type]
                 "Only a registrar of the official's unit enters declarations.")
    if kind not in DeclarationKind.values:
        raise ValidationError(f"{kind}: a declaration is annual or event.")
    if kind == DeclarationKind.ANNUAL and Declaration.objects.filter(official=official, year=year,
                                                                     kind=kind).exists():
        raise ValidationError(f"Official {official.official_id} already has a report for {year}; correct it instead.")
    cleaned = clean_items(official, items)
    declaration = Declaration.objects.create(official=official, year=year, kind=kind, version=1, source=source)
    _write_items(declaration, cleaned)
    record(actor=actor, action=AuditAction.CREATE, obj=declaration, detail={
        "official_id": official.official_id, "year": year, "kind": kind, "version": 1, "items": len(cleaned)})
    if submit:
        return submit_declaration(declaration=declaration, actor=actor, on=on)
    return declaration


def _editable(declaration: Declaration, actor: Actor) -> Declaration:
    if _person(actor):
        _require(selectors.editable_declarations(actor).filter(pk=declaration.pk).exists(),  # type: ignore[arg-type]
                 "Only a registrar of the official's unit changes declarations.")
    locked = Declaration.objects.select_for_update().select_related("official").get(pk=declaration.pk)
    if locked.status != DeclarationStatus.DRAFT:
        raise ValidationError(f"Version {locked.version} of the {locked.year} report was submitted and cannot be "
                              "changed; enter a correction.")
    return locked


@transaction.atomic
def update_draft(*, declaration: Declaration, actor: Actor, items: Iterable[Mapping[str, Any]]) -> Declaration:
    """Replace the items of a draft; a submitted declaration is refused."""
    declaration = _editable(declaration, actor)
    cleaned = clean_items(declaration.official, items)
    _write_items(declaration, cleaned)
    record(actor=actor, action=AuditAction.UPDATE, obj=declaration, detail={"items": len(cleaned)})
    return declaration


@transaction.atomic
def submit_declaration(*, declaration: Declaration, actor: Actor, on: date | None = None) -> Declaration:
    """Submit a draft: from now on it is a source record and never changes."""
    declaration = _editable(declaration, actor)
    declaration.status = DeclarationStatus.SUBMITTED
    declaration.submitted_on = on or timezone.localdate()
    declaration.submitted_by, declaration.submitted_at = _user(actor), timezone.now()
    declaration.save(update_fields=["status", "submitted_on", "submitted_by", "submitted_at"])
    record(actor=actor, action=AuditAction.UPDATE, obj=declaration, detail={
        "status": DeclarationStatus.SUBMITTED.value, "submitted_on": declaration.submitted_on,
        "version": declaration.version, "corrects": declaration.corrects_id})
    return declaration


@transaction.atomic
def correct_declaration(*, declaration: Declaration, actor: Actor,
                        items: Iterable[Mapping[str, Any]] | None = None) -> Declaration:
    """A new draft version correcting a submitted one, starting from its items (or from ``items``)."""
    if _person(actor):
        _require(selectors.editable_declarations(actor).filter(pk=declaration.pk).exists(),  # type: ignore[arg-type]
                 "Only a registrar of the official's unit corrects declarations.")
    declaration = Declaration.objects.select_for_update().select_related("official").get(pk=declaration.pk)
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise ValidationError("Only a submitted declaration is corrected; edit the draft instead.")
    if Declaration.objects.filter(corrects=declaration).exists():
        raise ValidationError(f"Version {declaration.version} already has a correction; correct that one.")
    cleaned = clean_items(declaration.official, item_values(declaration) if items is None else items)
    version = (_next_version(declaration.official, declaration.year) if declaration.kind == DeclarationKind.ANNUAL
               else declaration.version + 1)
    new = Declaration.objects.create(official=declaration.official, year=declaration.year, kind=declaration.kind,
                                     version=version, corrects=declaration, source=Source.WEB)
    _write_items(new, cleaned)
    record(actor=actor, action=AuditAction.CREATE, obj=new, detail={
        "official_id": declaration.official.official_id, "year": declaration.year, "version": version,
        "corrects": declaration.pk, "items": len(cleaned)})
    return new


@transaction.atomic
def discard_draft(*, declaration: Declaration, actor: Actor) -> None:
    """Throw away a draft that was never submitted."""
    declaration = _editable(declaration, actor)
    record(actor=actor, action=AuditAction.DELETE, obj=declaration, detail={"version": declaration.version})
    declaration.delete()


# --- the sample ----------------------------------------------------------------------------------------


@dataclass
class Sample:
    """The declarations drawn for verification, each with how it was drawn; targeted officials with no report."""

    year: int
    seed: int
    share: float
    population: int
    drawn: list[tuple[Declaration, str]] = field(default_factory=list)
    without_report: list[tuple[str, str]] = field(default_factory=list)

    @property
    def official_ids(self) -> list[str]:
        return [d.official.official_id for d, _how in self.drawn]


def _population(year: int, actor: Actor) -> dict[str, Declaration]:
    qs = (selectors.verifiable_declarations(actor) if _person(actor)  # type: ignore[arg-type]
          else Declaration.objects.select_related("official"))
    qs = selectors.in_force(qs.filter(year=year, kind=DeclarationKind.ANNUAL))
    return {d.official.official_id: d for d in qs.order_by("official__official_id")}


def draw_sample(*, year: int, actor: Actor, share: float = DEFAULT_SHARE, seed: int | None = None,
                promotion: Sequence[str] = (), complaints: Sequence[str] = ()) -> Sample:
    """A reproducible random ``share`` of the year's annual reports in the actor's scope (at least one when
    there are any) and the targeted ones; the same seed over the same reports draws the same officials.
    Writes one audit row with the seed, the share and the drawn official IDs by how they were drawn."""
    if _person(actor):
        _require(not unit_scope(actor, roles=selectors.VERIFIERS).nothing,  # type: ignore[arg-type]
                 "Only inspectors draw samples.")
    if not 0 <= share <= 1:
        raise ValidationError("The share is between 0 and 1.")
    seed = secrets.randbits(32) if seed is None else int(seed)
    population = _population(year, actor)
    ids = sorted(population)
    k = min(len(ids), math.ceil(share * len(ids))) if ids else 0
    randomly = sorted(random.Random(seed).sample(ids, k))
    investigated = sorted(Official.objects.filter(status=OfficialStatus.UNDER_INVESTIGATION,
                                                  official_id__in=ids).values_list("official_id", flat=True))
    targeted = {DrawnHow.INVESTIGATION.value: investigated,
                DrawnHow.COMPLAINT.value: sorted({c.strip() for c in complaints if c.strip()}),
                DrawnHow.PROMOTION.value: sorted({p.strip() for p in promotion if p.strip()})}
    sample = Sample(year=year, seed=seed, share=share, population=len(ids))
    chosen: dict[str, str] = {}
    for how, official_ids in targeted.items():
        for oid in official_ids:
            chosen.setdefault(oid, how)
    for oid in randomly:
        chosen.setdefault(oid, DrawnHow.RANDOM.value)
    for oid, how in sorted(chosen.items()):
        if oid in population:
            sample.drawn.append((population[oid], how))
        else:
            sample.without_report.append((oid, how))
    record(actor=actor, action=AuditAction.JOB, object_type="declarations.sample", object_id=str(year), detail={
        "year": year, "seed": seed, "share": share, "population": len(ids), "random": randomly, **targeted,
        "without_report": [oid for oid, _how in sample.without_report]})
    return sample


# --- verification ----------------------------------------------------------------------------------------


def _verification_ruleset() -> Ruleset:
    full = configured_ruleset()
    return Ruleset(version=full.version, rules=tuple(r for r in full.rules if r.code in VERIFICATION_CODES),
                   disabled=full.disabled, overrides=full.overrides)


def _store(found: Sequence[DiscrepancyRecord], today: date) -> list[Finding]:
    ruleset = _verification_ruleset()
    findings = list(ruleset.evaluate({"declaration_discrepancies": found}, as_of=today))
    store_findings(findings=findings, ruleset=ruleset.version, actor=SYSTEM_ACTOR)
    return findings


def _verify(declaration: Declaration, *, actor: Actor, drawn_how: str, seed: int | None) -> Verification:
    declaration = Declaration.objects.select_related("official").get(pk=declaration.pk)
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise ValidationError("Only a submitted declaration is verified.")
    newer = Declaration.objects.filter(corrects=declaration, status=DeclarationStatus.SUBMITTED).first()
    if newer is not None:
        raise ValidationError(f"Version {declaration.version} was corrected by version {newer.version}; "
                              "verify that one.")
    (report,) = as_records([declaration])
    found = find_discrepancies(report, holdings_of(declaration.official, declaration.year))
    verification = Verification.objects.create(declaration=declaration, drawn_how=drawn_how, seed=seed,
                                               run_by=actor_name(actor), run_at=timezone.now())
    Discrepancy.objects.bulk_create([
        Discrepancy(verification=verification, klass=d.klass, item_kind=d.item_kind, evidence=list(d.evidence),
                    text=d.text, details=dict(d.details)) for d in found])
    _store([DiscrepancyRecord(klass=d.klass, item_kind=d.item_kind, text=d.text, evidence=d.evidence,
                              official_id=d.official_id, year=d.year, declaration_id=d.declaration_id,
                              verification_id=str(verification.pk), details=d.details) for d in found],
           timezone.localdate())
    return verification


@transaction.atomic
def verify_declaration(*, declaration: Declaration, actor: Actor, drawn_how: str = DrawnHow.COMPLAINT,
                       seed: int | None = None) -> Verification:
    """Verify one submitted declaration (the version in force) against the records."""
    if _person(actor):
        _require(selectors.verifiable_declarations(actor).filter(pk=declaration.pk).exists(),  # type: ignore[arg-type]
                 "Only an inspector whose commission covers the official verifies the declaration.")
    if drawn_how not in DrawnHow.values:
        raise ValidationError(f"{drawn_how}: not a way of drawing a declaration.")
    verification = _verify(declaration, actor=actor, drawn_how=drawn_how, seed=seed)
    counts = _counts(verification)
    record(actor=actor, action=AuditAction.CREATE, obj=verification, detail={
        "declaration": declaration.pk, "official_id": declaration.official.official_id, "year": declaration.year,
        "drawn_how": drawn_how, "seed": seed, **counts})
    return verification


def _counts(verification: Verification) -> dict[str, int]:
    klasses = list(verification.discrepancies.values_list("klass", flat=True))
    return {"concealment": klasses.count("concealment"), "omission": klasses.count("omission")}


@dataclass
class VerificationRun:
    sample: Sample
    verifications: list[Verification]

    @property
    def counts(self) -> dict[str, int]:
        total = {"concealment": 0, "omission": 0}
        for v in self.verifications:
            for k, n in _counts(v).items():
                total[k] += n
        return total


@transaction.atomic
def run_verification(*, year: int, actor: Actor, share: float = DEFAULT_SHARE, seed: int | None = None,
                     promotion: Sequence[str] = (), complaints: Sequence[str] = ()) -> VerificationRun:
    """Draw the sample and verify every declaration in it; one audit row for the draw, one for the run."""
    sample = draw_sample(year=year, actor=actor, share=share, seed=seed, promotion=promotion,
                         complaints=complaints)
    verifications = [_verify(d, actor=actor, drawn_how=how, seed=sample.seed if how == DrawnHow.RANDOM else None)
                     for d, how in sample.drawn]
    run = VerificationRun(sample, verifications)
    record(actor=actor, action=AuditAction.JOB, object_type="job", object_id="verify_declarations", detail={
        "year": year, "seed": sample.seed, "share": share, "verified": len(verifications),
        "verifications": [v.pk for v in verifications], **run.counts})
    return run


@transaction.atomic
def sign_off_verification(*, verification: Verification, actor: User, outcome: str) -> Verification:
    """The inspector's review: the verification is signed off with the outcome notes (required)."""
    _require(selectors.signable_verifications(actor).filter(pk=verification.pk).exists(),
             "Only an inspector whose commission covers the official signs off a verification.")
    if not outcome.strip():
        raise ValidationError("Signing off needs outcome notes.")
    verification = Verification.objects.select_for_update().get(pk=verification.pk)
    if verification.status == VerificationStatus.SIGNED_OFF:
        raise ValidationError("This verification is already signed off.")
    verification.status = VerificationStatus.SIGNED_OFF
    verification.signed_off_by, verification.signed_off_at = _user(actor), timezone.now()
    verification.outcome = outcome.strip()
    verification.save(update_fields=["status", "signed_off_by", "signed_off_at", "outcome"])
    record(actor=actor, action=AuditAction.UPDATE, obj=verification,
           detail={"status": VerificationStatus.SIGNED_OFF.value, "outcome": verification.outcome})
    return verification
