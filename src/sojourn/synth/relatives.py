"""Synthetic relatives: spouses, children and parents, a share of them abroad by destination and period.

Destinations follow the groups of the 2006 press report on cadres' families abroad (Hong Kong,
Macau, the United States, Western Europe, the Nordic countries, Australia, New Zealand, Canada,
South East Asia). Some officials are given a spouse and children who have all emigrated. Members
of one family mostly live in the same destination group, so one official's family abroad is
usually one case of the families-abroad report.

The share abroad depends on the scale (``PLANS``). The small and province scales keep realistic
shares (under 10% of children, about 1% of spouses), with our own rough weights of destinations
and periods. The national scale reproduces the people figures of the 2006 report's table
(``TABLE_2006``): about 1.19 spouses and children abroad per official, by destination, period of
emigration and activity in the table's proportions, 200,750 of them relatives of senior officials (the
national scale's officials hold more senior ranks for that, ``NATIONAL_RANK_SHARE``). That is far more than 1,000,000 officials'
families hold at realistic ages, so at that scale the proportions win over realism: children of
any age may live abroad, and a relative who left before the age a family allows (a spouse before
20, a child before birth) is given an earlier birth date. The table's cases cannot be reproduced
(Nordic countries: 34 people a case; the United States: fewer people than cases). The national
scale proves the report's pipeline at scale, not the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sojourn.reports.destinations import DEFAULT_SENIOR_RANKS, Groups
from sojourn.synth.names import draw_surnames
from sojourn.synth.registry import AS_OF, RANKS, Frame, Officials, days, iso, make_names

# group → (weight, ((country, weight within the group), ...)); the weights are our own rough guesses
DESTINATIONS: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {
    "Hong Kong": (0.14, (("HKG", 1.0),)),
    "Macau": (0.04, (("MAC", 1.0),)),
    "United States": (0.26, (("USA", 1.0),)),
    "Western Europe": (
        0.12,
        (
            ("GBR", 0.35),
            ("DEU", 0.2),
            ("FRA", 0.15),
            ("NLD", 0.08),
            ("ITA", 0.06),
            ("ESP", 0.05),
            ("CHE", 0.04),
            ("BEL", 0.03),
            ("IRL", 0.02),
            ("AUT", 0.02),
        ),
    ),  # fmt: skip
    "Nordic countries": (0.03, (("SWE", 0.4), ("NOR", 0.2), ("DNK", 0.2), ("FIN", 0.15), ("ISL", 0.05))),
    "Australia": (0.12, (("AUS", 1.0),)),
    "New Zealand": (0.04, (("NZL", 1.0),)),
    "Canada": (0.15, (("CAN", 1.0),)),
    "South East Asia": (0.10, (("SGP", 0.55), ("MYS", 0.25), ("THA", 0.2))),
}
COUNTRY_GROUP = {c: Groups().group_of(c) for _w, countries in DESTINATIONS.values() for c, _cw in countries}
# The 2006 report's table: people and cases by destination, people by period and by category.
TABLE_2006_DESTINATIONS: dict[str, tuple[int, int]] = {
    "Hong Kong": (193_000, 43_500), "Macau": (25_000, 8_400), "United States": (19_500, 26_000),
    "Western Europe": (164_000, 20_000), "Nordic countries": (203_000, 6_000),
    "Australia": (230_000, 35_000), "New Zealand": (29_000, 2_000), "Canada": (225_000, 54_000),
    "South East Asia": (110_000, 2_800),
}  # fmt: skip
TABLE_2006_PERIODS = {"1985–1990": 233_000, "1991–1998": 565_000, "1999–2005": 389_000}
TABLE_2006_CATEGORIES = {"senior": 200_750, "business": 153_000, "study": 138_300}
TABLE_2006_PEOPLE = sum(p for p, _c in TABLE_2006_DESTINATIONS.values())
# (label, first day, weight) of the period a relative went abroad in; each runs to the next one's start
PERIODS = (("1990-1999", "1990-01-01", 0.15), ("2000-2009", "2000-01-01", 0.35),
           ("2010-2019", "2010-01-01", 0.35), ("2020-", "2020-01-01", 0.15))  # fmt: skip
# The table's periods, and the people it leaves out of them (its destinations count 11,500 more) after 2005.
PERIODS_2006 = (("1985–1990", "1985-01-01", 233_000.0), ("1991–1998", "1991-01-01", 565_000.0),
                ("1999–2005", "1999-01-01", 389_000.0), ("2006-", "2006-01-01", 11_500.0))  # fmt: skip
SPOUSE, CHILD, PARENT = 0, 1, 2
RELATIONSHIPS = ("spouse", "child", "parent")
ABROAD_SHARE = np.array([0.008, 0.09, 0.005])  # by relationship; children only from age 17
NAKED_SHARE = 0.005  # officials with spouse and children given a family that has all emigrated
SAME_DESTINATION = 0.8  # chance a relative abroad lives in the family's destination group
EMIGRATED_STATUSES = ("citizen", "permanent_resident", "long_term_resident")
YEAR = 365.25


@dataclass(frozen=True)
class AbroadPlan:
    """How many spouses and children live abroad, where, since when and doing what, at one scale."""

    per_official: float | None = None  # spouses and children abroad per official; None: ABROAD_SHARE
    destination_weights: tuple[float, ...] = tuple(w for w, _c in DESTINATIONS.values())
    periods: tuple[tuple[str, str, float], ...] = PERIODS
    business: float | None = None  # shares of the relatives abroad; None: by age and relationship
    study: float | None = None
    emigrated_within_years: float = 10.0  # emigration (citizenship, permanent residence) after leaving
    min_age: tuple[float, float, float] = (22.0, 16.0, 45.0)  # at departure, by relationship
    move_birth: bool = False  # True: a relative who left too young is made older, the period is kept
    senior_people: int | None = None  # of them relatives of senior officials (DEFAULT_SENIOR_RANKS); None: any


NATIONAL = AbroadPlan(
    per_official=TABLE_2006_PEOPLE / 1_000_000,
    destination_weights=tuple(TABLE_2006_DESTINATIONS[g][0] / TABLE_2006_PEOPLE for g in DESTINATIONS),
    periods=PERIODS_2006,
    business=TABLE_2006_CATEGORIES["business"] / TABLE_2006_PEOPLE,
    study=TABLE_2006_CATEGORIES["study"] / TABLE_2006_PEOPLE,
    emigrated_within_years=0.0,
    min_age=(20.0, 0.0, 45.0),
    move_birth=True,
    senior_people=TABLE_2006_CATEGORIES["senior"],
)
PLANS = {"small": AbroadPlan(), "province": AbroadPlan(), "national": NATIONAL}


@dataclass
class Relatives:
    frame: Frame
    owner: npt.NDArray[np.int64]  # index of the official
    relationship: npt.NDArray[np.int64]
    abroad: npt.NDArray[np.bool_]
    emigrated: npt.NDArray[np.bool_]  # foreign nationality, or permanent or long-term residence abroad
    abroad_since: npt.NDArray[np.datetime64]
    emigrated_on: npt.NDArray[np.datetime64]
    country: npt.NDArray[np.str_]
    status: npt.NDArray[np.str_]
    activity: npt.NDArray[np.str_]


@dataclass
class _People:
    owner: npt.NDArray[np.int64]
    relationship: npt.NDArray[np.int64]
    male: npt.NDArray[np.bool_]
    birth: npt.NDArray[np.datetime64]
    surname_zh: npt.NDArray[np.str_]


def _years(rng: np.random.Generator, n: int, low: float, high: float) -> npt.NDArray[np.timedelta64]:
    return days((YEAR * (low + rng.random(n) * (high - low))).astype(np.int64))


def _family(rng: np.random.Generator, off: Officials) -> _People:
    """Spouses, children and living parents of every official, sorted by official."""
    n, today = len(off.ids), np.datetime64(AS_OF)
    age = (today - off.birth).astype(np.int64) / YEAR
    spouse_surname = draw_surnames(rng, n)
    has_spouse = rng.random(n) < np.where(age >= 28, 0.92, 0.5)
    s = np.flatnonzero(has_spouse)
    s_birth = np.minimum(off.birth[s] + _years(rng, len(s), -5, 5), today - _years(rng, len(s), 20, 20))
    c = np.repeat(np.arange(n), rng.choice(4, size=n, p=[0.12, 0.63, 0.22, 0.03]))
    c_birth = off.birth[c] + _years(rng, len(c), 24, 36)
    c, c_birth = c[c_birth < today], c_birth[c_birth < today]
    fathers_side = off.male[c] | ~has_spouse[c] | (rng.random(len(c)) < 0.1)
    c_surname = np.where(fathers_side, off.surname_zh[c], spouse_surname[c])
    p = np.repeat(np.arange(n), 2)
    p_male = np.tile([True, False], n)
    p_birth = off.birth[p] - _years(rng, len(p), 22, 35)
    p_age = (today - p_birth).astype(np.int64) / YEAR
    alive = rng.random(len(p)) < np.clip(1 - (p_age - 60) / 35, 0.05, 0.97)
    p, p_male, p_birth = p[alive], p_male[alive], p_birth[alive]
    p_surname = np.where(p_male, off.surname_zh[p], draw_surnames(rng, len(p)))
    people = _People(
        owner=np.concatenate([s, c, p]),
        relationship=np.concatenate(
            [np.full(len(s), SPOUSE), np.full(len(c), CHILD), np.full(len(p), PARENT)]
        ),
        male=np.concatenate([~off.male[s], rng.random(len(c)) < 0.5, p_male]),
        birth=np.concatenate([s_birth, c_birth, p_birth]),
        surname_zh=np.concatenate([spouse_surname[s], c_surname, p_surname]),
    )
    order = np.lexsort((people.birth, people.relationship, people.owner))
    return _People(
        *(getattr(people, f)[order] for f in ("owner", "relationship", "male", "birth", "surname_zh"))
    )


def _naked_families(rng: np.random.Generator, people: _People, n_officials: int) -> npt.NDArray[np.bool_]:
    """Mark the spouse and children of a few officials who have both, to be given emigrated status."""
    with_spouse = np.bincount(people.owner[people.relationship == SPOUSE], minlength=n_officials) > 0
    with_child = np.bincount(people.owner[people.relationship == CHILD], minlength=n_officials) > 0
    chosen: npt.NDArray[np.bool_] = with_spouse & with_child & (rng.random(n_officials) < NAKED_SHARE)
    return np.asarray(chosen[people.owner] & (people.relationship != PARENT), dtype=np.bool_)


def _who_is_abroad(
    rng: np.random.Generator, people: _People, naked: npt.NDArray[np.bool_], n_officials: int, plan: AbroadPlan,
    senior_official: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """The injected families, plus a share by relationship (children from 17), or exactly
    ``plan.per_official`` spouses and children per official drawn among all of them (national), of whom
    ``plan.senior_people`` (as far as their families hold them) are relatives of senior officials."""
    n, today = len(people.owner), np.datetime64(AS_OF)
    age = (today - people.birth).astype(np.int64) / YEAR
    u = rng.random(n)
    if plan.per_official is None:
        old_enough = (people.relationship != CHILD) | (age >= 17)
        return np.asarray(naked | ((u < ABROAD_SHARE[people.relationship]) & old_enough), dtype=np.bool_)
    close = people.relationship != PARENT
    wanted = round(plan.per_official * n_officials) - int(naked.sum())
    candidates = np.flatnonzero(close & ~naked)
    wanted = min(max(wanted, 0), len(candidates))
    abroad: npt.NDArray[np.bool_] = np.asarray(naked | ((u < ABROAD_SHARE[PARENT]) & ~close), dtype=np.bool_)
    if plan.senior_people is not None:  # the senior officials' share first, the rest among the others
        senior = senior_official[people.owner[candidates]]
        of_senior = candidates[senior]
        n_senior = min(max(plan.senior_people - int((naked & close & senior_official[people.owner]).sum()), 0),
                       len(of_senior), wanted)
        abroad[of_senior[np.argsort(u[of_senior], kind="stable")[:n_senior]]] = True
        wanted, candidates = wanted - n_senior, candidates[~senior]
    chosen = candidates[np.argsort(u[candidates], kind="stable")[:wanted]]
    abroad[chosen] = True
    return abroad


def _destinations(
    rng: np.random.Generator, people: _People, abroad: npt.NDArray[np.bool_], n_officials: int, plan: AbroadPlan
) -> npt.NDArray[np.str_]:
    """A country for each relative abroad: mostly the family's destination group, a country in it by weight.

    The family's group and each relative's own group are drawn with the same weights, so the
    groups keep their shares of people while families cluster into few cases.
    """
    n = len(people.owner)
    weights = np.array(plan.destination_weights) / sum(plan.destination_weights)
    family_group = rng.choice(len(DESTINATIONS), size=n_officials, p=weights)
    own_group = rng.choice(len(DESTINATIONS), size=n, p=weights)
    group = np.where(rng.random(n) < SAME_DESTINATION, family_group[people.owner], own_group)
    country = np.full(n, "CHN", dtype="<U3")
    for g, (_weight, countries) in enumerate(DESTINATIONS.values()):
        mask = abroad & (group == g)
        codes, cw = [c for c, _w in countries], np.array([w for _c, w in countries])
        country[mask] = rng.choice(codes, size=int(mask.sum()), p=cw / cw.sum())
    return country


def _abroad_since(
    rng: np.random.Generator, people: _People, abroad: npt.NDArray[np.bool_], plan: AbroadPlan
) -> npt.NDArray[np.datetime64]:
    """A date in a period drawn by weight, no earlier than the plan's age at departure by relationship.

    With ``plan.move_birth`` the date stays and a relative too young for it is given an earlier
    birth date instead (``people.birth`` is updated in place).
    """
    n, today = len(people.owner), np.datetime64(AS_OF)
    starts = np.array([np.datetime64(p[1]) for p in plan.periods] + [today - np.timedelta64(30, "D")])
    weights = np.array([p[2] for p in plan.periods])
    period = rng.choice(len(plan.periods), size=n, p=weights / weights.sum())
    length = (starts[period + 1] - starts[period]).astype(np.int64)
    drawn = starts[period] + days((rng.random(n) * length).astype(np.int64))
    min_age = np.array(plan.min_age)[people.relationship]
    floor = people.birth + days((min_age * YEAR).astype(np.int64))
    if plan.move_birth:
        too_young = abroad & (drawn < floor)
        older = drawn - days((YEAR * (min_age + rng.random(n) * 12)).astype(np.int64))
        people.birth[too_young] = older[too_young]
        since = np.minimum(drawn, starts[-1])
    else:
        since = np.minimum(np.maximum(drawn, floor), starts[-1])
    return np.where(abroad, since, np.datetime64("NaT"))


def _follow_spouse(
    people: _People,
    naked: npt.NDArray[np.bool_],
    since: npt.NDArray[np.datetime64],
    country: npt.NDArray[np.str_],
    n_officials: int,
) -> npt.NDArray[np.datetime64]:
    """Children of an emigrated family live with the spouse, moved with them or were born abroad after.

    ``country`` is updated in place; the dates abroad are returned.
    """
    spouses = naked & (people.relationship == SPOUSE)
    spouse_since = np.full(n_officials, np.datetime64("NaT"), dtype="datetime64[D]")
    spouse_since[people.owner[spouses]] = since[spouses]
    spouse_country = np.full(n_officials, "CHN", dtype="<U3")
    spouse_country[people.owner[spouses]] = country[spouses]
    children = naked & (people.relationship == CHILD)
    country[children] = spouse_country[people.owner[children]]
    return np.where(children, np.maximum(spouse_since[people.owner], people.birth), since)


def make_relatives(rng: np.random.Generator, off: Officials, plan: AbroadPlan | None = None) -> Relatives:
    """Relatives of every official, with residence, status and activity at home or abroad.

    ``plan`` (default: the small scale's) says how many spouses and children live abroad, where,
    since when and doing what; ``PLANS`` holds one per scale.
    """
    plan = plan or PLANS["small"]
    people = _family(rng, off)
    n = len(people.owner)
    naked = _naked_families(rng, people, len(off.ids))
    senior = np.isin(off.rank, [RANKS.index(r) for r in DEFAULT_SENIOR_RANKS])
    abroad = _who_is_abroad(rng, people, naked, len(off.ids), plan, senior)
    country = _destinations(rng, people, abroad, len(off.ids), plan)
    since = _follow_spouse(people, naked, _abroad_since(rng, people, abroad, plan), country, len(off.ids))
    age = (np.datetime64(AS_OF) - people.birth).astype(np.int64) / YEAR
    activity = _activity(rng, people, age, abroad, plan)
    status = _residence_status(rng, activity, abroad, naked, np.isin(country, ("HKG", "MAC")))
    nationality = np.where((status == "citizen") & abroad, country, "CHN")
    settled = np.isin(status, ("citizen", "permanent_resident"))
    emigrated_on = _emigrated_on(rng, since, settled, plan.emigrated_within_years)
    married_foreign = abroad & (people.relationship == CHILD) & (age >= 25) & (rng.random(n) < 0.15)
    emigrated = abroad & ((nationality != "CHN") | np.isin(status, EMIGRATED_STATUSES))
    frame = _frame(
        rng, off, people, country, since, activity, status, nationality, emigrated_on, married_foreign
    )
    return Relatives(frame, people.owner, people.relationship, abroad, emigrated, since, emigrated_on,
                     country, status, activity)  # fmt: skip


def _activity(
    rng: np.random.Generator,
    people: _People,
    age: npt.NDArray[np.float64],
    abroad: npt.NDArray[np.bool_],
    plan: AbroadPlan,
) -> npt.NDArray[np.str_]:
    u = rng.random(len(age))
    working = np.where(u < 0.55, "work", np.where(u < 0.85, "business", "none"))
    grown = np.where(u < 0.75, "work", "business")
    child = np.where(age < 6, "none", np.where(age < np.where(abroad, 26, 23), "study", grown))
    activity = np.where(
        people.relationship == CHILD, child, np.where(people.relationship == SPOUSE, working, "none")
    )
    if plan.business is None or plan.study is None:
        return activity
    # The plan's shares of the spouses and children abroad; the others abroad work or stay at home.
    v = rng.random(len(age))
    close_abroad = abroad & (people.relationship != PARENT)
    other = np.where(np.isin(activity, ("business", "study")), "work", activity)
    planned = np.where(v < plan.study, "study", np.where(v < plan.study + plan.business, "business", other))
    return np.where(close_abroad, planned, activity)


def _residence_status(
    rng: np.random.Generator,
    activity: npt.NDArray[np.str_],
    abroad: npt.NDArray[np.bool_],
    naked: npt.NDArray[np.bool_],
    hk_macau: npt.NDArray[np.bool_],
) -> npt.NDArray[np.str_]:
    """Students mostly hold residence permits; others often settle; injected families have emigrated."""
    u = rng.random(len(activity))
    student = np.where(u < 0.8, "resident", "long_term_resident")
    settled = np.where(
        u < 0.25,
        "citizen",
        np.where(u < 0.6, "permanent_resident", np.where(u < 0.75, "long_term_resident", "resident")),
    )
    status = np.where(activity == "study", student, settled)
    status = np.where(naked, np.where(u < 0.4, "citizen", "permanent_resident"), status)
    status = np.where(
        hk_macau & (status == "citizen"), "permanent_resident", status
    )  # HK/Macau: PRC nationals
    return np.where(abroad, status, "none")


def _emigrated_on(
    rng: np.random.Generator, since: npt.NDArray[np.datetime64], settled: npt.NDArray[np.bool_], within: float
) -> npt.NDArray[np.datetime64]:
    """The day a settled relative emigrated: up to ``within`` years after leaving (0: the same day)."""
    room = np.minimum((np.datetime64(AS_OF) - since).astype(np.int64), int(within * YEAR))
    room = np.where(settled, np.maximum(room, 0), 0)
    on = since + days((rng.random(len(since)) * room).astype(np.int64))
    return np.where(settled, on, np.datetime64("NaT"))


def _frame(
    rng: np.random.Generator,
    off: Officials,
    people: _People,
    country: npt.NDArray[np.str_],
    since: npt.NDArray[np.datetime64],
    activity: npt.NDArray[np.str_],
    status: npt.NDArray[np.str_],
    nationality: npt.NDArray[np.str_],
    emigrated_on: npt.NDArray[np.datetime64],
    married_foreign: npt.NDArray[np.bool_],
) -> Frame:
    names = make_names(rng, people.male, people.surname_zh)
    first = np.searchsorted(people.owner, people.owner)  # rows are sorted by official
    number = np.arange(len(people.owner)) - first + 1
    official_ids = [off.ids[i] for i in people.owner.tolist()]
    return {
        "relative_id": [f"{o}-{k}" for o, k in zip(official_ids, number.tolist(), strict=True)],
        "official_id": official_ids,
        "relationship": [RELATIONSHIPS[r] for r in people.relationship.tolist()],
        "name_zh": names.name_zh,
        "surname": names.surname,
        "given_name": names.given,
        "birth_date": iso(people.birth),
        "sex": np.where(people.male, "M", "F").tolist(),
        "nationality": nationality.tolist(),
        "residence_country": country.tolist(),
        "residence_status": status.tolist(),
        "abroad_since": iso(since),
        "emigrated_on": iso(emigrated_on),
        "activity": activity.tolist(),
        "married_to_foreigner": ["true" if m else "false" for m in married_foreign.tolist()],
    }
