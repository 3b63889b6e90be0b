"""Persons of watch lists from FtM: Sojourn's own entries, and the people of an external list.

An entry of one of Sojourn's own lists is a ``Person`` (id ``sojourn-entry-<sha1>``) with
exactly one ``Sanction``: ``program`` is the list, ``recordId`` the entry id, ``reason``,
``provisions`` (the action on a match: hold, refer, notify), ``startDate`` and ``endDate``
(the window the entry is valid in). Anything else on them is an error: it would be lost.

Any other ``Person`` is a person of an external list (OpenSanctions and the like). It goes on
the list ``--list`` names; else on one list per ``Sanction`` or ``Risk`` naming it, named by
the first of its ``programId``, ``program`` or ``authority`` (``US OFAC`` → ``US-OFAC``);
else on the list named by the entity's first ``datasets``. Its entry id is its entity id.
What a list entry has no place for (a partial birth date, a second nationality, ``position``,
``sourceUrl`` …) is counted per property and reported, never dropped silently.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sojourn.core.names.readings import HAN_RE
from sojourn.feeds.watchlist import id_number_any
from sojourn.interop.countries import from_ftm_country
from sojourn.interop.ftm import PREFIX, TOPICS, parse_id
from sojourn.interop.ftm_read import BLOCK, Cell, Line, Problems, Reader, Sheets

ACTIONS = ("notify", "refer", "hold")  # from the mildest
MAX_REASON = 1000  # WatchlistEntry.reason as the watchlist file takes it
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass
class Listing:
    """What a Sanction (or Risk) says about a person's place on a list."""

    line: Line
    list: tuple[str, str] = ("", "")  # the list's name and the property it came from
    entry_id: str = ""
    reason: str = ""
    action: str = ""
    start: tuple[str, str] = ("", "startDate")
    end: str = ""
    strict: bool = False


def list_slug(text: str) -> str:
    """A list name from a program or authority: runs of other characters become ``-`` (``US OFAC`` → ``US-OFAC``)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-._")[:64].rstrip("-._")
    return slug or f"ftm-{hashlib.sha1(text.encode()).hexdigest()[:12]}"


def external_entry_id(entity_id: str) -> str:
    """An external person's entry id: the entity id when it fits (64 characters), else ``ftm-<sha1>``."""
    if _CODE.fullmatch(entity_id) and not entity_id.startswith(f"{PREFIX}-"):
        return entity_id
    return f"ftm-{hashlib.sha1(entity_id.encode()).hexdigest()}"


def merged(listings: list[Listing], person: Line) -> Listing:
    """Several listings of one external person on one list: reasons joined, the widest window, the strictest action."""
    if not listings:
        return Listing(person)
    if len(listings) == 1:
        return listings[0]
    first = listings[0]
    starts = [x.start for x in listings if x.start[0]]
    return Listing(
        first.line, first.list, reason="; ".join(dict.fromkeys(x.reason for x in listings if x.reason)),
        action=max((x.action for x in listings if x.action), key=ACTIONS.index, default=""),
        start=min(starts) if len(starts) == len(listings) else ("", "startDate"),
        end="" if any(not x.end for x in listings) else max(x.end for x in listings))


class Registry(Protocol):
    """What reading a relation asks of the records already stored (``ftm_tables._Stored``)."""

    def has(self, kind: str, key: str) -> bool: ...


class ListEntries:
    """Reading entities and their relations, and the list half of the mapping
    (``sojourn.interop.ftm_tables._Mapper`` inherits it and sets these attributes)."""

    problems: Problems
    sheets: Sheets
    lines: dict[str, Line]
    broken: set[str]
    kinds: dict[str, str]
    keys: dict[str, str]
    stored: Registry
    list_name: str | None
    listings: dict[str, list[Listing]]

    def reader(self, line: Line, what: str, *, strict: bool = True) -> Reader:
        return Reader(line, self.problems, strict=strict, what=what)

    def target(self, r: Reader, prop: str, kinds: tuple[str, ...], *, in_file: bool = False,
               required: bool = True) -> tuple[str, str] | None:
        """The (kind, key) a relation property points at, in the file or (unless ``in_file``) the registry."""
        value = r.one(prop, required=required)
        if not value or value in self.broken:
            return None  # a broken entity is reported on its own line
        wanted = " or ".join(kinds)
        if value in self.lines:
            kind = self.kinds.get(value)
            if kind is None:
                return None  # the entity itself is reported
            if kind not in kinds:
                r.error(prop, value, f"points at {_a(kind)}; Sojourn needs {_a(wanted)} here")
                return None
            return kind, self.keys.get(value, value)
        parsed = parse_id(value)
        if not in_file and parsed is not None and parsed[0] in kinds and self.stored.has(*parsed):
            return parsed
        where = ("the file (Sojourn keeps this relation with that record, so the file must hold it)" if in_file
                 else "the file or the registry")
        r.error(prop, value, f"no {wanted} with this id in {where}")
        return None

    def _sanction(self, line: Line) -> None:
        entity = line.proxy.first("entity")
        strict = entity is not None and self.kinds.get(entity) == "entry"
        r = self.reader(line, "a listing", strict=strict)
        person = self.target(r, "entity", ("entry", "external"), in_file=True)
        listing = Listing(line, strict=strict)
        if strict:
            listing.list = (r.one("program", required=True), "program")
            listing.entry_id = r.one("recordId", required=True)
            listing.start = (r.one("startDate"), "startDate")
        else:
            named = [(v, p) for p in ("programId", "program", "authority") for v in r.all(p)]
            listing.list = (list_slug(named[0][0]), named[0][1]) if named else ("", "")
            dates = [(d, p) for p in ("startDate", "listingDate") for d in r.full_dates(p)]
            listing.start = dates[0] if dates else ("", "startDate")
            for date, prop in dates[1:]:
                r.not_kept(prop, [date], "Sojourn keeps one start: the first startDate, else listingDate")
        listing.reason = r.one("reason")
        ends = [r.one("endDate")] if strict else r.full_dates("endDate")
        r.not_kept("endDate", ends[1:], "Sojourn keeps one end date")
        listing.end = ends[0] if ends else ""
        provisions = r.all("provisions")
        actions = [p.lower() for p in provisions if p.lower() in ACTIONS]
        r.not_kept("provisions", [p for p in provisions if p.lower() not in ACTIONS],
                   "Sojourn keeps the action on a match: hold, refer or notify")
        listing.action = actions[0] if actions else ""
        r.done()
        if person is not None:
            self.listings[person[1]].append(listing)

    def _entry(self, line: Line) -> None:
        """A person of one of Sojourn's own lists: exactly one Sanction says which list and entry."""
        r = self.reader(line, "a list entry")
        listings = self.listings.get(line.id, [])
        if len(listings) != 1:
            r.error("id", line.id, f"{len(listings)} Sanctions name this list entry; a Sojourn list entry comes "
                                   "with exactly one (program: the list, recordId: the entry id)")
        cells = {**self._entry_names(r, strict=True), **self._person_cells(r, strict=True)}
        r.topics(TOPICS["entry"])
        r.done()
        if len(listings) == 1:
            listing = listings[0]
            self._entry_row(line, listing, listing.list[0], (listing.entry_id, listing.line, "recordId"), cells)

    def _external(self, line: Line) -> None:
        """A person of an external list: what a list entry holds is kept, the rest reported."""
        r = self.reader(line, "a list entry", strict=False)
        if line.block:
            r.error(BLOCK, None, "the sojourn block belongs to Sojourn's own entities (ids sojourn-…)")
        cells = {**self._entry_names(r, strict=False), **self._person_cells(r, strict=False)}
        r.done()
        entry_id: Cell = (external_entry_id(line.id), line, "id")
        listings = self.listings.get(line.id, [])
        if self.list_name:
            self._entry_row(line, merged(listings, line), self.list_name, entry_id, cells)
            return
        by_list: dict[str, list[Listing]] = defaultdict(list)
        for listing in listings:
            by_list[listing.list[0]].append(listing)
        if "" in by_list or (not listings and not line.datasets):
            r.error("id", line.id, "no list to put this person on: a Sanction or Risk naming it with a programId, "
                                   "program or authority, the entity's datasets, or --list")
            return
        if not listings:
            by_list[list_slug(line.datasets[0])] = []
        for name, group in sorted(by_list.items()):
            self._entry_row(line, merged(group, line), name, entry_id, cells)

    def _entry_row(self, line: Line, listing: Listing, list_name: str, entry_id: Cell,
                   cells: dict[str, Cell]) -> None:
        at = listing.line
        reason = listing.reason
        if not listing.strict and len(reason) > MAX_REASON:
            self.problems.not_kept[f"{at.schema}.reason (Sojourn keeps {MAX_REASON} characters)"] += 1
            reason = reason[: MAX_REASON - 1] + "…"
        self.sheets.kinds["watchlist"].add(line, {
            **cells, "entry_id": entry_id, "list": (list_name, at, listing.list[1] or "id"),
            "reason": (reason, at, "reason"), "action": (listing.action, at, "provisions"),
            "valid_from": (listing.start[0], at, listing.start[1]), "valid_to": (listing.end, at, "endDate")})

    def _entry_names(self, r: Reader, *, strict: bool) -> dict[str, Cell]:
        """A list entry's names: the first in characters, the spelling from last/first name, every other as alias."""
        line = r.line
        names, aliases = r.all("name"), [*r.all("alias"), *([] if strict else r.all("previousName"))]
        last, first = r.all("lastName"), r.all("firstName")
        latin_last = last[:1] if strict else [v for v in last if not HAN_RE.search(v)]
        latin_first = first[:1] if strict else [v for v in first if not HAN_RE.search(v)]
        name_zh = next((n for n in (*names, *([] if strict else aliases)) if HAN_RE.search(n)), "")
        if not name_zh and not strict:  # characters given only in parts: 黄 + 美
            name_zh = "".join([*[v for v in last if HAN_RE.search(v)][:1], *[v for v in first if HAN_RE.search(v)][:1]])
        surname, given = (latin_last or [""])[0], (latin_first or [""])[0]
        r.not_kept("lastName", [*latin_last[1:], *(last[1:] if strict else [])], "Sojourn keeps one surname")
        r.not_kept("firstName", [*latin_first[1:], *(first[1:] if strict else [])], "Sojourn keeps one given name")
        if not strict and len(name_zh) > 64:
            name_zh = ""  # too long for the characters field: it stays an alias
        latin = " ".join(p for p in (surname, given) if p)
        others = list(dict.fromkeys(n for n in (*names, *aliases) if n not in (name_zh, latin)))
        return {"name_zh": (name_zh, line, "name"), "surname": (surname, line, "lastName"),
                "given_name": (given, line, "firstName"), "aliases": (";".join(others), line, "alias")}

    def _person_cells(self, r: Reader, *, strict: bool) -> dict[str, Cell]:
        line = r.line
        if strict:
            birth, id_number = r.one("birthDate"), r.one("idNumber")
            nationality = r.country("nationality", "nationality")
        else:
            births = r.full_dates("birthDate")
            r.not_kept("birthDate", births[1:], "Sojourn keeps one birth date")
            birth = births[0] if births else ""
            given = [*r.all("nationality"), *r.all("citizenship")]
            countries = list(dict.fromkeys(c for c in (from_ftm_country(v) for v in given) if c))
            r.not_kept("nationality", [v for v in given if from_ftm_country(v) is None],
                       "no ISO 3166-1 alpha-3 code for this country")
            r.not_kept("nationality", countries[1:], "Sojourn keeps one nationality")
            nationality = ((countries or [""])[0], line, "nationality")
            numbers = [v for v in r.all("idNumber") if _usable(id_number_any, v)]
            r.not_kept("idNumber", [v for v in r.all("idNumber") if v not in numbers[:1]],
                       "Sojourn keeps one ID number (letters and digits, at most 32)")
            id_number = (numbers or [""])[0]
        documents = r.all("passportNumber")
        if not strict:
            from sojourn.feeds.documents import document_number

            r.not_kept("passportNumber", [v for v in documents if not _usable(document_number, v)],
                       "not a document number Sojourn can compare")
            documents = [v for v in documents if _usable(document_number, v)]
        return {"birth_date": (birth, line, "birthDate"), "sex": (r.sex(), line, "gender"),
                "nationality": nationality, "id_number": (id_number, line, "idNumber"),
                "doc_numbers": (";".join(documents), line, "passportNumber")}


def _usable(parse: Callable[[str], object], value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
