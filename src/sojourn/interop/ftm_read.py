"""Reading an FtM JSON lines file: every entity validated against the FtM model, every problem named.

Each non-blank line must be one JSON object with ``id``, ``schema`` and ``properties`` (each
property a list of strings). The schema must exist in the model and not be abstract, every
property must belong to it and be writable, and every value must be valid for the property's
type as the model checks it (``Property.validate``); the value kept is the model's cleaned form
(``CN`` → ``cn``). Beside those keys a line may carry the keys FtM tools add (``datasets``,
``caption``, ``referents``, ``first_seen``, ``last_seen``, ``last_change``, ``target``) and
Sojourn's own block ``sojourn`` (an object of strings); any other key is a problem. An id
that appears twice is a problem. Nothing is dropped: what cannot be read is reported.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from sojourn.feeds.base import FeedError, RowError, Table
from sojourn.feeds.registry import chunks
from sojourn.interop.countries import from_ftm_country
from sojourn.interop.ftm import EntityError

BLOCK = "sojourn"
# Keys FtM tools (yente, nomenklatura, Aleph) write beside an entity's properties.
FTM_KEYS = frozenset({"caption", "datasets", "referents", "first_seen", "last_seen", "last_change", "target"})
KEYS = frozenset({"id", "schema", "properties", BLOCK}) | FTM_KEYS


@dataclass
class Line:
    """One entity of the file: its line number, the validated proxy, Sojourn's block and its datasets."""

    number: int
    proxy: EntityProxy
    block: dict[str, str]
    datasets: list[str]

    @property
    def id(self) -> str:
        return str(self.proxy.id)

    @property
    def schema(self) -> str:
        return str(self.proxy.schema.name)


# A cell of an import row: the value, the entity it came from, the property (or ``sojourn.<key>``).
Cell = tuple[str, Line, str]


@dataclass
class Problems:
    """Every error found in a file, and the properties of external entities that had no place."""

    file: str
    errors: list[EntityError] = field(default_factory=list)
    not_kept: Counter[str] = field(default_factory=Counter)

    def error(self, line: Line | int | None, column: str, value: str | None, reason: str,
              *, entity: str = "", schema: str = "") -> None:
        if isinstance(line, Line):
            number: int | None = line.number
            entity, schema = entity or line.id, schema or line.schema
        else:
            number = line
        self.errors.append(EntityError(self.file, number, column, value, reason, entity=entity, schema=schema))


@dataclass
class Catalog:
    """The file's entities by id, in file order, with the problems found so far.

    ``count`` is the number of entities (non-blank lines) in the file, good or bad; ``broken``
    the ids of entities that failed validation, so that what points at them is not reported twice.
    """

    lines: dict[str, Line]
    problems: Problems
    count: int = 0
    broken: set[str] = field(default_factory=set)


def read_entities(path: Path, name: str) -> Catalog:
    """Read and validate every line of ``path`` (``name`` is the file's name in reports).

    Raises ``FeedError`` when the file is missing or not UTF-8; everything else is in ``problems``.
    """
    if not path.is_file():
        raise FeedError(name, "no such file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedError(name, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise FeedError(name, f"cannot read the file ({exc.strerror})") from None
    catalog = Catalog({}, Problems(name))
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        catalog.count += 1
        line = _read_line(number, raw, catalog)
        if line is None:
            continue
        first = catalog.lines.get(line.id)
        if first is not None:
            catalog.problems.error(line, "id", line.id, f"the id appears twice (first on line {first.number})")
            continue
        catalog.lines[line.id] = line
    if not catalog.count:
        catalog.problems.error(None, "", None, "the file holds no entity")
    return catalog


def _read_line(number: int, raw: str, catalog: Catalog) -> Line | None:
    problems = catalog.problems
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        problems.error(number, "", None, f"not a JSON object ({exc.msg} at column {exc.colno})")
        return None
    if not isinstance(data, dict):
        problems.error(number, "", None, "not a JSON object")
        return None
    entity_id, schema_name = data.get("id"), data.get("schema")
    shown_id = entity_id if isinstance(entity_id, str) else ""
    shown_schema = schema_name if isinstance(schema_name, str) else ""
    before = len(problems.errors)

    def error(column: str, value: str | None, reason: str) -> None:
        problems.error(number, column, value, reason, entity=shown_id, schema=shown_schema)

    for key in sorted(set(data) - KEYS):
        error(key, None, f"unknown key (an entity has {', '.join(sorted(KEYS))})")
    if not isinstance(entity_id, str) or not registry.entity.validate(entity_id):
        error("id", None if entity_id is None else str(entity_id),
              "not an FtM entity id (letters, digits, '.' and '-', at most 200 characters)")
    schema = model.get(schema_name) if isinstance(schema_name, str) else None
    if schema is None:
        error("schema", None if schema_name is None else str(schema_name), "unknown schema (not in the FtM model)")
    elif schema.abstract:
        error("schema", schema.name, "an abstract schema; entities use one of its concrete schemata")
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        error("properties", None, "not an object of property → list of strings")
        properties = {}
    block = _block(data.get(BLOCK, {}), error)
    datasets = _strings(data.get("datasets", []), "datasets", error)
    if schema is None or schema.abstract:
        catalog.broken.add(shown_id)
        return None
    proxy = model.make_entity(schema)
    proxy.id = shown_id
    for prop_name, values in properties.items():
        _add(proxy, str(prop_name), values, error)
    if len(problems.errors) > before:
        catalog.broken.add(shown_id)
        return None
    return Line(number, proxy, block, datasets)


def _add(proxy: EntityProxy, name: str, values: Any, error: Any) -> None:
    """Validate one property's values against the model and add their cleaned forms to the proxy."""
    prop = proxy.schema.get(name)
    if prop is None:
        error(name, None, f"unknown property (not a property of {proxy.schema.name} in the FtM model)")
        return
    if prop.stub:
        error(name, None, f"a reverse property of {proxy.schema.name}; it is set on the other entity")
        return
    for value in _strings(values, name, error):
        cleaned = prop.type.clean(value, format=prop.format) if prop.validate([value]) is None else None
        if cleaned is None:
            error(name, value, f"not a valid {'entity id' if prop.type.name == 'entity' else prop.type.name}")
            continue
        proxy.unsafe_add(prop, cleaned, cleaned=True)


def _strings(values: Any, name: str, error: Any) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        error(name, None, "not a list of strings")
        return []
    return list(values)


def _block(raw: Any, error: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        error(BLOCK, None, "not an object of strings")
        return {}
    return {str(k): v for k, v in raw.items()}


class Reader:
    """The properties of one entity as a mapping reads them; what it never reads is reported at ``done``.

    For Sojourn's own entities (``strict``) a property or value Sojourn does not keep is an
    error: it would be lost on the way back. For an external list's entities it is counted in
    the problems' ``not_kept`` and reported, but does not stop the import.
    """

    def __init__(self, line: Line, problems: Problems, *, strict: bool, what: str) -> None:
        self.line, self.problems, self.strict, self.what = line, problems, strict, what
        self.used: set[str] = set()
        self.used_block: set[str] = set()

    def all(self, prop: str) -> list[str]:
        self.used.add(prop)
        return list(self.line.proxy.get(prop, quiet=True))

    def one(self, prop: str, *, required: bool = False) -> str:
        values = self.all(prop)
        if len(values) > 1:
            self.not_kept(prop, values[1:], f"Sojourn keeps one {prop} of {self.what}")
        if required and not values:
            self.error(prop, None, f"required: Sojourn needs the {prop} of {self.what}")
        return values[0] if values else ""

    def block(self, key: str) -> str:
        self.used_block.add(key)
        return self.line.block.get(key, "")

    def error(self, prop: str, value: str | None, reason: str) -> None:
        self.problems.error(self.line, prop, value, reason)

    def not_kept(self, prop: str, values: Iterable[str], why: str) -> None:
        values = list(values)
        if not values:
            return
        if self.strict:
            self.error(prop, values[0], f"{why}; it would be lost")
        else:
            self.problems.not_kept[f"{self.line.schema}.{prop} ({why})"] += 1

    # --- what several kinds of entity share -------------------------------------------------------------

    def cells(self, *keys: str) -> dict[str, Cell]:
        """Cells from the Sojourn block, each a CSV column of the same name."""
        return {key: (self.block(key), self.line, f"{BLOCK}.{key}") for key in keys}

    def label(self, key: str) -> None:
        """``name`` of a record Sojourn names by its id (a trip, an asset): anything else would be lost."""
        name = self.one("name")
        if name and name != key:
            self.error("name", name, f"Sojourn names this record by its id ({key}); another name would be lost")

    def topics(self, topic: str) -> None:
        self.not_kept("topics", [t for t in self.all("topics") if t != topic],
                      f"the only topic Sojourn keeps here is {topic}")

    def sex(self) -> str:
        """``gender`` as Sojourn writes sex: M or F (``other`` has no place)."""
        values = self.all("gender")
        kept = [v for v in values if v in ("male", "female")]
        self.not_kept("gender", [v for v in values if v not in kept[:1]], "Sojourn keeps one sex, male or female")
        return {"male": "M", "female": "F"}[kept[0]] if kept else ""

    def alpha3(self, prop: str, value: str) -> str:
        three = from_ftm_country(value)
        if three is None:
            self.error(prop, value, "no ISO 3166-1 alpha-3 code for this country")
        return three or ""

    def country(self, prop: str, key: str) -> Cell:
        """A country from an FtM property (alpha-2), or from the block when FtM has no code for it (alpha-3)."""
        value, fallback = self.one(prop), self.block(key)
        if value and fallback:
            self.error(f"{BLOCK}.{key}", fallback, f"the country is given twice, also as {prop}")
        if value:
            return self.alpha3(prop, value), self.line, prop
        return fallback, self.line, f"{BLOCK}.{key}"

    def full_dates(self, prop: str) -> list[str]:
        """An external entity's full dates (a date and time keeps its date); year or month alone is reported."""
        values = self.all(prop)
        self.not_kept(prop, [v for v in values if len(v) < 10], "Sojourn keeps full dates (YYYY-MM-DD)")
        return [v[:10] for v in values if len(v) >= 10]

    def done(self) -> None:
        """Report every property and block key nothing read."""
        for prop in sorted(set(self.line.proxy.properties) - self.used):
            self.not_kept(prop, self.line.proxy.get(prop), f"Sojourn does not keep {prop} of {self.what}")
        for key in sorted(set(self.line.block) - self.used_block):
            known = ", ".join(sorted(self.used_block)) or "none"
            self.error(f"{BLOCK}.{key}", self.line.block[key], f"unknown key of {self.what} (known: {known})")


# --- the rows the entities become ------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    line: int
    entity: str
    schema: str
    prop: str


class Sheet:
    """The rows of one import kind built from entities, and where each cell came from."""

    def __init__(self, kind: str, columns: tuple[str, ...]) -> None:
        self.kind, self.columns = kind, columns
        self.rows: list[tuple[int, dict[str, str]]] = []
        self.sources: dict[tuple[int, str], Source] = {}
        self.main: dict[int, Source] = {}

    def add(self, main: Line, cells: dict[str, Cell]) -> None:
        self.main.setdefault(main.number, Source(main.number, main.id, main.schema, "id"))
        for column, (_value, line, prop) in cells.items():
            self.sources.setdefault((main.number, column), Source(line.number, line.id, line.schema, prop))
        self.rows.append((main.number, {column: value for column, (value, _line, _prop) in cells.items()}))

    def table(self, file: str) -> Table:
        rows = [(number, [values.get(c, "") for c in self.columns]) for number, values in self.rows]
        return Table(file=file, header=list(self.columns), rows=rows, data_rows=len(rows))

    def explain(self, error: RowError) -> EntityError:
        """A problem the kind's checks found in a row, as a problem of the entity the cell came from."""
        if error.row is None:
            return EntityError(error.file, None, "", None, error.reason)
        source = self.sources.get((error.row, error.column)) or self.main[error.row]
        reason = error.reason.replace("duplicate of row", "the same record as the entity on line")
        return EntityError(error.file, source.line, source.prop, error.value, reason, entity=source.entity,
                           schema=source.schema)


@dataclass
class Sheets:
    """The rows of every kind, and the officials' passport numbers to compare with what was written."""

    file: str
    kinds: dict[str, Sheet]
    passport_numbers: list[tuple[Line, str, list[str]]] = field(default_factory=list)

    def check_passport_numbers(self) -> list[EntityError]:
        """After the documents are written: each ``passportNumber`` of an official must be one of their documents."""
        from sojourn.custody.models import TravelDocument

        held: dict[str, set[str]] = defaultdict(set)
        ids = sorted({official for _line, official, _numbers in self.passport_numbers})
        for batch in chunks(ids):
            for official, number in TravelDocument.objects.filter(holder__official_id__in=batch).values_list(
                    "holder__official_id", "number"):
                held[official].add(number)
        return [EntityError(self.file, line.number, "passportNumber", number,
                            "no travel document of this official has this number (documents come as Passport "
                            "or Identification entities)", entity=line.id, schema=line.schema)
                for line, official, numbers in self.passport_numbers for number in numbers
                if number not in held[official]]
