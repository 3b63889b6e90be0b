"""What identity resolution adds to four existing rules: the records it found to be one person.

Identity resolution (``sojourn.engine.linkage``) links officials, relatives, travellers (a document
seen at the border that the registry does not know) and watch-list entries into clusters. The
rules ``travel.undeclared_document``, ``document.identity_conflict``, ``document.duplicate_holding``
and ``screening.possible_match`` read the optional input ``linkage`` (a ``Linkage``) besides their
usual inputs, and call the functions here. Clusters are taken over the pairs an inspector has not
rejected, so a rejected pair never joins two records again for the same data.

Every finding names the linked pairs (``linkpair:<id>``), their scores and per-comparison
evidence, and says that it is a flag for review: a probabilistic link is not proof of identity.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sojourn.core.rules.custody import DOC_TYPE_LABELS
from sojourn.core.rules.model import Finding, Severity

LINKAGE_NOTE = ("Identity resolution links these records as one person; a flag for review, not proof of "
                "identity.")
# Document classes a person should hold one valid document of (as ``document.duplicate_holding``).
CLASSES = {"passport_ordinary": "passport", "passport_official": "passport", "passport_service": "passport",
           "passport_diplomatic": "passport", "permit_hk_macau": "permit_hk_macau",
           "permit_taiwan": "permit_taiwan"}


@dataclass(frozen=True)
class LinkedDocument:
    key: str  # ISSUER:NUMBER
    doc_type: str = ""
    valid: bool = True

    @property
    def label(self) -> str:
        issuer, _, number = self.key.partition(":")
        kind = DOC_TYPE_LABELS.get(self.doc_type, self.doc_type.replace("_", " ") or "document")
        return f"{kind} {issuer} {number}"


@dataclass(frozen=True)
class LinkedRecord:
    """One record of the PERSONS table, with the registry official it belongs to (if any)."""

    unique_id: str  # official:<id> | relative:<id> | traveller:<ISSUER>:<NUMBER> | watchlist:<list>:<entry>
    source: str  # official | relative | traveller | watchlist
    name: str  # the name as written (characters and Latin)
    han: str = ""  # the characters, spaces removed
    latin: str = ""  # surname + given name in Latin letters, upper-cased, spaces removed
    birth_date: date | None = None
    sex: str = ""
    id_number: str = ""
    official_id: str = ""  # the official itself, or the official a relative is declared by
    documents: tuple[LinkedDocument, ...] = ()
    events: tuple[str, ...] = ()
    fingerprint: str = ""  # digest of the identifying fields

    @property
    def key(self) -> str:
        return self.unique_id.partition(":")[2]

    @property
    def who(self) -> str:
        born = f", born {self.birth_date:%Y-%m-%d}" if self.birth_date else ""
        if self.source == "official":
            return f"official {self.key} {self.name}{born}"
        if self.source == "relative":
            return f"relative {self.key} {self.name}{born} (declared by official {self.official_id})"
        if self.source == "traveller":
            return f"the traveller on document {self.key} ({self.name}{born})"
        return f"watch-list entry {self.key} ({self.name}{born})"


@dataclass(frozen=True)
class LinkEdge:
    """A pair the model kept: its stored id, score and per-comparison evidence."""

    pair_id: str
    unique_id_l: str
    unique_id_r: str
    match_probability: float
    match_weight: float
    evidence: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def summary(self) -> dict[str, Any]:
        return {"pair": self.pair_id, "l": self.unique_id_l, "r": self.unique_id_r,
                "match_probability": round(self.match_probability, 6), "match_weight": round(self.match_weight, 3),
                "evidence": dict(self.evidence)}


@dataclass(frozen=True)
class LinkedCluster:
    cluster_id: str
    records: tuple[LinkedRecord, ...]
    edges: tuple[LinkEdge, ...]

    def path(self, a: str, b: str) -> tuple[LinkEdge, ...]:
        """The pairs that join records ``a`` and ``b`` (shortest chain; empty if they are the same record)."""
        adjacent: dict[str, list[tuple[str, LinkEdge]]] = defaultdict(list)
        for e in self.edges:
            adjacent[e.unique_id_l].append((e.unique_id_r, e))
            adjacent[e.unique_id_r].append((e.unique_id_l, e))
        came: dict[str, tuple[str, LinkEdge] | None] = {a: None}
        queue = deque([a])
        while queue:
            node = queue.popleft()
            if node == b:
                break
            for nxt, edge in sorted(adjacent[node], key=lambda item: item[1].pair_id):
                if nxt not in came:
                    came[nxt] = (node, edge)
                    queue.append(nxt)
        chain: list[LinkEdge] = []
        node = b
        while came.get(node) is not None:
            prev, edge = came[node]  # type: ignore[misc]  # not None: checked in the loop condition
            chain.append(edge)
            node = prev
        return tuple(reversed(chain))


@dataclass(frozen=True)
class Linkage:
    """The clusters of two or more records, over the pairs not rejected by an inspector."""

    clusters: tuple[LinkedCluster, ...] = ()
    by_id_number: Mapping[str, tuple[LinkedRecord, ...]] = field(default_factory=dict)
    edges_by_ids: Mapping[tuple[str, str], LinkEdge] = field(default_factory=dict)
    # (subject unique_id, "list/entry") pairs continuous screening already raised or an inspector rejected
    # there: not raised a second time from a link.
    screened: frozenset[tuple[str, str]] = frozenset()


def components(records: Mapping[str, LinkedRecord], edges: Sequence[LinkEdge]) -> tuple[LinkedCluster, ...]:
    """Connected components (two or more records) of ``edges``; labelled by their smallest unique_id."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in edges:
        if e.unique_id_l in records and e.unique_id_r in records:
            ra, rb = find(e.unique_id_l), find(e.unique_id_r)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = defaultdict(list)
    for uid in parent:
        members[find(uid)].append(uid)
    grouped: dict[str, list[LinkEdge]] = defaultdict(list)
    for e in edges:
        if e.unique_id_l in parent:
            grouped[find(e.unique_id_l)].append(e)
    return tuple(
        LinkedCluster(root, tuple(records[u] for u in sorted(ids)), tuple(sorted(grouped[root],
                                                                                 key=lambda e: e.pair_id)))
        for root, ids in sorted(members.items()) if len(ids) > 1
    )


def build(records: Sequence[LinkedRecord], edges: Sequence[LinkEdge],
          screened: frozenset[tuple[str, str]] = frozenset()) -> Linkage:
    """The rules' input: components over ``edges`` and the registry records grouped by ID number."""
    by_uid = {r.unique_id: r for r in records}
    by_number: dict[str, list[LinkedRecord]] = defaultdict(list)
    for r in records:
        if r.id_number:
            by_number[r.id_number].append(r)
    return Linkage(
        clusters=components(by_uid, edges),
        by_id_number={k: tuple(v) for k, v in by_number.items() if len(v) > 1},
        edges_by_ids={(e.unique_id_l, e.unique_id_r): e for e in edges},
        screened=screened,
    )


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _details(kind: str, chain: Sequence[LinkEdge], **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "source": "linkage", "pairs": [e.summary() for e in chain],
            "match_probability": round(min((e.match_probability for e in chain), default=1.0), 6), **extra}


def _scores(chain: Sequence[LinkEdge]) -> str:
    return ", ".join(f"pair {e.pair_id} p={e.match_probability:.4f}" for e in chain)


def _pair_evidence(chain: Sequence[LinkEdge]) -> list[str]:
    return [f"linkpair:{e.pair_id}" for e in chain]


def _unique(*items: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _linkage(inputs: Mapping[str, Any]) -> Linkage | None:
    value = inputs.get("linkage")
    return value if isinstance(value, Linkage) else None


def undeclared_documents(inputs: Mapping[str, Any], *, code: str, basis: str) -> Iterator[Finding]:
    """A traveller (a document the registry does not know) linked to an official: one finding per
    official and document, naming the document and its crossings."""
    linkage = _linkage(inputs)
    if linkage is None:
        return
    for cluster in linkage.clusters:
        officials = [r for r in cluster.records if r.source == "official"]
        travellers = [r for r in cluster.records if r.source == "traveller"]
        for official in officials:
            for traveller in travellers:
                chain = cluster.path(official.unique_id, traveller.unique_id)
                events = sorted(traveller.events)
                for doc in traveller.documents:
                    issuer, _, number = doc.key.partition(":")
                    yield Finding(
                        code=code, severity=Severity.CRITICAL, official_id=official.official_id,
                        text=(f"{len(events)} crossing{'s' if len(events) != 1 else ''} on {doc.label}, a document "
                              f"the registry does not know for official {official.official_id}, by a traveller "
                              f"written as {traveller.name}"
                              + (f", born {traveller.birth_date:%Y-%m-%d}" if traveller.birth_date else "")
                              + f" ({_scores(chain)}). {LINKAGE_NOTE}"),
                        basis=basis, dedupe_key=f"{code}:{official.official_id}:{issuer}:{number}",
                        evidence=(f"official:{official.official_id}", *_pair_evidence(chain),
                                  f"document:{doc.key}", *(f"crossing:{e}" for e in events)),
                        details=_details("linked_traveller", chain, document=number, issuer=issuer,
                                         events=events, traveller=traveller.unique_id),
                    )


def _name_conflict(a: LinkedRecord, b: LinkedRecord) -> bool:
    """Different characters when both are written in characters, else different Latin spellings."""
    if a.han and b.han:
        return a.han != b.han
    return bool(a.latin and b.latin) and a.latin != b.latin


def identity_conflicts(inputs: Mapping[str, Any], *, code: str, basis: str) -> Iterator[Finding]:
    """Registry records linked as one person: two officials, an official and another official's relative,
    or two relatives (one relative registered twice); and one ID number carried by records whose name,
    birth date or sex disagree. An official and a relative they declared are two people by the
    declaration itself: a link between them is not raised."""
    linkage = _linkage(inputs)
    if linkage is None:
        return
    for cluster in linkage.clusters:
        registry = [r for r in cluster.records if r.source in ("official", "relative")]
        for i, a in enumerate(registry):
            for b in registry[i + 1:]:
                if a.official_id == b.official_id and "official" in (a.source, b.source):
                    continue
                chain = cluster.path(a.unique_id, b.unique_id)
                data = _digest(a.fingerprint, b.fingerprint)
                what = ("One person appears to be registered twice" if a.official_id == b.official_id
                        else "Registry records of different officials are linked as one person")
                for subject in sorted({a.official_id, b.official_id}):
                    yield Finding(
                        code=code, severity=Severity.CRITICAL, official_id=subject,
                        text=f"{what}: {a.who} and {b.who} ({_scores(chain)}). {LINKAGE_NOTE}",
                        basis=basis,
                        dedupe_key=f"{code}:linkage:{a.unique_id}+{b.unique_id}:{subject}:{data}",
                        evidence=_unique(f"official:{subject}", f"{a.source}:{a.key}", f"{b.source}:{b.key}",
                                  *_pair_evidence(chain)),
                        details=_details("linked_registry_records", chain, records=[a.unique_id, b.unique_id]),
                    )
    for number, group in sorted(linkage.by_id_number.items()):
        records = [r for r in group if r.source != "traveller"]
        for i, a in enumerate(records):
            for b in records[i + 1:]:
                clashes = [what for what, bad in (
                    ("name", _name_conflict(a, b)),
                    ("birth date", a.birth_date is not None and b.birth_date is not None
                     and a.birth_date != b.birth_date),
                    ("sex", bool(a.sex and b.sex) and a.sex != b.sex),
                ) if bad]
                subjects = sorted({r.official_id for r in (a, b) if r.official_id})
                if not clashes or not subjects:
                    continue
                edge = linkage.edges_by_ids.get((min(a.unique_id, b.unique_id), max(a.unique_id, b.unique_id)))
                chain = (edge,) if edge else ()
                data = _digest(a.fingerprint, b.fingerprint)
                for subject in subjects:
                    yield Finding(
                        code=code, severity=Severity.CRITICAL, official_id=subject,
                        text=(f"ID number {number} is carried by {a.who} and by {b.who}, whose "
                              f"{', '.join(clashes)} disagree. A flag for review."),
                        basis=basis, dedupe_key=f"{code}:id-number:{a.unique_id}+{b.unique_id}:{subject}:{data}",
                        evidence=_unique(f"official:{subject}", f"{a.source}:{a.key}", f"{b.source}:{b.key}",
                                  *_pair_evidence(chain)),
                        details=_details("id_number_conflict", chain, id_number=number, conflicts=clashes,
                                         records=[a.unique_id, b.unique_id]),
                    )


def duplicate_holdings(inputs: Mapping[str, Any], *, code: str, basis: str) -> Iterator[Finding]:
    """A linked person holding two or more valid documents of one class across records (the registry's
    and a traveller's): e.g. the passport in custody and a second one seen at the border."""
    linkage = _linkage(inputs)
    if linkage is None:
        return
    for cluster in linkage.clusters:
        officials = [r for r in cluster.records if r.source == "official"]
        if not officials:
            continue
        held: dict[str, dict[str, tuple[LinkedRecord, LinkedDocument]]] = defaultdict(dict)
        for record in cluster.records:
            if record.source not in ("official", "traveller"):
                continue
            for doc in record.documents:
                cls = CLASSES.get(doc.doc_type)
                if cls and doc.valid:
                    held[cls].setdefault(doc.key, (record, doc))
        for cls, docs in sorted(held.items()):
            if len(docs) < 2 or len({r.unique_id for r, _d in docs.values()}) < 2:
                continue  # one record's own documents are the registry rule's business
            holders = sorted({r.unique_id for r, _d in docs.values()})
            chain = tuple(dict.fromkeys(e for h in holders[1:] for e in cluster.path(holders[0], h)))
            labels = "; ".join(d.label for _k, (_r, d) in sorted(docs.items()))
            events = sorted({e for r, _d in docs.values() for e in r.events})
            for official in officials:
                yield Finding(
                    code=code, severity=Severity.HIGH, official_id=official.official_id,
                    text=(f"Linked records of official {official.official_id} hold {len(docs)} valid documents of "
                          f"the class '{cls.replace('_', ' ')}': {labels} ({_scores(chain)}). {LINKAGE_NOTE}"),
                    basis=basis,
                    dedupe_key=f"{code}:linkage:{official.official_id}:{cls}:{'+'.join(sorted(docs))}",
                    evidence=(f"official:{official.official_id}", *_pair_evidence(chain),
                              *(f"document:{k}" for k in sorted(docs)), *(f"crossing:{e}" for e in events)),
                    details=_details("linked_documents", chain, **{"class": cls}, documents=sorted(docs),
                                     events=events),
                )


def possible_matches(inputs: Mapping[str, Any], *, code: str, basis: str) -> Iterator[Finding]:
    """A watch-list entry linked to an official, a relative, or (when no registry record is in the cluster) a
    traveller; unless continuous screening already raised that person and entry, or an inspector rejected
    the match there."""
    linkage = _linkage(inputs)
    if linkage is None:
        return
    for cluster in linkage.clusters:
        entries = [r for r in cluster.records if r.source == "watchlist"]
        if not entries:
            continue
        subjects = [r for r in cluster.records if r.source in ("official", "relative")] or [
            r for r in cluster.records if r.source == "traveller"]
        for entry in entries:
            list_name, _, entry_id = entry.key.partition(":")
            for subject in subjects:
                if (subject.unique_id, f"{list_name}/{entry_id}") in linkage.screened:
                    continue
                chain = cluster.path(subject.unique_id, entry.unique_id)
                data = _digest(subject.fingerprint, entry.fingerprint)
                official_id = subject.official_id or subject.unique_id
                events = sorted(subject.events)
                probability = min((e.match_probability for e in chain), default=1.0)
                yield Finding(
                    code=code, severity=Severity.HIGH, official_id=official_id,
                    text=(f"{subject.who[0].upper()}{subject.who[1:]} may be entry {entry_id} on list {list_name} "
                          f"({entry.name}): {_scores(chain)}. {LINKAGE_NOTE}"),
                    basis=basis,
                    dedupe_key=f"{code}:linkage:{subject.unique_id}:{list_name}/{entry_id}:{data}",
                    evidence=(*((f"official:{subject.official_id}",) if subject.official_id else ()),
                              f"{subject.source}:{subject.key}", f"watchlist:{list_name}/{entry_id}",
                              *_pair_evidence(chain), *(f"crossing:{e}" for e in events)),
                    details=_details("linked_watchlist_entry", chain, subject=subject.unique_id, list=list_name,
                                     entry_id=entry_id, data_key=data, score=round(probability, 4),
                                     explanations=[_explain(e) for e in chain], events=events),
                )


def _explain(edge: LinkEdge) -> str:
    parts = [f"{name}: {item.get('label', '')}" for name, item in sorted(edge.evidence.items())
             if isinstance(item, Mapping)]
    return f"pair {edge.pair_id} (p={edge.match_probability:.4f}): " + "; ".join(parts)
