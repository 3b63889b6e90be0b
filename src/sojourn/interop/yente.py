"""yente-compatible matching, the pure half: requests in, FtM-shaped entities and responses out.

A yente client sends ``{"queries": {key: {"schema": "Person", "properties": {...}}}}`` to
``POST /match/{dataset}``; each query here becomes one or more screening variants (one per
name × full birth date × nationality × number, because ``sojourn.core.screening.screen`` takes
one of each), is screened with Sojourn's own scoring, and every list entry found comes back as an
FtM ``Person`` entity with ``score``, ``match`` and ``explanations``. Nothing here imports Django
or the followthemoney library (docs/decisions/0006): the entity dicts are written by hand.

Errors in a request raise ``QueryError``, whose message names the query key and the field, so
that the API can answer 400 with it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sojourn.core.names import compare_names, parse_name
from sojourn.core.names.forms import NameRecord
from sojourn.core.names.index import normalize_number, parse_names
from sojourn.core.screening import BIRTH_YEAR_DIFFERS, BIRTH_YEAR_ONLY, birth_sentence
from sojourn.interop.countries import from_ftm_country, to_ftm_country

ALGORITHM = "screening-1"  # our matcher: the screening ruleset (sojourn.screening.services.RULESET)
# yente's algorithm names, all answered by ours: a yente client's default keeps working.
YENTE_ALGORITHMS = ("best", "default", "logic-v1", "logic-v2", "name-based", "name-qualified",
                    "regression-v1", "regression-v2")  # fmt: skip
ALGORITHM_NAMES = (ALGORITHM, "sojourn", *YENTE_ALGORITHMS)
DEFAULT_DATASET = "default"
DEFAULT_THRESHOLD = 0.7
DEFAULT_LIMIT = 5
MAX_LIMIT = 500
MAX_QUERIES = 100
MAX_VALUES = 20  # values of one property in one query
MAX_VARIANTS = 64  # name × birth date × nationality × number combinations screened for one query
SCHEMATA = ("Person", "LegalEntity")  # Sojourn's lists hold people only
ENTITY_SCHEMA = "Person"
TOPICS = ("poi",)  # every entry is a person of interest; a list says nothing finer

NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")
USED_PROPERTIES = frozenset({
    *NAME_PROPERTIES, "firstName", "secondName", "middleName", "lastName", "birthDate", "gender",
    "nationality", "citizenship", "idNumber", "passportNumber",
})  # fmt: skip
# Person properties a yente client may send that Sojourn accepts, echoes and does not score.
IGNORED_PROPERTIES = frozenset({
    "title", "fatherName", "motherName", "nameSuffix", "birthPlace", "birthCountry", "deathDate",
    "position", "ethnicity", "religion", "political", "education", "email", "phone", "website",
    "address", "addressEntity", "country", "mainCountry", "jurisdiction", "summary", "description",
    "notes", "topics", "program", "sourceUrl", "wikidataId", "keywords", "taxNumber",
    "registrationNumber", "socialSecurityNumber", "innCode", "status", "sector", "classification",
    "incorporationDate", "dissolutionDate", "legalForm", "createdAt", "modifiedAt", "uniqueEntityId",
})  # fmt: skip
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")
_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_GENDERS = {
    "male": "M",
    "m": "M",
    "man": "M",
    "female": "F",
    "f": "F",
    "woman": "F",
    "other": None,
    "unknown": None,
}


class QueryError(ValueError):
    """A request Sojourn cannot answer: the query key (None for a request-wide problem) and the field."""

    def __init__(self, key: str | None, field: str, message: str) -> None:
        self.key, self.field, self.message = key, field, message
        where = f"query {key!r}, field {field!r}" if key is not None else f"field {field!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class MatchParams:
    """The query-string parameters of ``POST /match/{dataset}``, checked."""

    algorithm: str = ALGORITHM
    threshold: float = DEFAULT_THRESHOLD
    limit: int = DEFAULT_LIMIT
    topics: tuple[str, ...] = ()
    exclude_schema: tuple[str, ...] = ()
    exclude_entity_ids: frozenset[str] = frozenset()


def match_params(
    *,
    algorithm: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
    topics: Iterable[str] = (),
    exclude_schema: Iterable[str] = (),
    exclude_entity_ids: Iterable[str] = (),
) -> MatchParams:
    """Check the parameters: a known algorithm, threshold in 0..1, limit in 1..MAX_LIMIT."""
    name = (algorithm or "best").strip()
    if name not in ALGORITHM_NAMES:
        raise QueryError(
            None, "algorithm", f"unknown algorithm {name!r}; known: {', '.join(ALGORITHM_NAMES)}"
        )
    if not 0.0 <= threshold <= 1.0:
        raise QueryError(None, "threshold", f"{threshold} is not between 0 and 1")
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(None, "limit", f"{limit} is not between 1 and {MAX_LIMIT}")
    return MatchParams(
        algorithm=ALGORITHM,
        threshold=threshold,
        limit=limit,
        topics=tuple(t for t in topics if t),
        exclude_schema=tuple(s for s in exclude_schema if s),
        exclude_entity_ids=frozenset(e for e in exclude_entity_ids if e),
    )


@dataclass(frozen=True)
class Variant:
    """One combination of a query's values, screened as one person."""

    name: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    nationality: str | None = None
    id_number: str | None = None
    document_number: str | None = None


@dataclass(frozen=True)
class PersonQuery:
    """One query of a match request, cleaned: the values Sojourn scores and the properties as echoed."""

    key: str
    schema: str
    properties: dict[str, list[str]]
    names: tuple[str, ...] = ()
    birth_dates: tuple[date, ...] = ()
    birth_years: tuple[int, ...] = ()  # from dates given to the year or the month only
    sex: str | None = None
    nationalities: tuple[str, ...] = ()  # alpha-3, as Sojourn stores them
    id_numbers: tuple[str, ...] = ()
    passport_numbers: tuple[str, ...] = ()

    def variant_count(self) -> int:
        """How many variants ``variants`` makes, without making them."""
        numbers = len(self.id_numbers) + len(self.passport_numbers)
        sizes = (len(self.names), len(self.birth_dates), len(self.nationalities), numbers)
        return max(sizes[0], 1) * max(sizes[1], 1) * max(sizes[2], 1) * max(sizes[3], 1)

    def variants(self) -> list[Variant]:
        """Every combination of name, full birth date, nationality and number (at most MAX_VARIANTS)."""
        numbers: list[tuple[str | None, str | None]] = [(n, None) for n in self.id_numbers]
        numbers += [(None, n) for n in self.passport_numbers]
        combos = itertools.product(
            self.names or (None,),
            self.birth_dates or (None,),
            self.nationalities or (None,),
            numbers or [(None, None)],
        )
        return [
            Variant(name=name, birth_date=birth, sex=self.sex, nationality=nationality, id_number=idn,
                    document_number=doc)
            for name, birth, nationality, (idn, doc) in combos
        ]  # fmt: skip

    def echo(self) -> dict[str, Any]:
        """The query as the response repeats it."""
        return {"id": None, "schema": self.schema, "properties": self.properties}


def _values(key: str, name: str, raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str | int | float) for v in raw):
        raise QueryError(key, f"properties.{name}", "must be a string or a list of strings")
    values = list(dict.fromkeys(str(v).strip() for v in raw if str(v).strip()))
    if len(values) > MAX_VALUES:
        raise QueryError(key, f"properties.{name}", f"{len(values)} values; at most {MAX_VALUES}")
    return values


def _dates(key: str, values: list[str]) -> tuple[tuple[date, ...], tuple[int, ...]]:
    full: list[date] = []
    years: list[int] = []
    for value in values:
        found = _DATE_RE.match(value)
        try:
            if found is None:
                raise ValueError(value)
            year, month, day = found.groups()
            if day:
                full.append(date(int(year), int(month), int(day)))
            else:
                if month:
                    date(int(year), int(month), 1)
                years.append(int(year))
        except ValueError:
            raise QueryError(
                key, "properties.birthDate", f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
            ) from None
    return tuple(dict.fromkeys(full)), tuple(dict.fromkeys(years))


def _composed_name(props: Mapping[str, list[str]]) -> str | None:
    """A name from firstName/middleName/lastName, written as list entries are: 张伟, or ZHANG Wei."""
    last = (props.get("lastName") or [""])[0]
    given = " ".join(
        v[0] for v in (props.get("firstName"), props.get("secondName"), props.get("middleName")) if v
    )
    if not (last or given):
        return None
    if _HAN_RE.search(last + given) and not re.search("[A-Za-z]", last + given):
        return last + given.replace(" ", "")
    return " ".join(p for p in (last.upper(), given) if p)


def _properties(key: str, schema: str, given: Any) -> dict[str, list[str]]:
    if not isinstance(given, dict):
        raise QueryError(key, "properties", "must be an object of property names to lists of strings")
    props: dict[str, list[str]] = {}
    for name, value in given.items():
        if name not in USED_PROPERTIES and name not in IGNORED_PROPERTIES:
            raise QueryError(key, f"properties.{name}", f"not a property of {schema}")
        values = _values(key, name, value)
        if values:
            props[name] = values
    return props


def _sexes(key: str, values: list[str]) -> set[str | None]:
    for value in values:
        if value.lower() not in _GENDERS:
            raise QueryError(key, "properties.gender", f"{value!r} is not male, female or other")
    return {_GENDERS[value.lower()] for value in values}


def _nationalities(key: str, props: Mapping[str, list[str]]) -> list[str]:
    codes = []
    for prop in ("nationality", "citizenship"):
        for value in props.get(prop, []):
            code = from_ftm_country(value)
            if code is None:
                raise QueryError(key, f"properties.{prop}", f"{value!r} is not an ISO 3166-1 country code")
            codes.append(code)
    return codes


def parse_query(key: str, raw: Any) -> PersonQuery:
    """One query of the body: ``{"schema": "Person", "properties": {...}}`` → ``PersonQuery``."""
    if not isinstance(raw, dict):
        raise QueryError(key, "query", "must be an object with schema and properties")
    schema = raw.get("schema", ENTITY_SCHEMA)
    if schema not in SCHEMATA:
        raise QueryError(
            key, "schema", f"{schema!r} is not supported: Sojourn's lists hold people ({', '.join(SCHEMATA)})"
        )
    props = _properties(key, schema, raw.get("properties"))
    names = [v for p in NAME_PROPERTIES for v in props.get(p, [])]
    composed = _composed_name(props)
    if composed and composed not in names:
        names.append(composed)
    birth_dates, birth_years = _dates(key, props.get("birthDate", []))
    sexes = _sexes(key, props.get("gender", []))
    nationalities = _nationalities(key, props)
    id_numbers = tuple(
        dict.fromkeys(n for n in (normalize_number(v) for v in props.get("idNumber", [])) if n)
    )
    passports = tuple(
        dict.fromkeys(n for n in (normalize_number(v) for v in props.get("passportNumber", [])) if n)
    )
    if not (names or id_numbers or passports):
        raise QueryError(
            key, "properties.name", "nothing to screen: give a name, an idNumber or a passportNumber"
        )
    query = PersonQuery(
        key=key, schema=schema, properties=props, names=tuple(names), birth_dates=birth_dates,
        birth_years=birth_years if not birth_dates else (), sex=sexes.pop() if len(sexes) == 1 else None,
        nationalities=tuple(dict.fromkeys(nationalities)), id_numbers=id_numbers, passport_numbers=passports,
    )  # fmt: skip
    if query.variant_count() > MAX_VARIANTS:
        raise QueryError(key, "properties", f"too many combinations of names, birth dates, nationalities and "
                                            f"numbers (at most {MAX_VARIANTS})")  # fmt: skip
    return query


def parse_body(body: Any) -> list[PersonQuery]:
    """The body of a match request → its queries, in order; ``weights`` and ``config`` are accepted and unused."""
    if not isinstance(body, dict):
        raise QueryError(None, "body", "must be a JSON object with queries")
    queries = body.get("queries")
    if not isinstance(queries, dict) or not queries:
        raise QueryError(None, "queries", "must be a non-empty object of query keys to queries")
    if len(queries) > MAX_QUERIES:
        raise QueryError(None, "queries", f"{len(queries)} queries; at most {MAX_QUERIES} in one request")
    return [parse_query(str(key), raw) for key, raw in queries.items()]


@dataclass(frozen=True)
class ListedPerson:
    """A watch-list entry as the entity is built from it (the stored row's fields, plain)."""

    list_name: str
    entry_id: str
    name_zh: str = ""
    surname: str = ""
    given_name: str = ""
    aliases: tuple[str, ...] = ()
    birth_date: date | None = None
    sex: str = ""
    nationality: str = ""
    id_number: str = ""
    doc_numbers: tuple[str, ...] = ()
    action: str = "refer"
    updated_at: datetime | None = None

    @property
    def entity_id(self) -> str:
        """The stable FtM id: ``<list>-<entry_id>``."""
        return entity_id(self.list_name, self.entry_id)

    @property
    def latin_name(self) -> str:
        """The romanized name as the index reads it: ``ZHANG Wei``."""
        return " ".join(p for p in (self.surname.upper(), self.given_name) if p)

    def name_records(self) -> tuple[NameRecord, ...]:
        """Parsed names (characters first, then the spelling and the aliases), as the index holds them."""
        names = [n for n in (self.name_zh, self.latin_name) if n]
        return parse_names(names[0] if names else "", [*names[1:], *self.aliases])


def entity_id(list_name: str, entry_id: str) -> str:
    """``<list>-<entry_id>``: stable as long as the list keeps the entry's id."""
    return f"{list_name}-{entry_id}"


def split_entity_id(value: str, list_names: Iterable[str]) -> list[tuple[str, str]]:
    """The (list, entry id) pairs an entity id can stand for, longest list name first (names may contain '-')."""
    return [
        (name, value[len(name) + 1 :])
        for name in sorted(list_names, key=len, reverse=True)
        if value.startswith(f"{name}-") and len(value) > len(name) + 1
    ]


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def to_entity(person: ListedPerson) -> dict[str, Any]:
    """The entry as an FtM ``Person`` entity dict: every property a list of strings, countries alpha-2."""
    han = parse_name(person.name_zh) if person.name_zh else None
    properties = {
        "name": _unique([person.name_zh, person.latin_name]),
        "alias": _unique(person.aliases),
        "lastName": _unique([person.surname, han.surname_zh if han else None]),
        "firstName": _unique([person.given_name, han.given_zh if han else None]),
        "birthDate": _unique([person.birth_date.isoformat() if person.birth_date else None]),
        "gender": _unique([{"M": "male", "F": "female"}.get(person.sex)]),
        "nationality": _unique([to_ftm_country(person.nationality) if person.nationality else None]),
        "idNumber": _unique([person.id_number]),
        "passportNumber": _unique(person.doc_numbers),
        "topics": list(TOPICS),
        "notes": [f"On the Sojourn list {person.list_name}; action on a match: {person.action}."],
    }
    names = properties["name"] or properties["alias"] or [person.entry_id]
    return {
        "id": person.entity_id,
        "caption": names[0],
        "schema": ENTITY_SCHEMA,
        "properties": {k: v for k, v in properties.items() if v},
        "datasets": [person.list_name],
        "referents": [],
        "target": True,
        "last_change": person.updated_at.isoformat() if person.updated_at else None,
    }


def _feature(score: float, detail: str, query: str | None, candidate: str | None) -> dict[str, Any]:
    return {"score": round(score, 4), "detail": detail, "query": query, "candidate": candidate}


def _name_feature(name: str, person: ListedPerson) -> dict[str, Any] | None:
    record = parse_name(name)
    scored = [(compare_names(record, listed), listed) for listed in person.name_records()]
    if not scored:
        return None
    best, listed = max(scored, key=lambda pair: pair[0].score)
    return _feature(best.score, "; ".join(best.explanations) or "names differ", name, listed.full)


def _birth_feature(mine: date, person: ListedPerson) -> dict[str, Any]:
    theirs = person.birth_date
    sentence = birth_sentence(mine, theirs, None)
    if theirs is None:
        score = 0.5  # nothing to compare: neither for nor against
    elif theirs == mine:
        score = 1.0
    elif sentence.startswith("birth date with day and month swapped"):
        score = 0.6
    else:
        score = 0.0
    return _feature(score, sentence, mine.isoformat(), theirs.isoformat() if theirs else None)


def _number_features(variant: Variant, person: ListedPerson) -> dict[str, dict[str, Any]]:
    listed = {normalize_number(n) for n in (person.id_number, *person.doc_numbers) if n}
    out = {}
    for prop, mine, theirs in (
        ("idNumber", variant.id_number, person.id_number),
        ("passportNumber", variant.document_number, ";".join(person.doc_numbers)),
    ):
        if not mine:
            continue
        if mine in listed:
            out[prop] = _feature(1.0, f"number {mine} is on the list entry: the number decides", mine, mine)
        elif theirs:
            out[prop] = _feature(0.0, f"{prop} differs: {mine} / {theirs}", mine, theirs)
    return out


def explain(variant: Variant, person: ListedPerson) -> dict[str, dict[str, Any]]:
    """Per feature (name, birthDate, idNumber, passportNumber, gender, nationality): score, detail, both values."""
    out: dict[str, dict[str, Any]] = {}
    if variant.name:
        name = _name_feature(variant.name, person)
        if name is not None:
            out["name"] = name
    if variant.birth_date:
        out["birthDate"] = _birth_feature(variant.birth_date, person)
    out.update(_number_features(variant, person))
    if variant.sex and person.sex:
        same = variant.sex == person.sex
        out["gender"] = _feature(
            float(same), f"sex {'agrees' if same else 'differs'}", variant.sex, person.sex
        )
    if variant.nationality and person.nationality:
        same = variant.nationality == person.nationality
        out["nationality"] = _feature(
            float(same), f"nationality {'agrees' if same else 'differs'}",
            to_ftm_country(variant.nationality), to_ftm_country(person.nationality),
        )  # fmt: skip
    return out


def year_adjustment(years: tuple[int, ...], person: ListedPerson) -> tuple[float, dict[str, Any] | None]:
    """Score change for a query that gives only a birth year (or month), as screening scores a year-only entry."""
    if not years or person.birth_date is None:
        return 0.0, None
    theirs = person.birth_date.year
    shown = ", ".join(str(y) for y in years)
    if theirs in years:
        detail = (
            f"birth year agrees ({shown} / {person.birth_date.isoformat()}; the query gives only the year)"
        )
        return BIRTH_YEAR_ONLY, _feature(0.3, detail, shown, person.birth_date.isoformat())
    detail = f"birth year differs ({shown} / {person.birth_date.isoformat()})"
    return BIRTH_YEAR_DIFFERS, _feature(0.0, detail, shown, person.birth_date.isoformat())


@dataclass(frozen=True)
class Candidate:
    """A list entry a query found: its best screening score and the variant that scored it."""

    person: ListedPerson
    score: float
    variant: Variant


def _selected(entity: dict[str, Any], params: MatchParams) -> bool:
    if entity["id"] in params.exclude_entity_ids or entity["schema"] in params.exclude_schema:
        return False
    return not params.topics or bool(set(params.topics) & set(entity["properties"].get("topics", [])))


def query_response(
    query: PersonQuery, candidates: Iterable[Candidate], params: MatchParams, *, more: bool = False
) -> dict[str, Any]:
    """One entry of ``responses``: the results best first, at most ``limit``, each with score, match, explanations.

    ``more`` says the screening stopped at its own limit, so there may be more than ``total`` (``gte``).
    """
    results = []
    for found in candidates:
        entity = to_entity(found.person)
        if not _selected(entity, params):
            continue
        explanations = explain(found.variant, found.person)
        score = found.score
        has_hit = any(
            f["score"] == 1.0 for k, f in explanations.items() if k in ("idNumber", "passportNumber")
        )
        delta, year = year_adjustment(query.birth_years, found.person)
        if year is not None and not has_hit:
            score = round(min(1.0, max(0.0, score + delta)), 4)
            explanations["birthDate"] = year
        results.append(
            {**entity, "score": score, "match": score >= params.threshold, "explanations": explanations}
        )
    results.sort(key=lambda r: (-r["score"], r["id"]))
    return {
        "status": 200,
        "results": results[: params.limit],
        "total": {"value": len(results), "relation": "gte" if more else "eq"},
        "query": query.echo(),
    }


def algorithms() -> dict[str, Any]:
    """``GET /algorithms``: our one matcher, and the yente names it answers to."""
    return {
        "algorithms": [
            {
                "name": ALGORITHM,
                "description": (
                    "Sojourn's screening: names across characters (simplified and traditional), pinyin, "
                    "Wade–Giles and Hong Kong / Macau spellings; birth date, sex and nationality raise or "
                    "lower the score; an ID or passport number on the entry decides."
                ),
                "version": ALGORITHM,
                "aliases": [n for n in ALGORITHM_NAMES if n != ALGORITHM],
                "features": {
                    "name": "best name score over the entry's names and aliases (compare_names)",
                    "birthDate": "same date, day and month swapped, same year, or differs",
                    "idNumber": "the number is on the entry (decides) or differs",
                    "passportNumber": "the number is on the entry (decides) or differs",
                    "gender": "agrees or differs",
                    "nationality": "agrees or differs",
                },
            }
        ],
        "default": ALGORITHM,
        "best": ALGORITHM,
    }
