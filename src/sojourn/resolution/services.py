"""Writes of identity resolution: a run (link, store pairs and clusters, raise findings) and judgements.

``resolve`` is incremental by default: records not yet clustered are linked against the existing
clusters (``linkage.link_new``), which gives the same clusters a full run would. A full run
(``linkage.resolve``) happens on the first run, on request, and whenever an incremental one could not
be trusted to agree with it: a record changed or disappeared, or the model or threshold changed.
Findings come from the clusters over the pairs an inspector has not rejected; the findings store
dedupes them and never reopens one a person closed.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from django.db import transaction
from django.db.models import Count, Q

from sojourn import conf
from sojourn.alerts.evaluation import configured_ruleset
from sojourn.alerts.models import Finding
from sojourn.alerts.services import OPEN_STATUSES, StoreResult, dismiss_finding, store_findings
from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, actor_name, record
from sojourn.core.rules import Ruleset
from sojourn.core.rules import identity as core
from sojourn.engine import linkage
from sojourn.resolution.models import ClusterMember, LinkJudgement, LinkPair, ResolutionRun, RunMode, Verdict
from sojourn.resolution.snapshot import Owners, gather_persons, owners
from sojourn.screening.models import MatchJudgement
from sojourn.web.dates import default_as_of

CODES = ("travel.undeclared_document", "document.identity_conflict", "document.duplicate_holding",
         "screening.possible_match")
BATCH = 5000
Step = Callable[[str], None]

FINGERPRINT_SQL = """
    SELECT unique_id, source, left(md5(concat_ws(chr(31), coalesce(name_zh, ''), coalesce(surname, ''),
           coalesce(given_name, ''), coalesce(CAST(birth_date AS VARCHAR), ''), coalesce(sex, ''),
           coalesce(nationality, ''), coalesce(id_number, ''),
           coalesce(array_to_string(list_sort(documents), ';'), ''))), 16) AS fingerprint
    FROM persons
"""


@dataclass
class ResolveResult:
    run: ResolutionRun
    mode: str
    reason: str
    records: int
    linked: int
    pairs: int
    pairs_new: int
    clusters: int
    by_code: dict[str, int]
    stored: StoreResult
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {"run": self.run.pk, "engine": self.run.engine, "model_version": self.run.model_version,
                "threshold": self.run.threshold, "mode": str(self.mode), "reason": self.reason, "records": self.records,
                "linked": self.linked, "pairs": self.pairs, "pairs_new": self.pairs_new, "clusters": self.clusters,
                "findings": self.by_code, "findings_created": self.stored.created, "seconds": self.seconds}


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def fingerprints(persons: pa.Table) -> dict[str, tuple[str, str]]:
    """unique_id -> (source, fingerprint of the identifying fields; crossing events left out)."""
    con = duckdb.connect(":memory:")
    try:
        con.register("persons", persons)
        rows = con.sql(FINGERPRINT_SQL).fetchall()
    finally:
        con.close()
    return {uid: (source, fp) for uid, source, fp in rows}


# ---------------------------------------------------------------- models


def models_dir() -> Path:
    return conf.data_dir() / "linkage"


def current_model() -> dict[str, Any]:
    """The newest model trained here (under ``SOJOURN_DATA_DIR/linkage``), else the shipped default."""
    saved = sorted(models_dir().glob("model-*.json"))
    return linkage.load_model(saved[-1] if saved else None)


def judgement_labels() -> pa.Table:
    """Inspectors' judgements as training labels: 1.0 for confirmed pairs, 0.0 for rejected ones."""
    rows = LinkPair.objects.exclude(review="pending").values_list("unique_id_l", "unique_id_r", "review")
    return pa.table({
        "unique_id_l": pa.array([r[0] for r in rows], pa.string()),
        "unique_id_r": pa.array([r[1] for r in rows], pa.string()),
        "clerical_match_score": pa.array([1.0 if r[2] == Verdict.CONFIRMED else 0.0 for r in rows], pa.float64()),
    })  # fmt: skip


def train_model(persons: pa.Table) -> tuple[dict[str, Any], Path]:
    """Train on the current persons with the judgements as labels, and save the model for later runs."""
    model = linkage.train(persons, labels=judgement_labels())
    directory = models_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = directory / f"model-{stamp}-{linkage.model_version(model).replace('+', '-')}.json"
    path.write_text(json.dumps(model, ensure_ascii=False, indent=1), encoding="utf-8")
    return model, path


# ---------------------------------------------------------------- the run


def _full_reason(*, full: bool, prints: dict[str, tuple[str, str]], known: dict[str, tuple[str, str]],
                 version: str, threshold: float) -> str:
    """Why this run must be a full one (empty: an incremental run agrees with a full one)."""
    if full:
        return "requested"
    if not known:
        return "first run"
    last = ResolutionRun.objects.filter(finished_at__isnull=False).first()
    if last is None or last.model_version != version:
        return "model changed"
    if abs(last.threshold - threshold) > 1e-12:
        return "threshold changed"
    changed = sum(1 for uid, (_c, fp) in known.items() if prints.get(uid, ("", ""))[1] != fp)
    if changed:
        return f"{changed} records changed or removed"
    return ""


def _link(persons: pa.Table, *, reason: str, known: dict[str, tuple[str, str]], engine: str,
          model: dict[str, Any], threshold: float) -> tuple[linkage.Resolution, int]:
    if reason:
        return linkage.resolve(persons, engine=engine, model=model, threshold=threshold), persons.num_rows
    ids = persons["unique_id"].to_pylist()
    fresh = [uid not in known for uid in ids]
    if not any(fresh):
        empty = linkage.Resolution(
            pairs=pa.schema([("unique_id_l", pa.string()), ("unique_id_r", pa.string()),
                             ("match_weight", pa.float64()), ("match_probability", pa.float64()),
                             ("evidence", pa.string())]).empty_table(),
            clusters=pa.schema([("cluster_id", pa.string()), ("unique_id", pa.string())]).empty_table(),
            model_version=linkage.model_version(model), engine=engine)
        return empty, 0
    mask = pa.array(fresh)
    existing = persons.filter(pc.invert(mask))
    existing = existing.append_column("cluster_id", pa.array([known[u][0] for u in existing["unique_id"].to_pylist()],
                                                             pa.string()))
    new = persons.filter(mask)
    return linkage.link_new(existing, new, engine=engine, model=model, threshold=threshold), new.num_rows


def _store_clusters(clusters: pa.Table, *, full: bool, prints: dict[str, tuple[str, str]],
                    known: dict[str, tuple[str, str]], run: ResolutionRun) -> None:
    pk_of = dict(ClusterMember.objects.values_list("unique_id", "pk").iterator(chunk_size=20000))
    fresh, changed = [], []
    seen = set()
    for cluster_id, uid in zip(clusters["cluster_id"].to_pylist(), clusters["unique_id"].to_pylist(), strict=True):
        seen.add(uid)
        source, fp = prints[uid]
        before = known.get(uid)
        if before is None:
            fresh.append(ClusterMember(unique_id=uid, cluster_id=cluster_id, source=source, fingerprint=fp, run=run))
        elif before != (cluster_id, fp):
            changed.append(ClusterMember(pk=pk_of[uid], cluster_id=cluster_id, fingerprint=fp, run=run))
    ClusterMember.objects.bulk_create(fresh, batch_size=BATCH)
    ClusterMember.objects.bulk_update(changed, ["cluster_id", "fingerprint", "run"], batch_size=BATCH)
    if full:
        gone = [pk for uid, pk in pk_of.items() if uid not in seen]
        for i in range(0, len(gone), BATCH):
            ClusterMember.objects.filter(pk__in=gone[i:i + BATCH]).delete()


def _side(uid: str, own: Owners) -> tuple[int | None, int | None]:
    """(official pk, unit pk) of the official a record belongs to, if any."""
    kind, _, key = uid.partition(":")
    official_id = key if kind == "official" else own.relatives.get(key, "") if kind == "relative" else ""
    return own.officials.get(official_id, (None, None))


def _store_pairs(pairs: pa.Table, *, full: bool, prints: dict[str, tuple[str, str]], own: Owners,
                 run: ResolutionRun) -> int:
    """Insert new pairs, refresh known ones; a full run retires the pairs it no longer finds. Returns new pairs."""
    known = {(l_, r_, k): pk for l_, r_, k, pk in LinkPair.objects.values_list(
        "unique_id_l", "unique_id_r", "data_key", "pk").iterator(chunk_size=20000)}
    fresh, refreshed = [], []
    for row in pairs.to_pylist():
        left, right = row["unique_id_l"], row["unique_id_r"]
        (source_l, fp_l), (source_r, fp_r) = prints[left], prints[right]
        key = _digest(fp_l, fp_r)
        evidence = json.loads(row["evidence"]) if row["evidence"] else {}
        values = {"match_probability": float(row["match_probability"]), "match_weight": float(row["match_weight"]),
                  "evidence": evidence, "active": True, "last_run": run}
        pk = known.get((left, right, key))
        if pk is None:
            (off_l, unit_l), (off_r, unit_r) = _side(left, own), _side(right, own)
            fresh.append(LinkPair(unique_id_l=left, unique_id_r=right, source_l=source_l, source_r=source_r,
                                  fingerprint_l=fp_l, fingerprint_r=fp_r, data_key=key, official_l_id=off_l,
                                  official_r_id=off_r, unit_l_id=unit_l, unit_r_id=unit_r, run=run, **values))
        else:
            refreshed.append(LinkPair(pk=pk, **values))
    if full:
        LinkPair.objects.filter(active=True).update(active=False)
    LinkPair.objects.bulk_create(fresh, batch_size=BATCH)
    LinkPair.objects.bulk_update(refreshed, ["match_probability", "match_weight", "evidence", "active", "last_run"],
                                 batch_size=BATCH)
    return len(fresh)


# ---------------------------------------------------------------- findings


def _records(persons: pa.Table, wanted: set[str], prints: dict[str, tuple[str, str]], own: Owners,
             ) -> list[core.LinkedRecord]:
    con = duckdb.connect(":memory:")
    try:
        con.register("persons", persons)
        con.register("wanted", pa.table({"unique_id": pa.array(sorted(wanted), pa.string())}))
        rows = con.sql("SELECT p.* FROM persons p JOIN wanted USING (unique_id) ORDER BY unique_id").fetchall()
        names = [d[0] for d in con.sql("SELECT * FROM persons LIMIT 0").description]
    finally:
        con.close()
    out = []
    for values in rows:
        row = dict(zip(names, values, strict=True))
        kind, _, key = row["unique_id"].partition(":")
        official_id = key if kind == "official" else own.relatives.get(key, "") if kind == "relative" else ""
        docs = tuple(core.LinkedDocument(d, t or "", d not in own.invalid_documents)
                     for d, t in zip(row["documents"] or [], row["document_types"] or [], strict=False))
        name = " ".join(p for p in (row["name_zh"], row["surname"], row["given_name"]) if p)
        latin = "".join(f"{row['surname'] or ''}{row['given_name'] or ''}".upper().split())
        out.append(core.LinkedRecord(
            unique_id=row["unique_id"], source=row["source"], name=name, han="".join((row["name_zh"] or "").split()),
            latin=latin if latin.isascii() else "", birth_date=row["birth_date"],
            sex=row["sex"] or "", id_number=row["id_number"] or "", official_id=official_id, documents=docs,
            events=tuple(row["events"] or ()), fingerprint=prints[row["unique_id"]][1],
        ))
    return out


def _shared_id_numbers(persons: pa.Table) -> set[str]:
    con = duckdb.connect(":memory:")
    try:
        con.register("persons", persons)
        rows = con.sql("""SELECT unique_id FROM persons WHERE id_number IN (
                              SELECT id_number FROM persons WHERE id_number IS NOT NULL
                              GROUP BY id_number HAVING count(*) > 1)""").fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


def linkage_input(persons: pa.Table, prints: dict[str, tuple[str, str]], own: Owners, *, today: date,
                  ) -> core.Linkage:
    """The rules' ``linkage`` input: active pairs an inspector has not rejected, and their records."""
    edges = [
        core.LinkEdge(str(pk), left, right, prob, weight, evidence or {})
        for pk, left, right, prob, weight, evidence in LinkPair.objects.filter(active=True).exclude(
            review=Verdict.REJECTED).values_list("pk", "unique_id_l", "unique_id_r", "match_probability",
                                                 "match_weight", "evidence").iterator(chunk_size=20000)
    ]
    wanted = {e.unique_id_l for e in edges} | {e.unique_id_r for e in edges} | _shared_id_numbers(persons)
    wanted &= set(prints)
    return core.build(_records(persons, wanted, prints, own), edges, screened=_screened(today))


def _screened(today: date) -> frozenset[tuple[str, str]]:
    """(person, list/entry) pairs continuous screening raised, or that an inspector rejected in match review."""
    pairs = set()
    # Filtered here, not with exclude(details__source=…): a missing key is NULL, and NOT (NULL = 'linkage')
    # would drop every finding of continuous screening, which has no "source".
    for details in Finding.objects.filter(code="screening.possible_match").values_list(
            "details", flat=True).iterator(chunk_size=5000):
        if isinstance(details, dict) and details.get("subject") and details.get("source") != "linkage":
            pairs.add((str(details["subject"]), f"{details.get('list')}/{details.get('entry_id')}"))
    rejected = MatchJudgement.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today),
                                             verdict="rejected").values_list("subject_key", "list_name", "entry_id")
    pairs.update((subject, f"{list_name}/{entry}") for subject, list_name, entry in rejected)
    return frozenset(pairs)


def identity_ruleset() -> Ruleset:
    """The configured ruleset narrowed to the four rules that read ``linkage``."""
    configured = configured_ruleset()
    return Ruleset(version=configured.version, rules=tuple(r for r in configured.rules if r.code in CODES),
                   disabled=configured.disabled, overrides=configured.overrides)


def raise_findings(persons: pa.Table, prints: dict[str, tuple[str, str]], own: Owners, *, today: date,
                   ) -> tuple[dict[str, int], StoreResult]:
    ruleset = identity_ruleset()
    inputs: dict[str, Any] = {"linkage": linkage_input(persons, prints, own, today=today), "travel_crossings": (),
                              "documents": (), "screening_hits": ()}
    findings = list(ruleset.evaluate(inputs, as_of=today))
    stored = store_findings(findings=findings, ruleset=ruleset.version, actor="system:resolve")
    _tag_pairs(findings)
    return dict(Counter(f.code for f in findings)), stored


def _tag_pairs(findings: Iterable[Any]) -> None:
    """Note on each active pair the finding codes it supports, for the review list's filter."""
    codes: dict[int, set[str]] = defaultdict(set)
    for f in findings:
        for pair in f.details.get("pairs", ()):
            codes[int(pair["pair"])].add(f.code)
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for pk, found in codes.items():
        groups[tuple(sorted(found))].append(pk)
    LinkPair.objects.filter(active=True).exclude(codes=[]).update(codes=[])
    for tagged, pks in groups.items():
        for i in range(0, len(pks), BATCH):
            LinkPair.objects.filter(pk__in=pks[i:i + BATCH]).update(codes=list(tagged))


class _Clock:
    """Seconds per step of a run, reported to ``step`` as each one ends."""

    def __init__(self, step: Step | None) -> None:
        self.seconds: dict[str, float] = {}
        self.step = step
        self.last = time.perf_counter()

    def __call__(self, label: str) -> None:
        now = time.perf_counter()
        self.seconds[label] = round(now - self.last, 3)
        self.last = now
        if self.step:
            self.step(label)


def _model(persons: pa.Table, *, train: bool) -> tuple[dict[str, Any], str]:
    if train:
        model, path = train_model(persons)
        return model, str(path)
    return current_model(), ""


def _finish(run: ResolutionRun, *, pairs: int, by_code: dict[str, int], stored: StoreResult) -> int:
    """Write the run's counts; return the number of clusters of two or more records."""
    multi = ClusterMember.objects.values("cluster_id").order_by().annotate(n=Count("id")).filter(n__gt=1).count()
    ResolutionRun.objects.filter(pk=run.pk).update(pairs=pairs, clusters=multi, findings=by_code,
                                                   findings_created=stored.created, finished_at=datetime.now(UTC))
    run.refresh_from_db()
    return multi


def resolve(*, engine: str = "duckdb", full: bool = False, train: bool = False, threshold: float | None = None,
            actor: Actor = None, today: date | None = None, step: Step | None = None) -> ResolveResult:
    """Link the persons, store the run, its pairs and clusters, raise findings; one audit row for the run."""
    clock = _Clock(step)
    started = datetime.now(UTC)
    today = today or default_as_of()
    threshold = linkage.THRESHOLD if threshold is None else float(threshold)
    persons = gather_persons(today=today)
    prints, own = fingerprints(persons), owners(today=today)
    clock("gather")
    model, model_path = _model(persons, train=train)
    version = linkage.model_version(model)
    known = {uid: (cluster, fp) for uid, cluster, fp in
             ClusterMember.objects.values_list("unique_id", "cluster_id", "fingerprint").iterator(chunk_size=20000)}
    reason = _full_reason(full=full, prints=prints, known=known, version=version, threshold=threshold)
    result, linked = _link(persons, reason=reason, known=known, engine=engine, model=model, threshold=threshold)
    clock("link")
    mode = RunMode.FULL if reason else RunMode.INCREMENTAL
    with transaction.atomic():
        run = ResolutionRun.objects.create(
            engine=engine, model_version=version, threshold=threshold, mode=mode, trained=train,
            records=persons.num_rows, linked=linked, note=reason, actor=actor_name(actor)[:150], started_at=started)
        _store_clusters(result.clusters, full=bool(reason), prints=prints, known=known, run=run)
        pairs_new = _store_pairs(result.pairs, full=bool(reason), prints=prints, own=own, run=run)
    clock("store")
    by_code, stored = raise_findings(persons, prints, own, today=today)
    clock("findings")
    multi = _finish(run, pairs=result.pairs.num_rows, by_code=by_code, stored=stored)
    record(actor=actor, action=AuditAction.JOB, object_type="job", object_id="resolve", detail={
        "run": run.pk, "engine": engine, "mode": str(mode), "reason": reason, "full": full, "train": train,
        "model_version": version, "model_path": model_path, "threshold": threshold, "records": persons.num_rows,
        "linked": linked, "pairs": result.pairs.num_rows, "pairs_new": pairs_new, "clusters": multi,
        "findings": by_code, "created": stored.created, "seconds": clock.seconds,
    })  # fmt: skip
    return ResolveResult(run=run, mode=str(mode), reason=reason, records=persons.num_rows, linked=linked,
                         pairs=result.pairs.num_rows, pairs_new=pairs_new, clusters=multi, by_code=by_code,
                         stored=stored, seconds=clock.seconds)


# ---------------------------------------------------------------- judgements


def judge_pair(*, pair: LinkPair, verdict: str, actor: Actor, reason: str = "") -> LinkJudgement:
    """Record an inspector's verdict on a pair, for the data it was scored on.

    ``rejected`` needs a reason; the pair then joins no cluster the findings are taken from, and the open
    findings resting on it are dismissed with that reason. ``confirmed`` records that the two records are
    one person (a label for the next ``--train``). One audit row for the judgement.
    """
    if verdict not in Verdict.values:
        raise ValueError(f"unknown verdict {verdict!r}")
    reason = reason.strip()
    if verdict == Verdict.REJECTED and not reason:
        raise ValueError("a rejection needs a reason")
    with transaction.atomic():
        judgement = LinkJudgement.objects.create(
            pair=pair, unique_id_l=pair.unique_id_l, unique_id_r=pair.unique_id_r, data_key=pair.data_key,
            verdict=verdict, reason=reason, actor=actor_name(actor)[:150])
        previous = pair.review
        LinkPair.objects.filter(pk=pair.pk).update(review=verdict)
        pair.review = verdict
        record(actor=actor, action=AuditAction.CREATE, obj=judgement, detail={
            "pair": pair.pk, "l": pair.unique_id_l, "r": pair.unique_id_r, "data_key": pair.data_key,
            "verdict": verdict, "previous": previous, "reason": reason})
        if verdict == Verdict.REJECTED:
            for finding in resting_on(pair):
                dismiss_finding(finding=finding, actor=actor, reason=f"linked pair {pair.pk} rejected: {reason}")
    return judgement


def record_pair_read(*, actor: Actor, pair: LinkPair, sides: Iterable[tuple[str, str] | None],
                     purpose: str = "link review") -> None:
    """Reading a pair shows two persons' records: one audit row for the pair, one per personal record shown."""
    record(actor=actor, action=AuditAction.READ, obj=pair, purpose=purpose)
    for audit in sides:
        if audit is not None:
            record(actor=actor, action=AuditAction.READ, object_type=audit[0], object_id=audit[1], purpose=purpose)


def resting_on(pair: LinkPair) -> list[Finding]:
    """Open linkage findings whose evidence names this pair."""
    marker = f"linkpair:{pair.pk}"
    candidates = Finding.objects.filter(code__in=CODES, status__in=OPEN_STATUSES, details__source="linkage")
    return [f for f in candidates if marker in (f.evidence or [])]


__all__ = ["CODES", "ResolveResult", "judge_pair", "record_pair_read", "resolve", "resting_on"]
