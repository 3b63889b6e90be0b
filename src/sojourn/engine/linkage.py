"""Identity resolution: which records — officials, relatives, travellers, watch-list entries — are one person.

A probabilistic (Fellegi–Sunter) model in Splink, over comparison columns that ``prepare``
derives from ``sojourn.core.names``: the romanization key set of the name (pinyin, Wade–Giles,
Hong Kong and Macau spellings meet on ``p:zhang/wei``), the simplified-character key of the
Han name, its Chinese Commercial Codes and the surname's pinyin classes. docs/linkage.md gives
the comparisons, blocking rules, threshold and training; ``scripts/train_linkage_model.py``
retrains the shipped model.

The comparisons are defined here, in Python, for any SQL dialect; the model JSON carries the
trained parameters (and Splink's DuckDB SQL, for reading). Loading a model for an engine builds
the comparisons in that engine's dialect and sets the trained m and u on them, so one model
serves DuckDB and Spark. PySpark is imported only on the Spark path.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.clustering import cluster_pairwise_predictions_at_threshold
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from sojourn.engine.linkage_names import SEPARATOR, name_table

PERSONS: pa.Schema = pa.schema([
    ("unique_id", pa.string()),
    ("source", pa.string()),
    ("name_zh", pa.string()),
    ("surname", pa.string()),
    ("given_name", pa.string()),
    ("birth_date", pa.date32()),
    ("sex", pa.string()),
    ("nationality", pa.string()),
    ("id_number", pa.string()),
    ("documents", pa.list_(pa.string())),
    ("document_types", pa.list_(pa.string())),
    ("events", pa.list_(pa.string())),
])

# Pairs at or above this match probability are kept and clustered (docs/linkage.md, "Threshold").
THRESHOLD = 0.9
DEFAULT_MODEL_PATH = Path(__file__).with_name("linkage_model.json")
# The comparisons' design: a model trained for another design cannot be loaded.
DESIGN = "names-v1"
ENGINES = ("duckdb", "spark")

Model = dict[str, Any]


@dataclass(frozen=True)
class Resolution:
    """Pairs kept (with per-comparison evidence) and the cluster of every record."""

    pairs: pa.Table
    clusters: pa.Table
    model_version: str
    engine: str


# ---------------------------------------------------------------- comparison columns


def _blank_to_null(column: pa.ChunkedArray) -> pa.ChunkedArray:
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def prepare(persons: pa.Table) -> pa.Table:
    """PERSONS with the derived comparison columns (name keys, Han key, CCC, surname classes, birth parts).

    Names are computed once per distinct (name_zh, surname, given_name): registers repeat names.
    Many distinct names are shared out over the cores (``linkage_names.name_table``).
    """
    persons = persons.select(PERSONS.names).cast(PERSONS)
    name_zh = pc.fill_null(persons["name_zh"], "")
    surname = pc.fill_null(persons["surname"], "")
    given = pc.fill_null(persons["given_name"], "")
    triple = pc.binary_join_element_wise(name_zh, surname, given, SEPARATOR)
    encoded = pc.dictionary_encode(triple).combine_chunks()
    names = name_table(encoded.dictionary.to_pylist()).take(encoded.indices)

    birth = persons["birth_date"]
    month = pc.month(birth)
    day = pc.day(birth)
    md = pc.binary_join_element_wise(
        pc.utf8_lpad(pc.cast(month, pa.string()), 2, "0"), pc.utf8_lpad(pc.cast(day, pa.string()), 2, "0"), "-"
    )
    documents = persons["documents"]
    has_documents = pc.greater(pc.fill_null(pc.list_value_length(documents), 0), 0)
    derived = {
        **{name: names[name] for name in ("han_key", "ccc", "name_keys", "block_keys", "surname_keys", "coarse_keys")},
        "birth_year": pc.year(birth),
        "birth_month": month,
        "birth_day": day,
        "birth_md": md,
        "document_set": pc.if_else(has_documents, documents, pa.scalar(None, documents.type)),
    }
    for name in ("sex", "nationality", "id_number"):
        persons = persons.set_column(persons.schema.get_field_index(name), name, _blank_to_null(persons[name]))
    for name, values in derived.items():
        persons = persons.append_column(name, values)
    return persons


# ---------------------------------------------------------------- the model's design


def _comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_description="Han characters, then romanization keys",
        comparison_levels=[
            cll.NullLevel("name_keys"),
            cll.ExactMatchLevel("han_key").configure(label_for_charts="same Han characters"),
            cll.Not(cll.NullLevel("han_key")).configure(label_for_charts="different Han characters"),
            cll.ArrayIntersectLevel("name_keys", 4).configure(label_for_charts="four or more name keys shared"),
            cll.ArrayIntersectLevel("name_keys", 2).configure(label_for_charts="two or three name keys shared"),
            cll.ArrayIntersectLevel("name_keys", 1).configure(label_for_charts="one name key shared"),
            cll.ElseLevel().configure(label_for_charts="no name key shared"),
        ],
    )
    surname = cl.CustomComparison(
        output_column_name="surname",
        comparison_description="Surname pinyin classes",
        comparison_levels=[
            cll.NullLevel("surname_keys"),
            cll.ArrayIntersectLevel("surname_keys", 1).configure(label_for_charts="surname may be the same"),
            cll.ElseLevel().configure(label_for_charts="different surname"),
        ],
    )
    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="Birth date with the usual slips",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date").configure(label_for_charts="same date"),
            cll.And(
                cll.ExactMatchLevel("birth_year"),
                cll.ColumnsReversedLevel("birth_month", "birth_day", symmetrical=True),
            ).configure(label_for_charts="day and month swapped"),
            cll.And(cll.ExactMatchLevel("birth_md"), cll.AbsoluteDifferenceLevel("birth_year", 1)).configure(
                label_for_charts="year one off, same day"
            ),
            cll.ExactMatchLevel("birth_year").configure(label_for_charts="same year"),
            cll.ElseLevel().configure(label_for_charts="different date"),
        ],
    )
    documents = cl.CustomComparison(
        output_column_name="documents",
        comparison_description="Document numbers",
        comparison_levels=[
            cll.NullLevel("document_set"),
            cll.ArrayIntersectLevel("document_set", 1).configure(label_for_charts="a document in common"),
            cll.ElseLevel().configure(label_for_charts="no document in common"),
        ],
    )
    return [name, surname, birth, cl.ExactMatch("sex"), cl.ExactMatch("nationality"),
            cl.ExactMatch("id_number"), documents]


# A pair's birth dates must be equal or show one of the slips the birth_date comparison knows
# (day and month swapped; year one off, same day): with the trained weights, a pair whose dates
# differ otherwise cannot reach the threshold on its names unless it shares an ID number or a
# document, which rules of their own find. At a million records this removes 57% of the candidate
# pairs and none of the kept ones (docs/linkage.md, "Blocking").
_SAME_DATE_OR_SWAPPED = (
    "l.birth_year = r.birth_year AND (l.birth_md = r.birth_md"
    " OR (l.birth_month = r.birth_day AND l.birth_day = r.birth_month))"
)
_YEAR_SLIP = "l.birth_md = r.birth_md AND ABS(l.birth_year - r.birth_year) <= 1"


def _blocking_rules() -> list[BlockingRuleCreator | dict[str, Any]]:
    # A name key alone would pair every 张伟 with every other (hundreds of thousands of pairs
    # per common name at national scale): it is combined with the birth date or its slips.
    return [
        CustomRule(f"l.block_keys = r.block_keys AND {_SAME_DATE_OR_SWAPPED}", arrays_to_explode=["block_keys"]),
        CustomRule(f"l.block_keys = r.block_keys AND {_YEAR_SLIP}", arrays_to_explode=["block_keys"]),
        block_on("id_number"),
        block_on("document_set", arrays_to_explode=["document_set"]),
        block_on("birth_date", "surname_keys", arrays_to_explode=["surname_keys"]),
        CustomRule(f"l.coarse_keys = r.coarse_keys AND {_YEAR_SLIP}", arrays_to_explode=["coarse_keys"]),
    ]


# What the evidence shows as each side's value, per comparison (SQL over the retained columns).
_SHOWN = {
    "name": "concat_ws(' ', name_zh_{s}, surname_{s}, given_name_{s})",
    "surname": "surname_{s}",
    "birth_date": "CAST(birth_date_{s} AS VARCHAR)",
    "sex": "sex_{s}",
    "nationality": "nationality_{s}",
    "id_number": "id_number_{s}",
    "documents": "array_to_string(document_set_{s}, ',')",
}


def _settings_creator() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=_blocking_rules(),
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["name_zh", "surname", "given_name"],
    )


def _settings(model: Model, dialect: str) -> dict[str, Any]:
    """The design in ``dialect`` with the model's trained parameters set on it."""
    if model.get("sojourn", {}).get("design") != DESIGN:
        raise ValueError(f"model design {model.get('sojourn', {}).get('design')!r} is not {DESIGN!r}")
    settings = _settings_creator().create_settings_dict(dialect)
    trained = {c["output_column_name"]: c["comparison_levels"] for c in model["comparisons"]}
    for comparison in settings["comparisons"]:
        levels = trained[comparison["output_column_name"]]
        for level, source in zip(comparison["comparison_levels"], levels, strict=True):
            for key in ("m_probability", "u_probability"):
                if key in source:
                    level[key] = source[key]
    settings["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    return settings


# ---------------------------------------------------------------- models


def load_model(path: Path | None = None) -> Model:
    """The model JSON: Splink settings with trained parameters and a ``"sojourn"`` block (version, threshold)."""
    model: Model = json.loads((path or DEFAULT_MODEL_PATH).read_text(encoding="utf-8"))
    return model


def model_version(model: Model) -> str:
    """The version recorded in the model's ``"sojourn"`` block."""
    return str(model["sojourn"]["version"])


def _version(model: Model) -> str:
    """``DESIGN`` plus a digest of the trained parameters: equal parameters, equal version."""
    parameters = [model["probability_two_random_records_match"]] + [
        [(lv.get("m_probability"), lv.get("u_probability")) for lv in c["comparison_levels"]]
        for c in model["comparisons"]
    ]
    digest = hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()[:12]
    return f"{DESIGN}+{digest}"


def _rounded(model: Model) -> Model:
    """Parameters to 9 significant digits: parallel sums differ in the last bits from run to run."""
    model["probability_two_random_records_match"] = float(f"{model['probability_two_random_records_match']:.9g}")
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            for key in ("m_probability", "u_probability"):
                if isinstance(level.get(key), float):
                    level[key] = float(f"{level[key]:.9g}")
    return model


def _present(table: pa.Table, *columns: str) -> bool:
    """Whether each column has a value somewhere: a rule on an empty column finds no pair."""
    return all(table[c].null_count < table.num_rows for c in columns)


# The prior's deterministic rules, most reliable first; those on columns the data lacks are dropped,
# and the exact romanized name with the birth date stands in when none is left (FEBRL: no ID, no Han).
_PRIOR_RULES: tuple[tuple[str, ...], ...] = (("id_number",), ("han_key", "birth_date"))
_PRIOR_FALLBACK: tuple[str, ...] = ("surname", "given_name", "birth_date")
# EM passes: on the birth date (trains the names), on the ID number (trains the birth date; not on
# the Han key, where namesakes 张伟 and 张伟 would teach EM that matches differ in birth date), and,
# without ID numbers, on the romanized name (trains the birth date).
_EM_RULES: tuple[tuple[str, ...], ...] = (("birth_date",), ("id_number",))
_EM_FALLBACK: tuple[str, ...] = ("surname", "given_name")


def train(
    persons: pa.Table, *, labels: pa.Table | None = None, seed: int = 1, log_level: int = logging.WARNING
) -> Model:
    """Train a model on ``persons`` (DuckDB): prior from deterministic rules, u by sampling, m by EM or labels.

    ``labels`` (unique_id_l, unique_id_r, clerical_match_score) are clerical decisions; with them
    the m probabilities come from the confirmed pairs instead of EM. Rules and EM passes on
    columns the data leaves empty are skipped (docs/linkage.md, "Training").
    """
    prepared = prepare(persons)
    for name in ("surname", "given_name"):  # a blank name is no evidence for the fallback rules
        prepared = prepared.set_column(prepared.schema.get_field_index(name), name, _blank_to_null(prepared[name]))
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(prepared), _settings_creator(), log_level=log_level)
    training = linker.training
    prior = [rule for rule in _PRIOR_RULES if _present(prepared, *rule)] or [_PRIOR_FALLBACK]
    training.estimate_probability_two_random_records_match([block_on(*rule) for rule in prior], recall=0.7)
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    if labels is not None and labels.num_rows:
        training.estimate_m_from_pairwise_labels(db_api.register(labels))  # type: ignore[no-untyped-call]  # untyped in Splink 5.0
    else:
        passes = [rule for rule in _EM_RULES if _present(prepared, *rule)]
        if not _present(prepared, "id_number") and _present(prepared, *_EM_FALLBACK):
            passes.append(_EM_FALLBACK)
        for rule in passes:
            training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
    model: Model = _rounded(linker.misc.save_model_to_json())
    model["sojourn"] = {
        "design": DESIGN,
        "trained_on": {"records": persons.num_rows, "labels": labels.num_rows if labels else 0, "seed": seed},
        "threshold": THRESHOLD,
    }
    model["sojourn"]["version"] = _version(model)
    return model


# ---------------------------------------------------------------- resolution


def _db_api(engine: str) -> DatabaseAPISubClass:
    if engine == "duckdb":
        return DuckDBAPI()
    if engine == "spark":
        from splink import SparkAPI

        from sojourn.engine.spark import session

        spark = session()
        spark.sparkContext.setLogLevel("ERROR")
        # "persist" keeps intermediate tables in executor memory; the default ("parquet") needs a
        # checkpoint directory, which a local session does not have.
        return SparkAPI(spark_session=spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]  # untyped in Splink 5.0
    raise ValueError(f"unknown engine {engine!r}; one of {ENGINES}")


def _linker(db_api: DatabaseAPISubClass, frames: Sequence[SplinkDataFrame], model: Model, log_level: int) -> Linker:
    settings = _settings(model, db_api.sql_dialect.sql_dialect_str)
    first: SplinkDataFrame | Sequence[SplinkDataFrame] = frames[0] if len(frames) == 1 else frames
    return Linker(first, settings, log_level=log_level)


def _evidence_sql(model: Model) -> str:
    """SQL (DuckDB, over the fetched predictions) giving the pairs with l < r and evidence JSON."""
    parts: dict[str, list[str]] = {"l": [], "r": []}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        labels = " ".join(
            f"WHEN {lv['comparison_vector_value']} THEN '{lv['label_for_charts'].replace(chr(39), chr(39) * 2)}'"
            for lv in comparison["comparison_levels"] if "comparison_vector_value" in lv
        )
        for side, (left, right) in {"l": ("l", "r"), "r": ("r", "l")}.items():
            parts[side].append(
                f"'{name}', {{'label': CASE gamma_{name} {labels} END, 'gamma': gamma_{name},"
                f" 'bayes_factor': pow(2.0, CAST(mw_{name} AS DOUBLE)), 'left': {_SHOWN[name].format(s=left)},"
                f" 'right': {_SHOWN[name].format(s=right)}}}"
            )
    return (
        "SELECT least(unique_id_l, unique_id_r) AS unique_id_l, greatest(unique_id_l, unique_id_r) AS unique_id_r,"
        " CAST(match_weight AS DOUBLE) AS match_weight, CAST(match_probability AS DOUBLE) AS match_probability,"
        " CAST(to_json(CASE WHEN unique_id_l < unique_id_r"
        f" THEN json_object({', '.join(parts['l'])}) ELSE json_object({', '.join(parts['r'])}) END) AS VARCHAR)"
        " AS evidence FROM predictions ORDER BY unique_id_l, unique_id_r"
    )


def _with_comparison_numbers(model: Model) -> Model:
    """The model with each level's gamma (``comparison_vector_value``) written in, null level -1."""
    out: Model = json.loads(json.dumps(model))
    for comparison in out["comparisons"]:
        gamma = sum(1 for lv in comparison["comparison_levels"] if not lv.get("is_null_level")) - 1
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                level["comparison_vector_value"] = -1
            else:
                level["comparison_vector_value"] = gamma
                gamma -= 1
    return out


_PAIRS = pa.schema([("unique_id_l", pa.string()), ("unique_id_r", pa.string()), ("match_weight", pa.float64()),
                    ("match_probability", pa.float64()), ("evidence", pa.string())])
_CLUSTERS = pa.schema([("cluster_id", pa.string()), ("unique_id", pa.string())])


def _arrow(frame: SplinkDataFrame) -> pa.Table:
    table: pa.Table = frame.as_pyarrow_table()  # type: ignore[no-untyped-call]  # untyped in Splink 5.0
    return table


def _pairs(predictions: Sequence[pa.Table], model: Model) -> pa.Table:
    tables = [t for t in predictions if t.num_rows]
    if not tables:
        return _PAIRS.empty_table()
    con = duckdb.connect()
    con.register("predictions", pa.concat_tables(tables, promote_options="permissive"))
    result: pa.Table = con.sql(_evidence_sql(_with_comparison_numbers(model))).to_arrow_table()
    return result.cast(_PAIRS)


def _clusters(unique_ids: pa.ChunkedArray, pairs: pa.Table) -> pa.Table:
    """Connected components of the kept pairs, every record in one, labelled by its smallest unique_id.

    In DuckDB whatever the engine: the kept pairs are few, and connected components on Spark is
    an iterative job of many small stages (tens of seconds even for a few hundred records).
    """
    db_api = DuckDBAPI()
    clustered = cluster_pairwise_predictions_at_threshold(
        pa.table({"unique_id": unique_ids}),
        pairs.select(["unique_id_l", "unique_id_r"]),
        db_api=db_api,
        node_id_column_name="unique_id",
    )
    con = duckdb.connect()
    con.register("clusters", _arrow(clustered).select(["cluster_id", "unique_id"]))
    result: pa.Table = con.sql(
        "SELECT min(unique_id) OVER (PARTITION BY cluster_id) AS cluster_id, unique_id FROM clusters ORDER BY unique_id"
    ).to_arrow_table()
    return result.cast(_CLUSTERS)


def _resolved(engine: str, model: Model | None) -> tuple[DatabaseAPISubClass, Model]:
    return _db_api(engine), model or load_model()


def resolve(
    persons: pa.Table,
    *,
    engine: str = "duckdb",
    model: Model | None = None,
    threshold: float = THRESHOLD,
    log_level: int = logging.WARNING,
) -> Resolution:
    """Every pair at or above ``threshold``, with evidence, and the clusters they form (every record in one)."""
    db_api, model = _resolved(engine, model)
    linker = _linker(db_api, [db_api.register(prepare(persons))], model, log_level)
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    pairs = _pairs([_arrow(predictions)], model)
    return Resolution(pairs=pairs, clusters=_clusters(persons["unique_id"], pairs),
                      model_version=model_version(model), engine=engine)


def link_new(
    existing: pa.Table,
    new: pa.Table,
    *,
    engine: str = "duckdb",
    model: Model | None = None,
    threshold: float = THRESHOLD,
    log_level: int = logging.WARNING,
) -> Resolution:
    """Pairs of new records with existing ones and among themselves, merged into the existing clusters.

    ``existing`` carries its ``cluster_id``. ``clusters`` lists each record whose cluster is new or
    changed; cluster ids are smallest unique_ids, so they agree with a full ``resolve``.
    """
    db_api, model = _resolved(engine, model)
    left = db_api.register(prepare(existing.select(PERSONS.names)))
    right = db_api.register(prepare(new))
    linker = _linker(db_api, [left], model, log_level)
    between = linker.inference.predict_between(left, right, threshold_match_probability=threshold,
                                                warning_mode="never")
    within = linker.inference.predict_within(right, threshold_match_probability=threshold, warning_mode="never")
    pairs = _pairs([_arrow(between), _arrow(within)], model)
    clusters = _merge(existing.select(["cluster_id", "unique_id"]).cast(_CLUSTERS), new["unique_id"], pairs)
    return Resolution(pairs=pairs, clusters=clusters, model_version=model_version(model), engine=engine)


def _merge(existing: pa.Table, new_ids: pa.ChunkedArray, pairs: pa.Table) -> pa.Table:
    """Union-find over existing membership and the new pairs; the records whose cluster id changed or is new."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the root is the smallest id: the cluster's label

    before = dict(zip(existing["unique_id"].to_pylist(), existing["cluster_id"].to_pylist(), strict=True))
    ends = list(zip(pairs["unique_id_l"].to_pylist(), pairs["unique_id_r"].to_pylist(), strict=True))
    touched = {before[uid] for pair in ends for uid in pair if uid in before}
    members: dict[str, list[str]] = {}
    for uid, cluster in before.items():
        if cluster in touched:
            members.setdefault(cluster, []).append(uid)
    for group in members.values():
        for uid in group:
            union(uid, group[0])
    for uid in new_ids.to_pylist():
        find(uid)
    for a, b in ends:
        union(a, b)
    changed = sorted((find(uid), uid) for uid in list(parent) if before.get(uid) != find(uid))
    return pa.Table.from_pylist([{"cluster_id": c, "unique_id": u} for c, u in changed], schema=_CLUSTERS)


__all__ = [
    "DEFAULT_MODEL_PATH",
    "PERSONS",
    "THRESHOLD",
    "Resolution",
    "link_new",
    "load_model",
    "model_version",
    "prepare",
    "resolve",
    "train",
]
