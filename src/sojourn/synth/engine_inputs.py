"""The batch engine's inputs for benchmarks, written directly in ``sojourn.engine.schema``'s schemas.

``write_engine_inputs`` skips the registry import files and the Django models: officials are
drawn with the feed's name tables (passport pinyin by frequency), their documents numbered by
a bijective scramble (series letters ``A``–``M``, so the feed's ``N``–``Y`` never meet them),
every document handed in before 2025 or soon after the official became covered, and the same
trips, crossings and injected anomalies as ``sojourn synth`` (``sojourn.synth.journeys``).
Everything is vectorised; ten million officials take well under a minute.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sojourn.engine.schema import CUSTODY_SPANS, DOCUMENTS, OFFICIALS, TRIPS
from sojourn.synth.calendar import END, EPOCH_DAY, HOLIDAY, Ints, below, permute, pick
from sojourn.synth.feed import (
    LETTERS,
    UNDECLARED_FROM,
    UNDECLARED_LETTER,
    FeedPlan,
    KeySet,
    covered_positions,
    layout,
    make_name_table,
    number_codes,
    person_key,
    write_feed,
)
from sojourn.synth.ids import PROVINCES, WEIGHTS
from sojourn.synth.journeys import (
    APPROVED,
    INTAKE,
    KINDS,
    LOST,
    PURPOSES,
    RETURN,
    Holders,
    K,
    covered_rows,
    covered_table,
    destinations,
    holiday_classes,
    plan_travel,
)
from sojourn.synth.registry import AS_OF

GENERATOR = "sojourn.synth engine inputs v1"
PASSPORT_SHARE, PERMIT_SHARE = 0.93, 0.2
RECENT_SHARE = 0.03  # officials whose documents were handed in during the period
_SPACE = 12 * 10_000_000  # series letters A..M
_COUNTIES = np.array([int(c) for p in PROVINCES for c in p[3]], dtype=np.int64)
_CHECK = np.array(list("10X98765432"))


def _digits(value: Ints, width: int) -> pa.Array:
    return pc.utf8_slice_codeunits(pc.cast(pa.array(value + 10**width), pa.string()), 1)


def _id_numbers(birth: Ints, male: np.ndarray, salt: int) -> pa.Array:
    """Valid, unique 18-digit ID numbers: within each (birth date, sex) the rank picks county and sequence."""
    order = np.lexsort((male, birth))
    group = birth[order] * 2 + male[order]
    start = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    rank = np.empty(len(birth), dtype=np.int64)
    rank[order] = np.arange(len(order)) - np.repeat(start, np.diff(np.r_[start, len(order)]))
    region = _COUNTIES[(rank // 500 + salt) % len(_COUNTIES)]
    seq = (rank % 500) * 2 + male
    ymd = np.datetime64("1970-01-01") + birth.astype("timedelta64[D]")
    years = ymd.astype("datetime64[Y]").astype(np.int64) + 1970
    months = ymd.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (ymd - ymd.astype("datetime64[M]")).astype(np.int64) + 1
    date_num = years * 10000 + months * 100 + days
    total = np.zeros(len(birth), dtype=np.int64)
    for start_at, value, width in ((0, region, 6), (6, date_num, 8), (14, seq, 3)):
        for k in range(width):
            total += ((value // 10 ** (width - 1 - k)) % 10) * WEIGHTS[start_at + k]
    return pc.binary_join_element_wise(_digits(region, 6), _digits(date_num, 8), _digits(seq, 3),
                                       pa.array(_CHECK[total % 11]), "")  # fmt: skip


def _numbers(prefix: str, index: Ints, salt: int) -> tuple[pa.Array, Ints]:
    """Unique numbers ``prefix`` + letter A..M + 7 digits, and their codes (letter * 10**7 + digits)."""
    code = permute(index, _SPACE, salt)
    letters = pa.array(list(LETTERS)).take(pa.array(code // 10_000_000))
    text = pc.binary_join_element_wise(prefix, letters, _digits(code % 10_000_000, 7), "")
    return text, code


def _date32(day_since_start: Ints) -> pa.Array:
    return pa.array((day_since_start + EPOCH_DAY).astype(np.int32), pa.int32()).cast(pa.date32())


def write_engine_inputs(out: Path, *, officials: int, crossings: int, seed: int = 0,
                        covered_share: float = 0.01) -> dict[str, Any]:  # fmt: skip
    """Write ``officials.parquet``, ``documents.parquet``, ``custody_spans.parquet``, ``trips.parquet`` and
    ``feed/part-*.parquet`` (schemas of ``sojourn.engine.schema``) and ``manifest.json``; return the manifest.

    About ``covered_share`` of the feed's travellers are covered officials on their registry documents
    (or, where injected, on other documents), with the same kinds of injected anomalies as ``sojourn synth``.
    """
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 60])
    n = officials
    names = make_name_table()
    s_off, s_cdf = names.surname_cdf[0]
    u = rng.random((6, n))
    male = u[0] < 0.6
    surname = s_off + pick(u[1], s_cdf)
    given = np.empty(n, dtype=np.int64)
    for sex, (g_off, g_cdf) in names.given_cdf[0].items():
        given[male == sex] = g_off + pick(u[2][male == sex], g_cdf)
    birth = EPOCH_DAY + END - (23 * 365 + (u[3] * 42 * 365).astype(np.int64))  # days since 1970
    sur_text, giv_text = names.surnames.take(pa.array(surname)), names.given.take(pa.array(given))
    official_pk = np.arange(1, n + 1, dtype=np.int64)
    sex_text = pa.array(np.where(male, "M", "F"))
    birth32 = pa.array(birth.astype(np.int32), pa.int32()).cast(pa.date32())
    table = pa.table({
        "official_pk": official_pk,
        "official_id": pc.binary_join_element_wise("SJ", _digits(official_pk, 8), ""),
        "unit_pk": 1 + below(u[4], max(1, n // 50)),
        "name_key": pc.binary_join_element_wise(sur_text, giv_text, ""),
        "birth_date": birth32,
        "sex": sex_text,
        "id_number": _id_numbers(birth, male, seed),
    }, schema=OFFICIALS)  # fmt: skip
    pq.write_table(table, out / "officials.parquet", compression="zstd")
    official_ids = table["official_id"].combine_chunks()
    del table

    # Documents: a passport for most, a Hong Kong/Macau permit for some; all handed in.
    has_p = u[5] < PASSPORT_SHARE
    has_m = rng.random(n) < PERMIT_SHARE
    p_owner, m_owner = np.flatnonzero(has_p), np.flatnonzero(has_m)
    owner = np.concatenate([p_owner, m_owner])
    salt = int(rng.integers(0, _SPACE))
    p_num, p_code = _numbers("E", np.arange(len(p_owner)), salt)
    m_num, m_code = _numbers("C", np.arange(len(m_owner)), salt)
    number = pa.concat_arrays([p_num, m_num])
    doc_type = pa.array(np.repeat(["passport_ordinary", "permit_hk_macau"], [len(p_owner), len(m_owner)]))
    recent = rng.random(n) < RECENT_SHARE
    official_intake = np.where(recent, below(rng.random(n), 420), -1 - below(rng.random(n), 3650))
    intake = official_intake[owner] + below(rng.random(len(owner)), 8)
    passport = np.full(n, -1, dtype=np.int64)
    permit = np.full(n, -1, dtype=np.int64)
    passport[p_owner] = np.arange(len(p_owner))
    permit[m_owner] = len(p_owner) + np.arange(len(m_owner))
    holders = Holders(n, np.ones(n, dtype=bool), passport, permit, intake, np.ones(len(owner), dtype=bool), owner)
    nc_travellers = layout(crossings).travellers
    wanted = min(n, round(covered_share / (1 - covered_share) * nc_travellers))
    plan = plan_travel(rng, holders, wanted)

    # Custody spans and lost documents.
    e = plan.event
    lost_rows = e["kind"] == LOST
    status = np.full(len(owner), "valid", dtype=object)
    status[e["doc"][lost_rows]] = "lost"
    lost_on = np.full(len(owner), -1, dtype=np.int64)
    lost_on[e["doc"][lost_rows]] = e["day"][lost_rows]
    document_pk = np.arange(1, len(owner) + 1, dtype=np.int64)
    pq.write_table(pa.table({
        "document_pk": document_pk, "official_pk": official_pk[owner], "doc_type": doc_type, "issuer": pa.array(
            ["CHN"] * len(owner)), "number_key": number, "status": pa.array(status.astype(str)),
        "lost_on": pa.array(np.where(lost_on >= 0, lost_on + EPOCH_DAY, 0).astype(np.int32), pa.int32(),
                            mask=lost_on < 0).cast(pa.date32()),
    }, schema=DOCUMENTS), out / "documents.parquet", compression="zstd")  # fmt: skip
    span_doc, held_from, open_ended = _span_table(e)
    pq.write_table(pa.table({"document_pk": document_pk[span_doc], "held_from": _date32(held_from),
                             "held_to": _held_to(e, open_ended)}, schema=CUSTODY_SPANS),
                   out / "custody_spans.parquet", compression="zstd")  # fmt: skip

    # Approved trips.
    t = plan.trip
    approved = np.flatnonzero(t["status"] == APPROVED)
    trip_ids = pc.binary_join_element_wise("TR", _digits(np.arange(1, len(t["official"]) + 1), 8), "")
    pq.write_table(pa.table({
        "trip_pk": approved + 1, "trip_id": trip_ids.take(pa.array(approved)),
        "official_pk": official_pk[t["official"][approved]],
        "purpose": pa.array(np.array(PURPOSES)[t["purpose"][approved]]),
        "depart_date": _date32(t["depart"][approved]), "return_date": _date32(t["ret"][approved]),
        "destinations": pa.array(np.array(destinations(t), dtype=object)[approved].tolist(), pa.string()),
    }, schema=TRIPS), out / "trips.parquet", compression="zstd")  # fmt: skip

    # The feed.
    undeclared_officials = plan.kinds["undeclared_document"]
    undeclared = np.full(n, None, dtype=object)
    numbers_u = rng.choice(10_000_000 - UNDECLARED_FROM, size=len(undeclared_officials), replace=False)
    undeclared[undeclared_officials] = [f"E{LETTERS[UNDECLARED_LETTER]}{UNDECLARED_FROM + v}" for v in numbers_u.tolist()]
    rows = covered_rows(plan)
    total = max(crossings, len(rows.official))
    covered = covered_table(rows, doc_type=doc_type, doc_number=number, undeclared=pa.array(undeclared, pa.string()),
                            surname=sur_text, given=giv_text, birth=birth32, sex=sex_text)  # fmt: skip
    name = names.surname_hash[surname] * names.given_power[given] + names.given_hash[given]
    codes = number_codes(np.concatenate([p_code, 1_000_000_000 + m_code]))
    feed = FeedPlan(seed, total, covered, covered_positions(total, len(rows.official), seed), names,
                    KeySet(person_key(name, birth, male)), codes)  # fmt: skip
    parts = write_feed(feed, out / "feed")
    counts = {name_: int(len(v)) for name_, v in plan.kinds.items()}
    j = plan.journey
    manifest: dict[str, Any] = {
        "generator": GENERATOR, "seed": seed, "as_of": AS_OF.isoformat(), "covered_share": covered_share,
        "counts": {"officials": n, "documents": len(owner), "custody_spans": int(len(span_doc)),
                   "trips": int(len(approved)), "crossings": total, "covered_crossings": int(len(rows.official)),
                   "covered_travellers": int(len(np.unique(j["official"]))),
                   "travellers": int(len(np.unique(j["official"]))) + feed.layout.travellers,
                   "feed_parts": len(parts)},
        "anomalies": counts,
        "expected_findings": _expected(plan, rows, counts),
        "holiday": {"from": HOLIDAY[0].isoformat(), "to": HOLIDAY[1].isoformat(), "as_of": AS_OF.isoformat(),
                    **holiday_classes(plan)},
        "official_ids_sample": official_ids.slice(0, 3).to_pylist(),
    }  # fmt: skip
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", "utf-8")
    return manifest


def _span_table(e: dict[str, Ints]) -> tuple[Ints, Ints, np.ndarray]:
    opens = np.flatnonzero(np.isin(e["kind"], [INTAKE, RETURN]))
    nxt = np.minimum(opens + 1, len(e["doc"]) - 1)
    closed = (opens + 1 < len(e["doc"])) & (e["doc"][nxt] == e["doc"][opens])
    return e["doc"][opens], e["day"][opens], ~closed


def _held_to(e: dict[str, Ints], open_ended: np.ndarray) -> pa.Array:
    opens = np.flatnonzero(np.isin(e["kind"], [INTAKE, RETURN]))
    nxt = np.minimum(opens + 1, len(e["doc"]) - 1)
    day = e["day"][nxt]
    return pa.array((day + EPOCH_DAY).astype(np.int32), pa.int32(), mask=open_ended).cast(pa.date32())


def _expected(plan: Any, rows: Any, counts: dict[str, int]) -> dict[str, int]:
    """How many findings of each code the reconciliation should raise for the injected anomalies."""
    kind = plan.journey["kind"][rows.journey]
    crossings_of = {name: int((kind == K[name]).sum()) for name in KINDS}
    return {
        "travel.exit_unapproved": counts["exit_unapproved"],
        "travel.itinerary_deviation": counts["early_departure"] + counts["other_country"],
        "travel.return_overdue": counts["late_return"] + counts["overdue"] + counts["missing"],
        "travel.missing": counts["missing"],
        "travel.undeclared_document": counts["undeclared_document"] + crossings_of["document_in_custody"],
        "document.lost_or_stolen_used": crossings_of["lost_document_used"],
        "travel.excessive": counts["excessive"],
    }
