"""FtM entities onto the rows of the CSV import kinds: the same columns, so the same checks and writes.

Each validated entity is classified by schema and id (``sojourn-official-…`` is an official,
any other ``Person`` a person of an external list) and read into the cells of one row of
``units``, ``officials``, ``relatives``, ``posts``, ``duties``, ``documents``, ``trips``,
``assets`` or ``watchlist``. Every cell remembers the line, entity and property it came from,
so that a problem the kind's checks find is reported against the entity, not a made-up row.

Relations resolve by entity id within the file, and for the records they point at (a holder,
an employer, an owner, a parent unit) against the registry too. A relation that is part of
a record (an official's ``Employment``, a relative's ``Family``, an asset's ``Ownership``, a
list entry's ``Sanction``) must come with that record's entity: the CSV rows are whole records.
"""

from __future__ import annotations

from collections import defaultdict

from sojourn.core.names.readings import HAN_RE
from sojourn.feeds.declarations import ASSETS
from sojourn.feeds.documents import DOCUMENTS
from sojourn.feeds.registry import SCHEMAS, chunks
from sojourn.feeds.trips import TRIPS
from sojourn.feeds.watchlist import WATCHLIST
from sojourn.interop.ftm import IMPLIED_KIND, TOPICS, parse_id
from sojourn.interop.ftm_lists import ListEntries, Listing
from sojourn.interop.ftm_read import Catalog, Cell, Line, Reader, Sheet, Sheets

RELATIONS = {"Employment": "employment", "Family": "family", "Ownership": "ownership", "Sanction": "sanction",
             "Risk": "sanction", "Position": "position", "Occupancy": "occupancy", "Passport": "document",
             "Identification": "document"}


def map_entities(catalog: Catalog, *, list_name: str | None = None) -> Sheets:
    """Read every entity of the catalog into rows; problems go to ``catalog.problems``."""
    return _Mapper(catalog, list_name).run()


class _Stored:
    """The registry's records the file names but may not hold: units, officials (→ unit), relatives."""

    def __init__(self, wanted: dict[str, set[str]]) -> None:
        from sojourn.registry.models import Official, Relative, Unit

        self.units: set[str] = set()
        self.officials: dict[str, str] = {}
        self.relatives: dict[str, tuple[str, str]] = {}
        for batch in chunks(sorted(wanted["unit"])):
            self.units.update(Unit.objects.filter(code__in=batch).values_list("code", flat=True))
        for batch in chunks(sorted(wanted["official"])):
            self.officials.update(Official.objects.filter(official_id__in=batch).values_list("official_id",
                                                                                               "unit__code"))
        for batch in chunks(sorted(wanted["relative"])):
            for rid, oid, relationship in Relative.objects.filter(relative_id__in=batch).values_list(
                    "relative_id", "official__official_id", "relationship"):
                self.relatives[rid] = (oid, relationship)

    def has(self, kind: str, key: str) -> bool:
        return {"unit": key in self.units, "official": key in self.officials,
                "relative": key in self.relatives}.get(kind, False)


class _Mapper(ListEntries):
    """One pass over a catalog: classify each entity, look up what it points at, read it into rows.

    Relations kept with a record (Employment, Family, Ownership, Sanction, Position) are read
    first, so that reading the record finds them; then the records, kind by kind.
    """

    stored: _Stored

    def __init__(self, catalog: Catalog, list_name: str | None) -> None:
        self.lines, self.problems, self.list_name = catalog.lines, catalog.problems, list_name
        self.broken = catalog.broken
        self.kinds: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.sheets = Sheets(self.problems.file, {kind: Sheet(kind, schema.names) for kind, schema in (
            *SCHEMAS.items(), ("documents", DOCUMENTS), ("trips", TRIPS), ("assets", ASSETS),
            ("watchlist", WATCHLIST))})
        self.unit_of: dict[str, tuple[str, Line]] = {}
        self.family_of: dict[str, tuple[str, str, Line]] = {}
        self.owner_of: dict[str, tuple[tuple[str, str], str, Line]] = {}
        self.listings: dict[str, list[Listing]] = defaultdict(list)
        self.positions: dict[str, tuple[str, str, Line]] = {}
        self.held: set[str] = set()

    def run(self) -> Sheets:
        for line in self.lines.values():
            self._classify(line)
        self.stored = _Stored(self._wanted())
        by_kind: dict[str, list[Line]] = defaultdict(list)
        for entity_id, kind in self.kinds.items():
            by_kind[kind].append(self.lines[entity_id])
        for kind, read in (("employment", self._employment), ("family", self._family), ("sanction", self._sanction),
                           ("ownership", self._ownership), ("position", self._position), ("unit", self._unit),
                           ("official", self._official), ("relative", self._relative),
                           ("occupancy", self._occupancy), ("document", self._document), ("trip", self._trip),
                           ("asset", self._asset), ("entry", self._entry), ("external", self._external)):
            for line in by_kind[kind]:
                read(line)
        for position_id, (_name, _unit, line) in self.positions.items():
            if position_id not in self.held:
                self.problems.error(line, "id", line.id, "no Occupancy holds this Position; Sojourn keeps a post "
                                    "with whoever holds it")
        return self.sheets

    # --- classification and references ---------------------------------------------------------------

    def _classify(self, line: Line) -> None:
        schema, parsed = line.schema, parse_id(line.id)
        kind, key = parsed if parsed is not None else ("", "")
        record = {("Organization", "unit"), ("Person", "official"), ("Person", "relative"), ("Trip", "trip")}
        if schema == "Person" and parsed is not None and kind not in ("official", "relative", "entry"):
            self.problems.error(line, "id", line.id, "not a Sojourn person id (sojourn-official-<id>, "
                                "sojourn-relative-<id> or sojourn-entry-<sha1>)")
        elif (schema, kind) in record or (schema in IMPLIED_KIND and kind == "asset"):
            if not key:
                self.problems.error(line, "id", line.id, f"not a Sojourn {kind} id (sojourn-{kind}-<key>)")
                return
            self.kinds[line.id], self.keys[line.id] = kind, key
        elif schema == "Person":
            self.kinds[line.id] = "entry" if kind == "entry" else "external"
        elif schema in RELATIONS:
            self.kinds[line.id] = RELATIONS[schema]
        else:
            expected = {"Organization": "a unit (sojourn-unit-<code>)", "Trip": "a trip (sojourn-trip-<trip id>)"}
            reason = (f"Sojourn keeps a {schema} only as {expected[schema]}" if schema in expected else
                      f"Sojourn keeps {schema} entities only as assets (sojourn-asset-<asset id>)"
                      if schema in IMPLIED_KIND else
                      f"Sojourn cannot keep {schema} entities (an external list holds Person, Sanction and Risk)")
            self.problems.error(line, "schema", schema, reason)

    def _wanted(self) -> dict[str, set[str]]:
        """Keys of the units, officials and relatives the file holds or points at, to look up in the registry."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for line in self.lines.values():
            for prop, value in line.proxy.itervalues():
                if prop.type.name == "entity":
                    parsed = parse_id(value)
                    if parsed is not None and parsed[1]:
                        wanted[parsed[0]].add(parsed[1])
            if self.kinds.get(line.id) in ("official", "relative"):
                wanted[self.kinds[line.id]].add(self.keys[line.id])
        return wanted

    # --- relations kept with a record -----------------------------------------------------------------

    def _employment(self, line: Line) -> None:
        r = self.reader(line, "an official's unit")
        official = self.target(r, "employee", ("official",), in_file=True)
        unit = self.target(r, "employer", ("unit",))
        r.done()
        if official:  # a unit that cannot be found is reported here, not again as a missing Employment
            if official[1] in self.unit_of:
                r.error("employee", official[1], "a second Employment of this official; Sojourn keeps one unit")
            self.unit_of[official[1]] = (unit[1] if unit else "", line)

    def _family(self, line: Line) -> None:
        r = self.reader(line, "a relative's relationship")
        official = self.target(r, "person", ("official",))
        relative = self.target(r, "relative", ("relative",), in_file=True)
        relationship = r.one("relationship", required=True)
        r.done()
        if relative:
            if relative[1] in self.family_of:
                r.error("relative", relative[1], "a second Family of this relative; Sojourn keeps one")
            self.family_of[relative[1]] = (official[1] if official else "", relationship, line)

    def _ownership(self, line: Line) -> None:
        r = self.reader(line, "an asset's ownership")
        owner = self.target(r, "owner", ("official", "relative"))
        asset = self.target(r, "asset", ("asset",), in_file=True)
        acquired = r.one("startDate")
        r.done()
        if asset:
            if asset[1] in self.owner_of:
                r.error("asset", asset[1], "a second Ownership of this asset; Sojourn keeps one owner")
            self.owner_of[asset[1]] = (owner or ("official", ""), acquired, line)

    def _position(self, line: Line) -> None:
        r = self.reader(line, "a post")
        name = r.one("name", required=True)
        unit = self.target(r, "organization", ("unit",), required=False)
        r.done()
        self.positions[line.id] = (name, unit[1] if unit else "", line)

    # --- records --------------------------------------------------------------------------------------

    def _unit(self, line: Line) -> None:
        r = self.reader(line, "a unit")
        parent = self.target(r, "parent", ("unit",), required=False)
        cells = {"unit_code": (self.keys[line.id], line, "id"), "name": (r.one("name", required=True), line, "name"),
                 "parent_code": (parent[1] if parent else "", line, "parent"), **r.cells("region")}
        r.done()
        self.sheets.kinds["units"].add(line, cells)

    def _official(self, line: Line) -> None:
        key = self.keys[line.id]
        r = self.reader(line, "an official")
        cells: dict[str, Cell] = {"official_id": (key, line, "id"), **self._registry_names(r, line)}
        if key in self.unit_of:
            unit, employment = self.unit_of[key]
            cells["unit_code"] = (unit, employment, "employer")
        elif key in self.stored.officials:
            cells["unit_code"] = (self.stored.officials[key], line, "id")
        else:
            r.error("id", line.id, "no Employment names this official's unit (employer → sojourn-unit-<code>)")
        cells.update({
            "birth_date": (r.one("birthDate"), line, "birthDate"), "sex": (r.sex(), line, "gender"),
            "id_number": (r.one("idNumber"), line, "idNumber"), "post": (r.one("position"), line, "position"),
            "status": (r.one("status"), line, "status"),
            **r.cells("rank", "restricted_post", "covered_since", "filed_on")})
        r.topics(TOPICS["official"])
        numbers = r.all("passportNumber")
        if numbers:
            self.sheets.passport_numbers.append((line, key, numbers))
        duties = r.cells("duty_countries", "duty_since", "duty_note")
        r.done()
        self.sheets.kinds["officials"].add(line, cells)
        if any(value for value, _line, _prop in duties.values()):
            self.sheets.kinds["duties"].add(line, {"official_id": (key, line, "id"),
                                                   **{k.removeprefix("duty_"): v for k, v in duties.items()}})

    def _relative(self, line: Line) -> None:
        key = self.keys[line.id]
        r = self.reader(line, "a relative")
        cells: dict[str, Cell] = {"relative_id": (key, line, "id"), **self._registry_names(r, line)}
        if key in self.family_of:
            official, relationship, family = self.family_of[key]
            cells.update(official_id=(official, family, "person"), relationship=(relationship, family, "relationship"))
        elif key in self.stored.relatives:
            official, relationship = self.stored.relatives[key]
            cells.update(official_id=(official, line, "id"), relationship=(relationship, line, "id"))
        else:
            r.error("id", line.id, "no Family names this relative's official (person → sojourn-official-<id>)")
        cells.update({
            "birth_date": (r.one("birthDate"), line, "birthDate"), "sex": (r.sex(), line, "gender"),
            "nationality": r.country("nationality", "nationality"),
            "residence_country": r.country("country", "residence_country"),
            **r.cells("residence_status", "abroad_since", "emigrated_on", "activity", "married_to_foreigner")})
        r.topics(TOPICS["relative"])
        r.done()
        self.sheets.kinds["relatives"].add(line, cells)

    def _occupancy(self, line: Line) -> None:
        r = self.reader(line, "a post held")
        holder = self.target(r, "holder", ("official",))
        post = self.target(r, "post", ("position",), in_file=True)
        cells: dict[str, Cell] = {"started_on": (r.one("startDate", required=True), line, "startDate"),
                                  "filed_on": (r.one("declarationDate"), line, "declarationDate")}
        r.done()
        if holder is None or post is None:
            return
        self.held.add(post[1])
        name, unit, position = self.positions[post[1]]
        held_in = self.unit_of[holder[1]][0] if holder[1] in self.unit_of else self.stored.officials.get(holder[1])
        if unit and held_in and unit != held_in:
            r.error("post", post[1], f"the Position's organization is unit {unit}, but official {holder[1]} is in "
                                     f"unit {held_in}; Sojourn keeps a post in its holder's unit")
        cells.update(official_id=(holder[1], line, "holder"), post=(name, position, "name"))
        self.sheets.kinds["posts"].add(line, cells)

    def _document(self, line: Line) -> None:
        r = self.reader(line, "a travel document")
        holder = self.target(r, "holder", ("official",))
        cells: dict[str, Cell] = {
            "official_id": (holder[1] if holder else "", line, "holder"), "doc_type": (r.one("type"), line, "type"),
            "issuer": r.country("country", "issuer"), "number": (r.one("number"), line, "number"),
            "issue_date": (r.one("startDate"), line, "startDate"), "expiry_date": (r.one("endDate"), line, "endDate"),
            **r.cells("mrz", "status", "custody")}
        r.done()
        if holder is not None:
            self.sheets.kinds["documents"].add(line, cells)

    def _trip(self, line: Line) -> None:
        key = self.keys[line.id]
        r = self.reader(line, "a trip")
        r.label(key)
        official = self.target(r, "involved", ("official",))
        destinations = [c for c in (r.alpha3("country", value) for value in r.all("country")) if c]
        cells: dict[str, Cell] = {
            "trip_id": (key, line, "id"), "official_id": (official[1] if official else "", line, "involved"),
            "destinations": (";".join(destinations), line, "country"), "depart_date": (r.one("startDate"), line,
                                                                                      "startDate"),
            "return_date": (r.one("endDate"), line, "endDate"),
            **r.cells("purpose", "status", "document_numbers")}
        r.done()
        if official is not None:
            self.sheets.kinds["trips"].add(line, cells)

    def _asset(self, line: Line) -> None:
        key = self.keys[line.id]
        r = self.reader(line, "an asset")
        r.label(key)
        value_prop = "balance" if line.schema == "BankAccount" else "amount"
        cells: dict[str, Cell] = {
            "asset_id": (key, line, "id"), "country": r.country("country", "country"),
            "value": (r.one(value_prop), line, value_prop), "currency": (r.one("currency"), line, "currency"),
            **r.cells("source")}
        kind = r.cells("kind")["kind"]
        cells["kind"] = kind if kind[0] else (IMPLIED_KIND[line.schema], line, "schema")
        cells["area"] = (r.one("area"), line, "area") if line.schema == "RealEstate" else r.cells("area")["area"]
        r.done()
        if key not in self.owner_of:
            r.error("id", line.id, "no Ownership names this asset's owner (owner → an official or a relative)")
            return
        (kind_of_owner, owner), acquired, ownership = self.owner_of[key]
        official = owner
        if kind_of_owner == "relative":
            official = (self.family_of[owner][0] if owner in self.family_of
                        else self.stored.relatives.get(owner, ("", ""))[0])
        cells.update(official_id=(official, ownership, "owner"),
                     holder_relative_id=(owner if kind_of_owner == "relative" else "", ownership, "owner"),
                     acquired_on=(acquired, ownership, "startDate"))
        self.sheets.kinds["assets"].add(line, cells)

    # --- names and person fields ----------------------------------------------------------------------

    def _registry_names(self, r: Reader, line: Line) -> dict[str, Cell]:
        """An official's or relative's name: characters in ``name``, the passport spelling in first/last name."""
        surname, given = r.one("lastName"), r.one("firstName")
        names, aliases = r.all("name"), r.all("alias")
        name_zh = next((n for n in names if HAN_RE.search(n)), "")
        latin = " ".join(p for p in (surname, given) if p)
        for prop, values in (("name", names), ("alias", aliases)):
            r.not_kept(prop, [n for n in values if n not in (name_zh, latin)],
                       "the registry keeps the name in characters and the passport spelling (lastName, firstName)")
        return {"name_zh": (name_zh, line, "name"), "surname": (surname, line, "lastName"),
                "given_name": (given, line, "firstName")}
