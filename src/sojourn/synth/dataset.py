"""A whole synthetic registry, written as the import files a user would load, with its manifest.

``generate_registry`` is deterministic for a seed: the same arguments give the same bytes.
The manifest lists every injected anomaly (and the other facts the rules should find, such
as officials whose families have emigrated) so tests can check the rules find exactly those.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from sojourn.synth.declarations import make_declarations
from sojourn.synth.documents import ANOMALY_RULES, make_documents
from sojourn.synth.duties import make_duties
from sojourn.synth.feed import CHUNK_ROWS, FeedPlan, write_feed, write_feed_csv
from sojourn.synth.registry import (
    AS_OF,
    DEADLINE_WORKING_DAYS,
    SCALES,
    Frame,
    Officials,
    make_officials,
    make_post_changes,
    make_units,
)
from sojourn.synth.relatives import CHILD, PLANS, SPOUSE, Relatives, make_relatives
from sojourn.synth.resolution import LINKAGE_DEFINITIONS, duplicate_relative
from sojourn.synth.travel import DEFAULT_CROSSINGS, TRAVEL_ANOMALY_RULES, make_travel
from sojourn.synth.watchlist import make_watchlist

GENERATOR = "sojourn.synth registry v1"
FILES = ("units", "officials", "relatives", "posts", "duties")  # the registry import kinds
DOCUMENT_FILES = ("documents",)  # imported by sojourn.custody.importing
WATCHLIST_FILES = ("watchlist",)  # imported by sojourn.screening.importing
TRAVEL_FILES = ("trips", "custody")  # trip requests and the documents' custody history
DECLARATION_FILES = ("declarations", "assets")  # imported by sojourn.declarations.importing
CSV_CROSSINGS_LIMIT = 1_000_000  # the small scale's feed is also written as crossings.csv up to this size


@dataclass
class RegistryDataset:
    """The registry, documents and travel import files (as columns of strings), the crossing feed (streamed
    when written) and the manifest."""

    frames: dict[str, Frame]
    manifest: dict[str, Any]
    feed: FeedPlan | None = None


def generate_registry(
    *, scale: str = "small", officials: int | None = None, seed: int = 0, crossings: int | None = None
) -> RegistryDataset:
    """Units, officials, relatives, post changes, documents, a watchlist, trips, custody history and a
    crossing feed of ``crossings`` events (default by scale) for ``scale`` (or ``officials`` officials)."""
    shape = SCALES[scale]
    n = officials if officials is not None else shape.officials
    units = make_units(shape)
    offs = make_officials(np.random.default_rng([seed, 1]), n, units, shape.rank_share)
    posts = make_post_changes(np.random.default_rng([seed, 2]), offs)
    rels = make_relatives(np.random.default_rng([seed, 3]), offs, PLANS[scale])
    duties = make_duties(np.random.default_rng([seed, 17]), offs, rels)
    docs = make_documents(np.random.default_rng([seed, 4]), offs)
    watch = make_watchlist(np.random.default_rng([seed, 5]), offs.frame, rels.frame)
    travel = make_travel(seed=seed, offs=offs, documents=docs.frame, anomalies={**docs.anomalies, **watch.anomalies},
                         crossings=crossings if crossings is not None else DEFAULT_CROSSINGS[scale],
                         relatives=rels.frame, watchlist=watch.frame)  # fmt: skip
    frames = {"units": units.frame, "officials": offs.frame, "relatives": rels.frame, "posts": posts.frame,
              "duties": duties.frame, "documents": travel.documents, "watchlist": watch.frame, "trips": travel.trips,
              "custody": travel.custody}  # fmt: skip
    decl = make_declarations(seed=seed, officials=offs.frame, relatives=rels.frame, documents=travel.documents,
                             journeys=travel.journeys)
    frames.update(declarations=decl.declarations, assets=decl.assets)
    # Last, so that nothing drawn before (watch list, duties, declarations) sees the second record.
    frames["relatives"], registered_twice = duplicate_relative(
        np.random.default_rng([seed, 19]), relatives=rels.frame, officials=offs.frame, watchlist=watch.frame,
        excluded=_anomalous_people(docs.anomalies, watch.anomalies, travel.anomalies))  # fmt: skip
    manifest: dict[str, Any] = {
        "generator": GENERATOR,
        "seed": seed,
        "scale": scale,
        "as_of": AS_OF.isoformat(),
        "counts": {**{name: len(next(iter(frame.values()))) for name, frame in frames.items()},
                   "crossings": travel.feed.total},
        "filing_deadline_working_days": DEADLINE_WORKING_DAYS,
        "anomalies": {
            "official_not_filed": offs.not_filed,
            "official_filed_late": offs.filed_late,
            "post_change_not_filed": posts.not_filed,
            "post_change_filed_late": posts.filed_late,
            **_ties(offs, rels),
            "ties": {"recusal_reminder": duties.recusal_reminders},  # OFFICIAL_ID:COUNTRY
            **docs.anomalies,
            **watch.anomalies,
            "travel": travel.anomalies,
            "declarations": decl.anomalies,
            "linkage": {**travel.linkage, "registered_twice": registered_twice},
        },
        "holiday": travel.holiday,
        "travel": travel.summary,
        "families_abroad": _families_abroad(offs, rels),
        "definitions": {
            "emigrated": "foreign nationality, or permanent or long-term residence abroad",
            "naked_official": "spouse emigrated, or no spouse and at least one child and all children emigrated",
            "relative_settled_abroad": f"spouse or child abroad since {AS_OF.isoformat()} minus 365 days "
            "or earlier, without having emigrated",
            "recusal_reminder": "duties concern a country where a spouse or child emigrated to or has lived "
            f"since {AS_OF.isoformat()} minus 365 days or earlier",
            "document_anomaly_rules": ANOMALY_RULES,
            "travel_anomaly_rules": TRAVEL_ANOMALY_RULES,
            "linkage": LINKAGE_DEFINITIONS,
        },
    }
    return RegistryDataset(frames, manifest, travel.feed)


def _anomalous_people(*parts: dict[str, Any]) -> set[str]:
    """Official and relative ids named in any of these anomaly lists."""
    out: set[str] = set()
    for part in parts:
        for items in part.values():
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict):
                    out |= {str(item[k]) for k in ("official_id", "relative_id") if k in item}
    return out


def _ties(offs: Officials, rels: Relatives) -> dict[str, list[str]]:
    """Officials whose families have emigrated, and relatives settled abroad without emigrating."""
    n = len(offs.ids)

    def count(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        return np.bincount(rels.owner[mask], minlength=n)

    spouse, child = rels.relationship == SPOUSE, rels.relationship == CHILD
    children = count(child)
    naked = (count(spouse & rels.emigrated) > 0) | (
        (count(spouse) == 0) & (children > 0) & (count(child & rels.emigrated) == children)
    )
    year_ago = np.datetime64(AS_OF) - np.timedelta64(365, "D")
    settled = (spouse | child) & rels.abroad & ~rels.emigrated & (rels.abroad_since <= year_ago)
    relative_ids = rels.frame["relative_id"]
    return {
        "naked_official": [offs.ids[i] for i in np.flatnonzero(naked)],
        "naked_official_in_restricted_post": [offs.ids[i] for i in np.flatnonzero(naked & offs.restricted)],
        "relative_settled_abroad": [relative_ids[i] for i in np.flatnonzero(settled)],
    }


def _families_abroad(offs: Officials, rels: Relatives) -> dict[str, dict[str, dict[str, int]]]:
    """What ``sojourn report families-abroad`` must show with the default settings as of ``AS_OF``:
    people and cases (one official's spouses and children in one destination group) by destination
    group, by period of emigration (``emigrated_on``, else ``abroad_since``) and by category."""
    from sojourn.reports.destinations import CATEGORIES, DEFAULT_SENIOR_RANKS, Groups, Periods

    groups, periods = Groups(), Periods()
    close = np.flatnonzero(rels.abroad & np.isin(rels.relationship, (SPOUSE, CHILD)))
    group = np.array([groups.group_of(c) for c in rels.country[close].tolist()], dtype=object)
    owner = rels.owner[close]
    on = np.where(np.isnat(rels.emigrated_on[close]), rels.abroad_since[close], rels.emigrated_on[close])
    period = np.array([periods.key_of(d, AS_OF) for d in on.astype(object).tolist()], dtype=object)
    senior = np.isin(np.array(offs.frame["rank"]), DEFAULT_SENIOR_RANKS)[owner]
    activity = rels.activity[close]

    def tally(keys: npt.NDArray[np.object_], order: list[str], always: set[str]) -> dict[str, dict[str, int]]:
        out = {}
        for key in order:
            mask = keys == key
            if key in always or mask.any():
                cases = len(set(zip(owner[mask].tolist(), group[mask].tolist(), strict=True)))
                out[key] = {"people": int(mask.sum()), "cases": cases}
        return out

    names = list(groups.names)
    labels = list(periods.keys(AS_OF))
    by_category: dict[str, dict[str, int]] = {}
    for key, mask in zip(CATEGORIES, (np.ones(len(close), dtype=bool), senior, activity == "business",
                                            activity == "study"), strict=True):
        cases = len(set(zip(owner[mask].tolist(), group[mask].tolist(), strict=True)))
        by_category[key] = {"people": int(mask.sum()), "cases": cases}
    return {
        "by_destination": tally(group, names, set(names[:-1])),
        "by_period": tally(period, labels, set(labels[1:-1])),
        "by_category": by_category,
    }


def write_registry(dataset: RegistryDataset, out: Path, *, chunk_rows: int = CHUNK_ROWS) -> list[Path]:
    """Write ``units.csv``, ``officials.csv``, ``relatives.csv``, ``posts.csv``, ``duties.csv``, ``documents.csv``,
    ``watchlist.csv``, ``trips.csv``, ``custody.csv``, the crossing feed as ``crossings/part-*.parquet``
    (at most ``chunk_rows`` rows each; at the small scale also ``crossings.csv``) and ``manifest.json``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in (*FILES, *DOCUMENT_FILES, *WATCHLIST_FILES, *TRAVEL_FILES, *DECLARATION_FILES):
        frame = dataset.frames[name]
        path = out / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(frame.keys())
            writer.writerows(zip(*frame.values(), strict=True))
        written.append(path)
    if dataset.feed is not None:
        written += write_feed(dataset.feed, out / "crossings", chunk_rows=chunk_rows)
        if dataset.manifest["scale"] == "small" and dataset.feed.total <= CSV_CROSSINGS_LIMIT:
            written.append(write_feed_csv(dataset.feed, out / "crossings.csv"))
    manifest = out / "manifest.json"
    manifest.write_text(
        json.dumps(dataset.manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8"
    )
    return [*written, manifest]
