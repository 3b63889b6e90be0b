"""The synthetic crossing feed: everyone who crosses the border, streamed in blocks, written in chunks.

Most travellers are not covered officials. They are generated row by row from counters
(``sojourn.synth.calendar.uniform``), so a block of the feed is a pure function of its row
range: the rows do not depend on the chunk size, and a feed of any length streams in bounded
memory. Travellers fall into classes by how often they travel (once, twice, four times,
a dozen times to Hong Kong or Macau, and one-way journeys of people leaving or coming back
for good); each traveller's journeys sit in separate slices of the calendar, so their exits
and entries alternate. Busy periods (Spring Festival, Labour Day, the National Day holidays)
draw more journeys.

Nobody here can be mistaken for a registry person: document numbers of Chinese travellers
are checked against the registry's numbers (and use series letters ``N``–``Y`` only; ``Z``
with digits from 9,000,000 is left for the officials' undeclared passports), foreign numbers
have formats the registry never uses, and a traveller whose name key, birth date and sex equal
an official's is born a day later until they do not.

The covered officials' own crossings (``sojourn.synth.travel``) are spread evenly through
the stream at fixed positions, so their event ids are known before the stream is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from sojourn.engine.schema import FEED
from sojourn.synth.calendar import (
    ABROAD,
    ABROAD_CDF,
    COUNTRIES,
    END,
    EPOCH_DAY,
    PORTS,
    U64,
    Ints,
    below,
    bits,
    cdf,
    day_at,
    permute,
    pick,
    ports_for,
    splitmix,
    uniform,
    utc_micros,
)
from sojourn.synth.names import _GIVEN as GIVEN_TABLES  # the registry's given-name characters and weights
from sojourn.synth.names import SURNAMES, given_spelling, surname_spelling

BLOCK = 1_000_000  # rows generated at a time, whatever the chunk size
CHUNK_ROWS = 2_000_000  # rows per Parquet part file
EVENT_PREFIX = "CX"
STREAM = 2  # the counter stream of the non-covered feed
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # passport and permit series letters (never I or O)
FEED_LETTERS = (12, 23)  # series letters N..Y for non-covered Chinese travellers
UNDECLARED_LETTER = 23  # Z, with digits from UNDECLARED_FROM: officials' undeclared passports
UNDECLARED_FROM = 9_000_000
DOC_TYPES = ("passport_ordinary", "permit_hk_macau")
_SPACE = (FEED_LETTERS[1] - FEED_LETTERS[0]) * 10_000_000

# Traveller classes: share of journeys, journeys per traveller, Hong Kong/Macau commuters, one-way journeys.
CLASS_SHARE = np.array([0.30, 0.25, 0.20, 0.20, 0.05])
CLASS_TRIPS = np.array([1, 2, 4, 12, 1])
COMMUTERS, ONE_WAY = 3, 4
FOREIGN_SHARE = 0.22  # of travellers in the ordinary classes
HKMO_RESIDENT_SHARE = 0.3  # of commuters

# Name styles: (surnames, male given names, female given names); pinyin (style 0) is built below.
# fmt: off
STYLES: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (("CHAN", "WONG", "LEUNG", "LEE", "CHEUNG", "LAU", "HO", "NG", "LAM", "TSANG", "CHOW", "TANG", "YEUNG", "KWOK"),
     ("KA MING", "WING KIN", "CHI KEUNG", "HO YIN", "KWOK WAI", "TSZ LOK", "SIU MING", "MAN HO"),
     ("KA YAN", "WING SZE", "MEI LING", "HOI YAN", "SIU WAI", "YUK LAN", "TSZ CHING", "MAN YEE")),
    (("SMITH", "JOHNSON", "BROWN", "TAYLOR", "WILSON", "MARTIN", "MUELLER", "SCHMIDT", "DUBOIS", "BERNARD",
      "IVANOV", "ROSSI", "GARCIA", "WHITE"),
     ("JAMES", "JOHN", "DAVID", "MICHAEL", "THOMAS", "PETER", "ALEXANDER", "PAUL", "LUCA", "PIERRE"),
     ("MARY", "ANNA", "SARAH", "EMMA", "LAURA", "ELENA", "SOPHIE", "JULIA", "CLAIRE", "MARIA")),
    (("SATO", "SUZUKI", "TAKAHASHI", "TANAKA", "WATANABE", "ITO", "YAMAMOTO", "NAKAMURA", "KOBAYASHI"),
     ("HIROSHI", "TAKESHI", "KENJI", "YUKI", "DAISUKE", "SHOTA"), ("YUKO", "AKIKO", "HARUKA", "MISAKI", "AYA")),
    (("KIM", "LEE", "PARK", "CHOI", "JUNG", "KANG", "CHO", "YOON", "JANG"),
     ("MINJUN", "SEOJUN", "JIHOON", "HYUNWOO", "DONGHYUN"), ("SEOYEON", "JIWOO", "MINJI", "SOYEON", "HAEUN")),
    (("SRISAI", "CHAIYAPORN", "SUKSAWAT", "WONGSA", "KAEWMANEE", "BOONMA"),
     ("SOMCHAI", "PRASERT", "ANAN", "KITTI"), ("SUDA", "MALEE", "PORNTIP", "SIRIPORN")),
    (("NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "VU", "DANG"),
     ("VAN AN", "MINH DUC", "QUANG HUY", "VAN NAM"), ("THI HOA", "THI LAN", "NGOC ANH", "THU HA")),
)
# Nationalities of foreign travellers: (code, name style, weight, number prefix, series letter, digits, check letter).
NATIONALITIES = (
    ("HKG", 1, 14, "K", False, 8, False), ("MAC", 1, 5, "MA", False, 7, False), ("USA", 2, 8, "", False, 9, False),
    ("KOR", 4, 9, "M", False, 8, False), ("JPN", 3, 8, "T", True, 7, False), ("SGP", 1, 5, "K", False, 7, True),
    ("MYS", 1, 6, "A", False, 8, False), ("THA", 5, 5, "AA", False, 7, False), ("RUS", 2, 5, "", False, 9, False),
    ("VNM", 6, 5, "B", False, 7, False), ("AUS", 2, 4, "N", False, 7, False), ("GBR", 2, 4, "", False, 9, False),
    ("DEU", 2, 3, "L", False, 8, False), ("FRA", 2, 3, "", False, 9, False), ("CAN", 2, 3, "A", True, 6, False),
    ("IDN", 1, 3, "X", False, 7, False),
)
# fmt: on
FOREIGN_CDF = cdf([n[2] for n in NATIONALITIES[2:]])  # foreigners other than HK/Macau residents
# Number formats: 0 Chinese passport, 1 Chinese permit, then one per foreign nationality.
FMT_PREFIX = ("E", "C", *(n[3] for n in NATIONALITIES))
FMT_LETTER = np.array([True, True, *(n[4] for n in NATIONALITIES)])
FMT_WIDTH = np.array([7, 7, *(n[5] for n in NATIONALITIES)], dtype=np.int64)
FMT_CHECK = np.array([False, False, *(n[6] for n in NATIONALITIES)])
NATION_CODES = ("CHN", *(n[0] for n in NATIONALITIES))  # nationality index 0 is China
NATION_STYLE = np.array([0, *(n[1] for n in NATIONALITIES)], dtype=np.int64)
NATION_COUNTRY = np.array([-1, *(COUNTRIES.index(n[0]) for n in NATIONALITIES)], dtype=np.int64)
_HASH_BASE = 131
_MASK = (1 << 64) - 1


def name_hash(text: str) -> int:
    """A 64-bit polynomial hash of a name key (upper-case letters only), composable by concatenation."""
    h = 0
    for ch in text:
        h = (h * _HASH_BASE + ord(ch)) & _MASK
    return h


def _letters_only(text: str) -> str:
    return re.sub(r"[^A-Z]", "", text.upper())


@dataclass(frozen=True)
class NameTable:
    """Every surname and given name a traveller can bear, by style and sex, with weights and hashes."""

    surnames: pa.Array
    given: pa.Array
    surname_hash: U64
    given_hash: U64
    given_power: U64  # _HASH_BASE ** len(given key), wrapped
    surname_cdf: list[tuple[int, np.ndarray]]  # per style: (offset, cdf)
    given_cdf: list[dict[bool, tuple[int, np.ndarray]]]  # per style and sex (True: male)


def _table_parts(texts: Sequence[str]) -> tuple[U64, U64]:
    keys = [_letters_only(t) for t in texts]
    hashes = np.array([name_hash(k) for k in keys], dtype=np.uint64)
    powers = np.array([pow(_HASH_BASE, len(k), 1 << 64) for k in keys], dtype=np.uint64)
    return hashes, powers


def _pinyin_style() -> tuple[list[str], np.ndarray, dict[bool, tuple[list[str], np.ndarray]]]:
    """Passport spellings of the registry's surnames and given names, with the registry's weights.

    Two-character given names are spelled syllable by syllable (what a passport prints for
    the common characters the generator uses)."""
    surnames: dict[str, float] = {}
    for zh, weight in SURNAMES:
        spelled = surname_spelling(zh)
        surnames[spelled] = surnames.get(spelled, 0.0) + weight
    given: dict[bool, tuple[list[str], np.ndarray]] = {}
    for sex, (chars, p) in GIVEN_TABLES.items():
        syllables = [given_spelling(str(c)) for c in chars.tolist()]
        names = [*syllables, *(a + b for a in syllables for b in syllables)]
        weights = np.concatenate([p * 0.25, np.outer(p, p).ravel() * 0.75])
        given[sex == "M"] = (names, weights)
    return list(surnames), np.array(list(surnames.values())), given


def make_name_table() -> NameTable:
    py_surnames, py_weights, py_given = _pinyin_style()
    surnames: list[str] = []
    given: list[str] = []
    surname_cdf = []
    given_cdf = []
    styles = [(py_surnames, py_weights, py_given)] + [
        (list(s), np.ones(len(s)), {True: (list(m), np.ones(len(m))), False: (list(f), np.ones(len(f)))})
        for s, m, f in STYLES
    ]
    for names, weights, by_sex in styles:
        surname_cdf.append((len(surnames), cdf(weights)))
        surnames += names
        per_sex = {}
        for male, (g_names, g_weights) in by_sex.items():
            per_sex[male] = (len(given), cdf(g_weights))
            given += g_names
        given_cdf.append(per_sex)
    s_hash, _ = _table_parts(surnames)
    g_hash, g_pow = _table_parts(given)
    return NameTable(pa.array(surnames, pa.string()), pa.array(given, pa.string()), s_hash, g_hash, g_pow,
                     surname_cdf, given_cdf)  # fmt: skip


def person_key(name: U64, birth_epoch_days: Ints, male: np.ndarray) -> U64:
    """One 64-bit key per (name key, birth date, sex): equal people have equal keys."""
    salt = splitmix((birth_epoch_days.astype(np.int64) * 2 + male.astype(np.int64) + 17).astype(np.uint64))
    return splitmix(name ^ salt)


def registry_number_codes(numbers: Sequence[str]) -> KeySet:
    """Registry numbers in the feed's Chinese series (``E``/``C`` + letter + 7 digits), as mixed codes."""
    pattern = re.compile(r"([EC])([A-HJ-NP-Z])(\d{7})")
    codes = []
    for number in numbers:
        m = pattern.fullmatch(number)
        if m:
            kind = 0 if m[1] == "E" else 1
            codes.append(kind * 1_000_000_000 + LETTERS.index(m[2]) * 10_000_000 + int(m[3]))
    return number_codes(np.array(codes, dtype=np.uint64))


def number_codes(codes: U64) -> KeySet:
    """``kind * 10**9 + letter * 10**7 + digits`` codes, mixed so that their top bits spread (see KeySet)."""
    return KeySet(splitmix(codes.astype(np.uint64)))


class KeySet:
    """A fixed set of 64-bit keys with a fast membership test for many random keys at once.

    A bitmap of the keys' top bits rules most keys out with one memory access each; only the rest
    are looked up in the sorted keys (a binary search per key is slow against tens of millions)."""

    BITS = 28

    def __init__(self, keys: U64) -> None:
        self.keys = np.sort(keys.astype(np.uint64))  # duplicates do no harm; np.unique is slow here
        self.bitmap = np.zeros(1 << (self.BITS - 3), dtype=np.uint8)
        top = self.keys >> np.uint64(64 - self.BITS)
        np.bitwise_or.at(self.bitmap, (top >> np.uint64(3)).astype(np.int64),
                         (np.uint8(1) << (top & np.uint64(7)).astype(np.uint8)))  # fmt: skip

    def __len__(self) -> int:
        return len(self.keys)

    def contains(self, values: U64) -> np.ndarray:
        out = np.zeros(len(values), dtype=bool)
        if not len(self.keys):
            return out
        top = values >> np.uint64(64 - self.BITS)
        maybe = np.flatnonzero((self.bitmap[(top >> np.uint64(3)).astype(np.int64)]
                                >> (top & np.uint64(7)).astype(np.uint8)) & 1)  # fmt: skip
        candidates = values[maybe]
        at = np.minimum(np.searchsorted(self.keys, candidates), len(self.keys) - 1)
        out[maybe] = self.keys[at] == candidates
        return out


def _member(values: U64, keys: KeySet) -> np.ndarray:
    return keys.contains(values)


@dataclass(frozen=True)
class Layout:
    """How the non-covered rows split into journeys, classes and travellers."""

    rows: int
    lo: Ints  # first journey of each class
    trips: Ints  # journeys per traveller in each class
    base: Ints  # first traveller id of each class
    travellers: int


def layout(rows: int) -> Layout:
    journeys = (rows + 1) // 2
    bounds = np.round(np.concatenate([[0.0], np.cumsum(CLASS_SHARE)]) * journeys).astype(np.int64)
    bounds[-1] = journeys
    counts = np.diff(bounds)
    people = -(-counts // CLASS_TRIPS)
    people[ONE_WAY] = 2 * counts[ONE_WAY]
    base = np.concatenate([[0], np.cumsum(people)[:-1]]).astype(np.int64)
    return Layout(rows, bounds[:-1], CLASS_TRIPS.astype(np.int64), base, int(people.sum()))


@dataclass(frozen=True)
class FeedPlan:
    """Everything needed to stream the feed: sizes, the covered rows and their positions, the registry."""

    seed: int
    total: int
    covered: pa.Table  # FEED columns but event_id, in the order they take their positions
    positions: Ints  # sorted global row positions of the covered rows
    names: NameTable
    official_keys: KeySet  # person keys of every official
    registry_codes: KeySet  # codes of the registry's numbers in the feed's Chinese series

    @property
    def layout(self) -> Layout:
        return layout(self.total - len(self.positions))


def covered_positions(total: int, count: int, seed: int) -> Ints:
    """``count`` distinct sorted positions in ``[0, total)``, one in each of ``count`` equal stretches."""
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    k = np.arange(count, dtype=np.int64)
    lo = k * total // count
    width = (k + 1) * total // count - lo
    out: Ints = lo + below(uniform(seed, 3, 0, k), width)
    return out


def event_ids(first: int, count: int) -> pa.Array:
    numbers = pa.array(np.arange(first + 1, first + count + 1, dtype=np.int64) + 10**10)
    return pc.binary_join_element_wise(EVENT_PREFIX, pc.utf8_slice_codeunits(pc.cast(numbers, pa.string()), 1), "")


def event_id(position: int) -> str:
    return f"{EVENT_PREFIX}{position + 1:010d}"


@dataclass
class _Travellers:
    nation: Ints
    surname: Ints
    given: Ints
    male: np.ndarray
    birth: Ints  # days since 1970-01-01
    fmt: Ints
    letter: Ints  # -1: none
    digits: Ints
    check: Ints  # -1: none


def _travellers(plan: FeedPlan, t: Ints, cls: Ints) -> _Travellers:
    """The stable identity of each traveller id (a pure function of the id and the registry)."""
    seed, names = plan.seed, plan.names
    u = [uniform(seed, STREAM, 100 + f, t) for f in range(8)]
    commuter = cls == COMMUTERS
    foreign = np.where(commuter, u[0] < HKMO_RESIDENT_SHARE, (u[0] < FOREIGN_SHARE) & (cls != ONE_WAY))
    nation = np.where(
        commuter, 1 + (u[1] < 0.3).astype(np.int64), 3 + pick(u[1], FOREIGN_CDF)
    )
    nation = np.where(foreign, nation, 0)
    style = NATION_STYLE[nation]
    male = u[2] < 0.55
    surname = np.empty(len(t), dtype=np.int64)
    given = np.empty(len(t), dtype=np.int64)
    for s, (offset, s_cdf) in enumerate(names.surname_cdf):
        mask = style == s
        surname[mask] = offset + pick(u[3][mask], s_cdf)
        for sex, (g_offset, g_cdf) in names.given_cdf[s].items():
            both = mask & (male == sex)
            given[both] = g_offset + pick(u[4][both], g_cdf)
    birth = EPOCH_DAY + END - (18 * 365 + (u[5] * 57 * 365).astype(np.int64))
    name = names.surname_hash[surname] * names.given_power[given] + names.given_hash[given]
    for _ in range(1000):  # born a day later until nobody in the registry has the same name, birth and sex
        clash = _member(person_key(name, birth, male), plan.official_keys)
        if not clash.any():
            break
        birth = birth + clash
    fmt = np.where(nation == 0, commuter.astype(np.int64), nation + 1)
    code = permute(t % _SPACE, _SPACE, int(bits(seed, STREAM, 99, np.zeros(1, dtype=np.int64))[0]))
    kind = (fmt == 1).astype(np.uint64)
    for _ in range(1000):  # never a registry number
        full = splitmix(kind * np.uint64(1_000_000_000) + np.uint64(FEED_LETTERS[0] * 10_000_000)
                        + code.astype(np.uint64))  # fmt: skip
        clash = (nation == 0) & _member(full, plan.registry_codes)
        if not clash.any():
            break
        code = np.where(clash, (code + 7919) % _SPACE, code)
    width = FMT_WIDTH[fmt]
    letter = np.where(FMT_LETTER[fmt], np.where(nation == 0, FEED_LETTERS[0] + code // 10_000_000,
                                                below(u[6], len(LETTERS))), -1)  # fmt: skip
    digits = np.where(nation == 0, code % 10_000_000, (splitmix(t.astype(np.uint64) ^ np.uint64(seed + 5))
                                                       % (10 ** width.astype(np.uint64))).astype(np.int64))  # fmt: skip
    check = np.where(FMT_CHECK[fmt], below(u[7], 26), -1)
    return _Travellers(nation, surname, given, male, birth, fmt, letter, digits, check)


def _journeys(plan: FeedPlan, j: Ints) -> dict[str, Ints]:
    """Both legs of each journey: leg 0 then leg 1, as arrays of (journey count × 2) rows."""
    lay, seed = plan.layout, plan.seed
    cls = np.searchsorted(lay.lo, j, side="right") - 1
    local = j - lay.lo[cls]
    per = lay.trips[cls]
    one_way = cls == ONE_WAY
    traveller = np.where(one_way, lay.base[cls] + 2 * local, lay.base[cls] + local // per)
    slot = local % per
    u = [uniform(seed, STREAM, f, j) for f in range(10)]
    first = day_at((slot + 0.05 + 0.85 * u[0]) / per)
    slot_end = np.maximum(day_at((slot + 1.0) / per), first)
    stay = np.where(cls == COMMUTERS, below(u[1], 3), 1 + (18 * u[1] ** 2).astype(np.int64))
    second = np.minimum(np.minimum(first + stay, slot_end), END)
    t0 = 360 + below(u[2], 1020)
    t1 = 420 + below(u[3], 1010)
    same = first == second
    t0 = np.where(same, 360 + (t0 - 360) * 480 // 1020, t0)  # a day trip leaves by 14:00
    t1 = np.where(same, np.maximum(t1, t0 + 120), t1)
    who = _travellers(plan, np.concatenate([traveller, traveller + one_way]), np.concatenate([cls, cls]))
    n = len(j)
    nation0 = who.nation[:n]
    country = np.where(cls == COMMUTERS, (u[4] < 0.35).astype(np.int64), ABROAD[pick(u[4], ABROAD_CDF)])
    country = np.where(nation0 > 0, np.where(cls == COMMUTERS, NATION_COUNTRY[nation0], country), country)
    home = NATION_COUNTRY[nation0]
    country1 = np.where((nation0 > 0) & (cls != COMMUTERS), np.where(u[5] < 0.8, home, country), country)
    country1 = np.where(one_way, ABROAD[pick(u[5], ABROAD_CDF)], country1)
    legs_country = np.concatenate([np.where(nation0 > 0, country1, country),
                                   np.where(nation0 > 0, country, country1)])  # fmt: skip
    entry_first = nation0 > 0  # foreigners arrive, then leave
    direction = np.concatenate([entry_first, ~entry_first | one_way]).astype(np.int64)
    day = np.concatenate([first, np.where(one_way, first + below(u[6], 30), second)])
    minute = np.concatenate([t0, t1])
    port = ports_for(legs_country, np.concatenate([u[7], u[8]]), np.concatenate([u[8], u[9]]))
    return {"day": np.minimum(day, END), "minute": minute, "direction": direction, "country": legs_country,
            "port": port, **{k: v for k, v in vars(who).items()}}  # fmt: skip


_DIRECTIONS = pa.array(["exit", "entry"])
_COUNTRIES = pa.array(list(COUNTRIES))
_PORTS = pa.array(list(PORTS))
_NATIONS = pa.array(list(NATION_CODES))
_FMT_PREFIX = pa.array(list(FMT_PREFIX))
_LETTER_TEXT = pa.array([*LETTERS, ""])
_CHECK_TEXT = pa.array([*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", ""])
_DOC_TYPE = pa.array(["passport_ordinary", "permit_hk_macau"] + ["passport_ordinary"] * len(NATIONALITIES))
_SEX = pa.array(["F", "M"])


def noncovered_rows(plan: FeedPlan, r0: int, r1: int) -> pa.Table:
    """Rows ``r0``..``r1`` of the non-covered part of the feed (FEED columns but event_id)."""
    if r1 <= r0:
        return FEED.remove(0).empty_table()
    j0, j1 = r0 // 2, (r1 - 1) // 2 + 1
    legs = _journeys(plan, np.arange(j0, j1, dtype=np.int64))
    n = j1 - j0
    order = np.empty(2 * n, dtype=np.int64)  # interleave: journey's leg 0, leg 1, next journey …
    order[0::2], order[1::2] = np.arange(n), np.arange(n) + n
    take = order[r0 - 2 * j0 : r1 - 2 * j0]
    col = {k: v[take] for k, v in legs.items()}
    digits = pc.utf8_slice_codeunits(pc.cast(pa.array(col["digits"] + 10 ** FMT_WIDTH[col["fmt"]]), pa.string()), 1)
    number = pc.binary_join_element_wise(
        _FMT_PREFIX.take(pa.array(col["fmt"])), _LETTER_TEXT.take(pa.array(np.where(col["letter"] < 0, 24, col["letter"]))),
        digits, _CHECK_TEXT.take(pa.array(np.where(col["check"] < 0, 26, col["check"]))), "",
    )  # fmt: skip
    issuer = _NATIONS.take(pa.array(col["nation"]))
    columns = {
        "crossed_at": pa.array(utc_micros(col["day"], col["minute"]), pa.int64()).cast(FEED.field("crossed_at").type),
        "direction": _DIRECTIONS.take(pa.array(col["direction"])),
        "port": _PORTS.take(pa.array(col["port"])),
        "doc_type": _DOC_TYPE.take(pa.array(col["fmt"])),
        "doc_issuer": issuer,
        "doc_number": number,
        "surname": plan.names.surnames.take(pa.array(col["surname"])),
        "given_name": plan.names.given.take(pa.array(col["given"])),
        "birth_date": pa.array(col["birth"].astype(np.int32), pa.int32()).cast(pa.date32()),
        "sex": _SEX.take(pa.array(col["male"].astype(np.int64))),
        "nationality": issuer,
        "country": _COUNTRIES.take(pa.array(col["country"])),
    }
    return pa.table(columns, schema=FEED.remove(0))


def feed_block(plan: FeedPlan, g0: int, g1: int) -> pa.Table:
    """Rows ``g0``..``g1`` of the whole feed: the non-covered rows with the covered ones at their positions."""
    c0, c1 = np.searchsorted(plan.positions, [g0, g1])
    others = noncovered_rows(plan, g0 - int(c0), g1 - int(c1))
    covered = plan.covered.slice(int(c0), int(c1 - c0))
    is_covered = np.zeros(g1 - g0, dtype=bool)
    is_covered[plan.positions[c0:c1] - g0] = True
    order = np.empty(g1 - g0, dtype=np.int64)
    order[~is_covered] = np.arange(others.num_rows)
    order[is_covered] = others.num_rows + np.arange(covered.num_rows)
    merged = pa.concat_tables([others, covered]).take(pa.array(order))
    return merged.add_column(0, FEED.field("event_id"), event_ids(g0, g1 - g0)).combine_chunks()


def feed_blocks(plan: FeedPlan, block: int = BLOCK) -> Iterator[pa.Table]:
    for g0 in range(0, plan.total, block):
        yield feed_block(plan, g0, min(plan.total, g0 + block))


def write_feed(plan: FeedPlan, directory: Path, *, chunk_rows: int = CHUNK_ROWS) -> list[Path]:
    """Write the feed as ``directory/part-00000.parquet`` … of at most ``chunk_rows`` rows each."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("part-*.parquet"):
        old.unlink()
    paths: list[Path] = []
    writer: pq.ParquetWriter | None = None
    room = 0
    for table in feed_blocks(plan):
        at = 0
        while at < table.num_rows:
            if room == 0:
                if writer is not None:
                    writer.close()
                paths.append(directory / f"part-{len(paths):05d}.parquet")
                writer = pq.ParquetWriter(paths[-1], FEED, compression="zstd")
                room = chunk_rows
            piece = table.slice(at, min(room, table.num_rows - at))
            assert writer is not None
            writer.write_table(piece)
            at += piece.num_rows
            room -= piece.num_rows
    if writer is not None:
        writer.close()
    if not paths:  # an empty feed is still a feed
        paths.append(directory / "part-00000.parquet")
        pq.write_table(FEED.empty_table(), paths[0], compression="zstd")
    return paths


def local_text(crossed_at: pa.Array) -> pa.Array:
    """UTC timestamps as local ISO 8601 text with the +08:00 offset."""
    local = pc.add(crossed_at.cast(pa.timestamp("us")), pa.scalar(8 * 3600 * 10**6, pa.duration("us")))
    return pc.strftime(local.cast(pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%S+08:00")


def write_feed_csv(plan: FeedPlan, path: Path) -> Path:
    """The whole feed as one CSV file (for small feeds people want to read)."""
    with pcsv.CSVWriter(path, FEED.set(1, pa.field("crossed_at", pa.string())),
                        write_options=pcsv.WriteOptions(quoting_style="needed")) as writer:  # fmt: skip
        for table in feed_blocks(plan):
            writer.write_table(table.set_column(1, "crossed_at", local_text(table["crossed_at"])))
    return path
