"""The store as FtM entities: every record built with the FtM model, one JSON line each.

The mapping (docs/interop.md has it as a table):

- unit → ``Organization`` (``parent``); official → ``Person`` (topic ``role.pep``) and an
  ``Employment`` (employer: the unit); relative → ``Person`` (``role.rca``) and a ``Family``
  (person: the official); post change → ``Occupancy`` of a ``Position`` (organization: the
  official's unit); travel document → ``Passport`` (``Identification`` for permits and ID
  cards); trip → ``Trip``; asset → ``BankAccount`` (deposits), ``RealEstate`` (real estate,
  parking spaces) or ``Asset`` and an ``Ownership``; list entry → ``Person`` (``poi``) and a
  ``Sanction`` (program: the list, recordId: the entry id).
- A person's name as written is ``name`` (the characters, or the Latin spelling when that is
  how the record is written); the passport spelling is ``alias`` besides, and ``lastName`` /
  ``firstName`` hold its parts. A list entry's aliases are ``alias`` too.
- What FtM has no property for is in the entity's ``sojourn`` block, as the CSV import
  columns write it (``"rank": "division"``, ``"custody": "in_custody"``); blank values and
  ``false`` are left out.

Values pass the model's validation and cleaning, the same the import applies; a value the model
refuses is an ``ExportError`` naming the record, not a silently missing property.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from followthemoney import model

from sojourn.interop.countries import to_ftm_country
from sojourn.interop.ftm import IMPLIED_KIND, SCHEMA_ORDER, TOPICS, hashed_id, record_id
from sojourn.interop.ftm_read import BLOCK

Value = str | date | Decimal | None
GENDER = {"M": "male", "F": "female"}
ASSET_SCHEMA = {"deposit": "BankAccount", "real_estate": "RealEstate", "parking_space": "RealEstate"}
Entity = dict[str, Any]


class ExportError(ValueError):
    """A stored value the FtM model does not accept for its property."""


def entity_lines(advance: Callable[[int], None]) -> list[tuple[str, str]]:
    """Every entity as ``(schema, JSON line)``, sorted by schema (``SCHEMA_ORDER``) and then id."""
    keyed: list[tuple[int, str, str, str]] = []
    for source in (_units, _officials, _relatives, _posts, _documents, _trips, _assets, _entries):
        for entity in source():
            schema = entity["schema"]
            line = json.dumps(entity, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            keyed.append((SCHEMA_ORDER.index(schema), entity["id"], schema, line))
            advance(1)
    keyed.sort()
    return [(schema, line) for _order, _id, schema, line in keyed]


def make(schema: str, entity_id: str, properties: Mapping[str, Value | Iterable[Value]],
         block: Mapping[str, Value | bool] | None = None) -> Entity:
    """An entity of ``schema`` built with the model: each value cleaned, blanks left out; ``block`` beside."""
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for name, given in properties.items():
        prop = proxy.schema.properties[name]
        values = [given] if given is None or isinstance(given, str | date | Decimal) else list(given)
        for value in values:
            text = _text(value)
            if not text:
                continue
            # The same test the import applies (sojourn.interop.ftm_read), so what goes out comes back in.
            cleaned = prop.type.clean(text, format=prop.format) if prop.validate([text]) is None else None
            if cleaned is None or proxy.unsafe_add(prop, cleaned, cleaned=True) is None:
                raise ExportError(f"{schema} {entity_id}: {name} {text!r} is not a valid {prop.type.name}")
    data = proxy.to_dict()
    kept = {key: "true" if value is True else _text(value) for key, value in (block or {}).items()
            if value is True or _text(value)}
    if kept:
        data[BLOCK] = kept
    return data


def _text(value: Value | bool) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _country(code: str, key: str, block: dict[str, Value | bool]) -> str | None:
    """The alpha-2 code of a stored alpha-3 code; a code FtM cannot write goes into the block as it is."""
    if not code:
        return None
    two = to_ftm_country(code)
    if two is None:
        block[key] = code
    return two


def names(name_zh: str, surname: str, given_name: str, aliases: Iterable[str] = ()) -> dict[str, Any]:
    """``name``: as written; ``alias``: the passport spelling beside characters, and the aliases."""
    latin = " ".join(p for p in (surname, given_name) if p)
    others = [a for a in aliases if a]
    written = name_zh or latin or (others[0] if others else "")
    alias = [n for n in dict.fromkeys([latin if name_zh else "", *others]) if n and n != written]
    return {"name": written, "alias": alias, "lastName": surname, "firstName": given_name}


# --- the registry -------------------------------------------------------------------------------------


def _units() -> Iterator[Entity]:
    from sojourn.registry.models import Unit

    for u in Unit.objects.order_by("code").values("code", "name", "region", "parent__code").iterator():
        parent = record_id("unit", u["parent__code"]) if u["parent__code"] else None
        yield make("Organization", record_id("unit", u["code"]), {"name": u["name"], "parent": parent},
                   {"region": u["region"]})


def _officials() -> Iterator[Entity]:
    from sojourn.custody.models import TravelDocument
    from sojourn.registry.models import DutyCountries, Official

    duties: dict[str, dict[str, Any]] = {d["official__official_id"]: dict(d) for d in
              DutyCountries.objects.values("official__official_id", "countries", "since", "note")}
    passports: dict[str, list[str]] = defaultdict(list)
    for oid, number in (TravelDocument.objects.filter(doc_type__startswith="passport").order_by("number")
                        .values_list("holder__official_id", "number")):
        passports[oid].append(number)
    fields = ("official_id", "unit__code", "name_zh", "surname", "given_name", "birth_date", "sex", "id_number",
              "rank", "post", "restricted_post", "covered_since", "filed_on", "status")
    for o in Official.objects.order_by("official_id").values(*fields).iterator():
        oid = o["official_id"]
        person = record_id("official", oid)
        duty = duties.get(oid, {})
        yield make("Person", person, {
            **names(o["name_zh"], o["surname"], o["given_name"]), "birthDate": o["birth_date"],
            "gender": GENDER.get(o["sex"]), "idNumber": o["id_number"], "position": o["post"],
            "status": o["status"], "passportNumber": passports.get(oid, []), "topics": TOPICS["official"],
        }, {"rank": o["rank"], "restricted_post": o["restricted_post"], "covered_since": o["covered_since"],
            "filed_on": o["filed_on"], "duty_countries": duty.get("countries"), "duty_since": duty.get("since"),
            "duty_note": duty.get("note")})
        yield make("Employment", record_id("employment", oid),
                   {"employer": record_id("unit", o["unit__code"]), "employee": person})


def _relatives() -> Iterator[Entity]:
    from sojourn.registry.models import Relative

    fields = ("relative_id", "official__official_id", "relationship", "name_zh", "surname", "given_name",
              "birth_date", "sex", "nationality", "residence_country", "residence_status", "abroad_since",
              "emigrated_on", "activity", "married_to_foreigner")
    for r in Relative.objects.order_by("relative_id").values(*fields).iterator():
        person = record_id("relative", r["relative_id"])
        block: dict[str, Value | bool] = {k: r[k] for k in ("residence_status", "abroad_since", "emigrated_on",
                                                            "activity", "married_to_foreigner")}
        yield make("Person", person, {
            **names(r["name_zh"], r["surname"], r["given_name"]), "birthDate": r["birth_date"],
            "gender": GENDER.get(r["sex"]), "nationality": _country(r["nationality"], "nationality", block),
            "country": _country(r["residence_country"], "residence_country", block), "topics": TOPICS["relative"],
        }, block)
        yield make("Family", record_id("family", r["relative_id"]), {
            "person": record_id("official", r["official__official_id"]), "relative": person,
            "relationship": r["relationship"]})


def _posts() -> Iterator[Entity]:
    from sojourn.registry.models import PostChange

    positions: set[str] = set()
    for p in PostChange.objects.order_by("pk").values("official__official_id", "official__unit__code", "post",
                                                       "started_on", "filed_on").iterator():
        oid, unit = p["official__official_id"], p["official__unit__code"]
        position = hashed_id("position", unit, p["post"])
        if position not in positions:
            positions.add(position)
            yield make("Position", position, {"name": p["post"], "organization": record_id("unit", unit)})
        yield make("Occupancy", hashed_id("occupancy", oid, p["started_on"].isoformat(), p["post"]), {
            "holder": record_id("official", oid), "post": position, "startDate": p["started_on"],
            "declarationDate": p["filed_on"]})


def _documents() -> Iterator[Entity]:
    from sojourn.custody.models import TravelDocument

    fields = ("holder__official_id", "doc_type", "issuer", "number", "issue_date", "expiry_date", "mrz", "status",
              "custody")
    for d in TravelDocument.objects.order_by("pk").values(*fields).iterator():
        oid = d["holder__official_id"]
        block: dict[str, Value | bool] = {"mrz": d["mrz"].replace("\n", "|"), "status": d["status"],
                                          "custody": d["custody"]}
        schema = "Passport" if d["doc_type"].startswith("passport") else "Identification"
        yield make(schema, hashed_id("document", oid, d["doc_type"], d["issuer"], d["number"]), {
            "holder": record_id("official", oid), "type": d["doc_type"], "number": d["number"],
            "country": _country(d["issuer"], "issuer", block), "startDate": d["issue_date"],
            "endDate": d["expiry_date"]}, block)


def _trips() -> Iterator[Entity]:
    from sojourn.travel.models import Trip

    numbers: dict[str, set[str]] = defaultdict(set)
    for trip_id, number in Trip.documents.through.objects.values_list("trip__trip_id", "traveldocument__number"):
        numbers[trip_id].add(number)
    fields = ("trip_id", "official__official_id", "purpose", "destinations", "depart_date", "return_date", "status")
    for t in Trip.objects.order_by("trip_id").values(*fields).iterator():
        # A hold is the system's own act, never imported (DESIGN.md §6): a trip on hold still waits for a decision.
        status = "pending" if t["status"] == "on_hold" else t["status"]
        yield make("Trip", record_id("trip", t["trip_id"]), {
            "name": t["trip_id"], "involved": record_id("official", t["official__official_id"]),
            "startDate": t["depart_date"], "endDate": t["return_date"],
            "country": [to_ftm_country(c) for c in t["destinations"].split(";") if c]},
            {"purpose": t["purpose"], "status": status, "document_numbers": ";".join(sorted(numbers[t["trip_id"]]))})


def _assets() -> Iterator[Entity]:
    from sojourn.declarations.models import Asset

    fields = ("asset_id", "official__official_id", "holder_relative__relative_id", "kind", "country", "value",
              "currency", "acquired_on", "area", "source")
    for a in Asset.objects.order_by("asset_id").values(*fields).iterator():
        schema = ASSET_SCHEMA.get(a["kind"], "Asset")
        asset = record_id("asset", a["asset_id"])
        block: dict[str, Value | bool] = {"kind": None if IMPLIED_KIND[schema] == a["kind"] else a["kind"],
                                          "source": a["source"]}
        properties: dict[str, Value] = {"name": a["asset_id"], "country": _country(a["country"], "country", block),
                                        "balance" if schema == "BankAccount" else "amount": a["value"],
                                        "currency": a["currency"]}
        if schema == "RealEstate":
            properties["area"] = a["area"]
        else:
            block["area"] = a["area"]
        yield make(schema, asset, properties, block)
        relative = a["holder_relative__relative_id"]
        owner = record_id("relative", relative) if relative else record_id("official", a["official__official_id"])
        yield make("Ownership", record_id("ownership", a["asset_id"]),
                   {"owner": owner, "asset": asset, "startDate": a["acquired_on"]})


# --- the lists ----------------------------------------------------------------------------------------


def _entries() -> Iterator[Entity]:
    from sojourn.screening.models import WatchlistEntry

    fields = ("watchlist__name", "entry_id", "name_zh", "surname", "given_name", "aliases", "birth_date", "sex",
              "nationality", "id_number", "doc_numbers", "reason", "action", "valid_from", "valid_to")
    for e in WatchlistEntry.objects.order_by("watchlist__name", "entry_id").values(*fields).iterator():
        key = (e["watchlist__name"], e["entry_id"])
        person = hashed_id("entry", *key)
        block: dict[str, Value | bool] = {}
        aliases = [a.strip() for a in e["aliases"].split(";") if a.strip()]
        yield make("Person", person, {
            **names(e["name_zh"], e["surname"], e["given_name"], aliases), "birthDate": e["birth_date"],
            "gender": GENDER.get(e["sex"]), "nationality": _country(e["nationality"], "nationality", block),
            "idNumber": e["id_number"], "passportNumber": [n for n in e["doc_numbers"].split(";") if n],
            "topics": TOPICS["entry"]}, block)
        yield make("Sanction", hashed_id("sanction", *key), {
            "entity": person, "program": key[0], "recordId": key[1], "reason": e["reason"],
            "provisions": e["action"], "startDate": e["valid_from"], "endDate": e["valid_to"]})
