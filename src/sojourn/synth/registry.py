"""Synthetic units, officials and post changes.

Units form a tree: the commission → provincial units → departments → divisions, each under
a province with its region code. Officials get ranks distributed like a pyramid, placed in
units that fit their rank, with posts, a share in restricted posts, the date they became
covered and the date they were filed with the exit-entry administration: mostly within the
deadline of 5 working days, about 3% never and about 2% late. Post changes are filed the
same way, with a few filed late or not at all. Every injected anomaly is recorded so tests
can check that the rules find exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from sojourn.synth.ids import PROVINCES, draw_sequences, id_numbers
from sojourn.synth.names import draw_given_names, draw_surnames, romanize

AS_OF = date(2026, 6, 30)  # the generator's "today": fixed, so a seed always gives the same data
DEADLINE_WORKING_DAYS = 5
Frame = dict[str, list[str]]  # an import file: column name → cells, in file order


@dataclass(frozen=True)
class Scale:
    officials: int
    provinces: int
    departments: int  # per province
    divisions: int  # per department
    rank_share: tuple[float, ...] | None = None  # None: RANK_SHARE


RANKS = ("national", "ministerial", "bureau", "division", "section", "staff")
RANK_SHARE = np.array([0.0001, 0.002, 0.03, 0.15, 0.33, 0.4879])
# The national scale's covered officials hold more senior ranks (10.9% bureau and above): the 2006 table
# counts 200,750 relatives abroad of senior officials, which 3.2% of 1,000,000 officials' families cannot hold.
NATIONAL_RANK_SHARE = (0.0003, 0.009, 0.10, 0.20, 0.30, 0.3907)

SCALES = {
    "small": Scale(300, 2, 3, 2),
    "province": Scale(100_000, 4, 20, 12),
    "national": Scale(1_000_000, 31, 25, 12, NATIONAL_RANK_SHARE),
}
RANK_LEVELS = ((0,), (1,), (2,), (2, 3), (3,), (3,))  # unit levels where each rank works
MALE_SHARE = np.array([0.9, 0.88, 0.8, 0.7, 0.6, 0.55])
AGE_RANGE = np.array([[56, 68], [50, 64], [40, 59], [33, 59], [28, 55], [23, 45]])
RESTRICTED_SHARE = np.array([0.6, 0.4, 0.2, 0.08, 0.04, 0.02])
# Titles along a career, last = the rank's own; the current post is one of the last two.
TITLES = (
    ("省长", "副主任", "主任"),
    ("厅长", "副省长", "省长"),
    ("处长", "副厅长", "厅长"),
    ("主任科员", "副处长", "处长"),
    ("科员", "副科长", "科长"),
    ("办事员", "科员", "科员"),
)
STATUSES = ("active", "retired", "under_investigation", "missing", "absconded", "returned", "deceased")
STATUS_SHARE = np.array([0.955, 0.03, 0.006, 0.001, 0.001, 0.001, 0.006])
NOT_FILED_SHARE, FILED_LATE_SHARE = 0.03, 0.02
POST_NOT_FILED_SHARE, POST_FILED_LATE_SHARE = 0.01, 0.02

# fmt: off
DEPARTMENTS = (
    "发展和改革委员会", "教育厅", "科学技术厅", "工业和信息化厅", "公安厅", "民政厅", "司法厅", "财政厅",
    "人力资源和社会保障厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅", "水利厅",
    "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "审计厅", "外事办公室",
    "国有资产监督管理委员会", "市场监督管理局", "统计局", "医疗保障局", "地方金融管理局",
)
DIVISIONS = (
    "办公室", "政策法规处", "人事处", "财务处", "综合处", "规划处", "监督处", "审批处", "科技处",
    "对外合作处", "信息中心", "机关党委",
)
# fmt: on


def days(values: npt.NDArray[np.int64]) -> npt.NDArray[np.timedelta64]:
    return values.astype("timedelta64[D]")


def iso(values: npt.NDArray[np.datetime64]) -> list[str]:
    """Dates as ISO strings, missing (NaT) as empty cells."""
    text = values.astype("datetime64[D]").astype(str)
    text[np.isnat(values)] = ""
    return list(text.tolist())


@dataclass
class Units:
    frame: Frame
    level: npt.NDArray[np.int64]
    province: npt.NDArray[np.int64]  # index into PROVINCES (the commission: Beijing)


def make_units(scale: Scale) -> Units:
    """The unit tree: the commission, then per province its unit, departments and divisions."""
    rows: list[tuple[str, str, str, str, int, int]] = [("COMM", "监察委员会", "", "", 0, 0)]
    for p, (abbr, pname, region, _counties) in enumerate(PROVINCES[: scale.provinces]):
        rows.append((abbr, f"{pname}人民政府", "COMM", region, 1, p))
        for d in range(scale.departments):
            dcode = f"{abbr}-{d + 1:02d}"
            dname = f"{pname}{DEPARTMENTS[d % len(DEPARTMENTS)]}" + (
                f"{d // len(DEPARTMENTS) + 1}" if d >= 25 else ""
            )
            rows.append((dcode, dname, abbr, region, 2, p))
            for v in range(scale.divisions):
                vname = f"{dname}{DIVISIONS[v % len(DIVISIONS)]}" + (f"{v // 12 + 1}" if v >= 12 else "")
                rows.append((f"{dcode}-{v + 1:02d}", vname, dcode, region, 3, p))
    frame: Frame = {
        "unit_code": [r[0] for r in rows],
        "name": [r[1] for r in rows],
        "parent_code": [r[2] for r in rows],
        "region": [r[3] for r in rows],
    }
    return Units(frame, np.array([r[4] for r in rows]), np.array([r[5] for r in rows]))


@dataclass
class Officials:
    """Officials as parallel arrays (plus the file), for the relatives and the manifest."""

    frame: Frame
    ids: list[str]
    rank: npt.NDArray[np.int64]
    male: npt.NDArray[np.bool_]
    birth: npt.NDArray[np.datetime64]
    covered: npt.NDArray[np.datetime64]
    status: npt.NDArray[np.str_]
    restricted: npt.NDArray[np.bool_]
    surname_zh: npt.NDArray[np.str_]
    post_rank_title: npt.NDArray[np.int64]  # index into the rank's TITLES of the current post
    not_filed: list[str]
    filed_late: list[str]


def _place(rng: np.random.Generator, rank: npt.NDArray[np.int64], units: Units) -> npt.NDArray[np.int64]:
    """A unit for each official, among the units of the levels where the rank works."""
    unit = np.empty(len(rank), dtype=np.int64)
    for r, levels in enumerate(RANK_LEVELS):
        mask = rank == r
        eligible = np.flatnonzero(np.isin(units.level, levels))
        unit[mask] = eligible[rng.integers(0, len(eligible), size=int(mask.sum()))]
    return unit


def _birth_dates(
    rng: np.random.Generator, rank: npt.NDArray[np.int64], retired: npt.NDArray[np.bool_]
) -> npt.NDArray[np.datetime64]:
    low, high = AGE_RANGE[rank, 0], AGE_RANGE[rank, 1]
    low, high = np.where(retired, 60, low), np.where(retired, 72, high)
    age_days = (low * 365.25 + rng.random(len(rank)) * (high - low + 1) * 365.25).astype(np.int64)
    return (np.datetime64(AS_OF) - days(age_days)).astype("datetime64[D]")


def _covered_since(rng: np.random.Generator, birth: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    """From age 23 (or 1995) until 60 days before the generator's today."""
    n = len(birth)
    earliest = np.maximum(birth + days(np.full(n, 23 * 365)), np.datetime64("1995-01-01"))
    latest = np.datetime64(AS_OF) - days(np.full(n, 60))
    earliest = np.minimum(earliest, latest)
    offset = days((rng.random(n) * ((latest - earliest).astype(np.int64) + 1)).astype(np.int64))
    return (earliest + offset).astype("datetime64[D]")


def filing_dates(
    rng: np.random.Generator,
    start: npt.NDArray[np.datetime64],
    exempt: npt.NDArray[np.bool_],
    not_filed_share: float,
    late_share: float,
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Filing dates after ``start``: on time, late or never; ``exempt`` rows are always on time.

    The deadline is ``DEADLINE_WORKING_DAYS`` working days (Monday to Friday) after the start,
    counted as ``registry.filing_gap`` counts them.
    """
    due = np.busday_offset(start, DEADLINE_WORKING_DAYS, roll="backward")
    slack = (due - start).astype(np.int64)
    filed = start + days((rng.random(len(start)) * (slack + 1)).astype(np.int64))
    u = rng.random(len(start))
    never = (u < not_filed_share) & ~exempt
    late = (u >= not_filed_share) & (u < not_filed_share + late_share) & ~exempt
    room = np.clip((np.datetime64(AS_OF) - due).astype(np.int64), 1, 50)  # late, but not after today
    filed = np.where(late, due + days(1 + (rng.random(len(start)) * room).astype(np.int64)), filed)
    filed = np.where(never, np.datetime64("NaT"), filed)
    return filed, never, late


@dataclass
class Names:
    surname_zh: npt.NDArray[np.str_]
    given_zh: npt.NDArray[np.str_]
    surname: list[str]
    given: list[str]

    @property
    def name_zh(self) -> list[str]:
        return list(np.char.add(self.surname_zh, self.given_zh).tolist())


def make_names(
    rng: np.random.Generator, male: npt.NDArray[np.bool_], surname_zh: npt.NDArray[np.str_] | None = None
) -> Names:
    """Han names (surnames drawn unless given) and their passport spelling."""
    if surname_zh is None:
        surname_zh = draw_surnames(rng, len(male))
    given_zh = draw_given_names(rng, np.where(male, "M", "F"))
    surname, given = romanize(surname_zh.tolist(), given_zh.tolist())
    return Names(surname_zh, given_zh, surname, given)


def make_officials(rng: np.random.Generator, n: int, units: Units,
                   rank_share: tuple[float, ...] | None = None) -> Officials:
    """``n`` officials across the units, with names, ID numbers, ranks (``rank_share``, default
    ``RANK_SHARE``), posts and filing dates."""
    share = RANK_SHARE if rank_share is None else np.array(rank_share) / sum(rank_share)
    rank = rng.choice(len(RANKS), size=n, p=share)
    unit = _place(rng, rank, units)
    order = np.argsort(unit, kind="stable")  # the file lists officials unit by unit
    rank, unit = rank[order], unit[order]
    male = rng.random(n) < MALE_SHARE[rank]
    status = np.array(STATUSES)[rng.choice(len(STATUSES), size=n, p=STATUS_SHARE)]
    birth = _birth_dates(rng, rank, status == "retired")
    covered = _covered_since(rng, birth)
    filed, never, late = filing_dates(rng, covered, status == "deceased", NOT_FILED_SHARE, FILED_LATE_SHARE)
    ids = [f"SJ{i + 1:07d}" for i in range(n)]
    id_nums = _unique_id_numbers(rng, units.province[unit], birth, male)
    names = make_names(rng, male)
    title = rng.integers(1, 3, size=n)
    restricted = rng.random(n) < RESTRICTED_SHARE[rank]
    frame: Frame = {
        "official_id": ids,
        "unit_code": [units.frame["unit_code"][u] for u in unit.tolist()],
        "name_zh": names.name_zh,
        "surname": names.surname,
        "given_name": names.given,
        "birth_date": iso(birth),
        "sex": np.where(male, "M", "F").tolist(),
        "id_number": id_nums,
        "rank": [RANKS[r] for r in rank.tolist()],
        "post": [TITLES[r][t] for r, t in zip(rank.tolist(), title.tolist(), strict=True)],
        "restricted_post": ["true" if r else "false" for r in restricted.tolist()],
        "covered_since": iso(covered),
        "filed_on": iso(filed),
        "status": status.tolist(),
    }
    return Officials(
        frame,
        ids,
        rank,
        male,
        birth,
        covered,
        status,
        restricted,
        names.surname_zh,
        title,
        not_filed=[ids[i] for i in np.flatnonzero(never)],
        filed_late=[ids[i] for i in np.flatnonzero(late)],
    )


def _unique_id_numbers(
    rng: np.random.Generator,
    province: npt.NDArray[np.int64],
    birth: npt.NDArray[np.datetime64],
    male: npt.NDArray[np.bool_],
) -> list[str]:
    """ID numbers with a region code of the unit's province, the birth date and sex; redrawn until unique."""
    counties = [np.array([int(c) for c in p[3]]) for p in PROVINCES]
    pick = rng.random(len(province))
    region = np.empty(len(province), dtype=np.int64)
    for p, codes in enumerate(counties):
        mask = province == p
        region[mask] = codes[(pick[mask] * len(codes)).astype(np.int64)]
    numbers = id_numbers(region, birth, draw_sequences(rng, male))
    while True:
        first: dict[str, int] = {}
        clash = [i for i, num in enumerate(numbers) if first.setdefault(num, i) != i]
        if not clash:
            return numbers
        idx = np.array(clash)
        for i, num in zip(
            clash, id_numbers(region[idx], birth[idx], draw_sequences(rng, male[idx])), strict=True
        ):
            numbers[i] = num


@dataclass
class PostChanges:
    frame: Frame
    not_filed: list[dict[str, str]]
    filed_late: list[dict[str, str]]


POST_CHANGE_COUNTS = np.array([0.35, 0.35, 0.2, 0.1])  # share of officials with 0, 1, 2, 3 changes


def make_post_changes(rng: np.random.Generator, officials: Officials) -> PostChanges:
    """Each official's recent changes of post, the last one being the current post, with filing dates."""
    n = len(officials.ids)
    owner = np.repeat(np.arange(n), rng.choice(len(POST_CHANGE_COUNTS), size=n, p=POST_CHANGE_COUNTS))
    latest = np.datetime64(AS_OF) - np.timedelta64(30, "D")
    span = (latest - officials.covered[owner]).astype(np.int64)
    offset = (rng.random(len(owner)) * (span + 1)).astype(np.int64)
    order = np.lexsort((offset, owner))
    owner, offset = owner[order], offset[order]
    started = officials.covered[owner] + days(offset)
    keep = np.ones(len(owner), dtype=bool)  # one change a day at most
    keep[1:] = ~((owner[1:] == owner[:-1]) & (started[1:] == started[:-1]))
    owner, started = owner[keep], started[keep]
    last_of = np.cumsum(np.bincount(owner, minlength=n)) - 1
    back = last_of[owner] - np.arange(len(owner))  # 0 for an official's latest change
    title = np.maximum(officials.post_rank_title[owner] - back, 0)
    posts = [TITLES[r][t] for r, t in zip(officials.rank[owner].tolist(), title.tolist(), strict=True)]
    exempt = np.zeros(len(owner), dtype=bool)
    filed, never, late = filing_dates(rng, started, exempt, POST_NOT_FILED_SHARE, POST_FILED_LATE_SHARE)
    ids = [officials.ids[i] for i in owner.tolist()]
    started_text = iso(started)
    frame: Frame = {"official_id": ids, "post": posts, "started_on": started_text, "filed_on": iso(filed)}

    def listed(mask: npt.NDArray[np.bool_]) -> list[dict[str, str]]:
        return [
            {"official_id": ids[i], "post": posts[i], "started_on": started_text[i]}
            for i in np.flatnonzero(mask)
        ]

    return PostChanges(frame, not_filed=listed(never), filed_late=listed(late))
