"""Synthetic relatives: spouses, children and parents, a share of them abroad by destination and period.

Destinations and their weights follow the groups of the 2006 press report on cadres'
families abroad (Hong Kong, Macau, the United States, Western Europe, the Nordic countries,
Australia, New Zealand, Canada, South East Asia); the weights are our own rough guesses.
Some officials are given a spouse and children who have all emigrated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sojourn.synth.names import draw_surnames
from sojourn.synth.registry import AS_OF, Frame, Officials, days, iso, make_names

# group → (weight, ((country, weight within the group), ...))
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
    "South East Asia": (
        0.10,
        (("SGP", 0.45), ("MYS", 0.2), ("THA", 0.15), ("PHL", 0.07), ("IDN", 0.07), ("VNM", 0.06)),
    ),
}
COUNTRY_GROUP = {c: group for group, (_w, countries) in DESTINATIONS.items() for c, _cw in countries}
# (label, first day, weight) of the period a relative went abroad in; each runs to the next one's start
PERIODS = (("1990-1999", "1990-01-01", 0.15), ("2000-2009", "2000-01-01", 0.35),
           ("2010-2019", "2010-01-01", 0.35), ("2020-", "2020-01-01", 0.15))  # fmt: skip
SPOUSE, CHILD, PARENT = 0, 1, 2
RELATIONSHIPS = ("spouse", "child", "parent")
ABROAD_SHARE = np.array([0.008, 0.09, 0.005])  # by relationship; children only from age 17
NAKED_SHARE = 0.005  # officials with spouse and children given a family that has all emigrated
EMIGRATED_STATUSES = ("citizen", "permanent_resident", "long_term_resident")
YEAR = 365.25


@dataclass
class Relatives:
    frame: Frame
    owner: npt.NDArray[np.int64]  # index of the official
    relationship: npt.NDArray[np.int64]
    abroad: npt.NDArray[np.bool_]
    emigrated: npt.NDArray[np.bool_]  # foreign nationality, or permanent or long-term residence abroad
    abroad_since: npt.NDArray[np.datetime64]


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


def _abroad_since(
    rng: np.random.Generator, people: _People, abroad: npt.NDArray[np.bool_]
) -> npt.NDArray[np.datetime64]:
    """A date in a period drawn by weight, no earlier than age 16 (children), 22 (spouses) or 45 (parents)."""
    n, today = len(people.owner), np.datetime64(AS_OF)
    starts = np.array([np.datetime64(p[1]) for p in PERIODS] + [today - np.timedelta64(30, "D")])
    period = rng.choice(len(PERIODS), size=n, p=[p[2] for p in PERIODS])
    length = (starts[period + 1] - starts[period]).astype(np.int64)
    drawn = starts[period] + days((rng.random(n) * length).astype(np.int64))
    min_age = np.array([22.0, 16.0, 45.0])[people.relationship]
    floor = people.birth + days((min_age * YEAR).astype(np.int64))
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


def make_relatives(rng: np.random.Generator, off: Officials) -> Relatives:
    """Relatives of every official, with residence, status and activity at home or abroad."""
    people = _family(rng, off)
    n, today = len(people.owner), np.datetime64(AS_OF)
    age = (today - people.birth).astype(np.int64) / YEAR
    naked = _naked_families(rng, people, len(off.ids))
    old_enough = (people.relationship != CHILD) | (age >= 17)
    abroad = naked | ((rng.random(n) < ABROAD_SHARE[people.relationship]) & old_enough)
    group = rng.choice(len(DESTINATIONS), size=n, p=[w for w, _c in DESTINATIONS.values()])
    country = np.full(n, "CHN", dtype="<U3")
    for g, (_weight, countries) in enumerate(DESTINATIONS.values()):
        mask = abroad & (group == g)
        codes, weights = [c for c, _w in countries], np.array([w for _c, w in countries])
        country[mask] = rng.choice(codes, size=int(mask.sum()), p=weights / weights.sum())
    since = _follow_spouse(people, naked, _abroad_since(rng, people, abroad), country, len(off.ids))
    activity = _activity(rng, people, age, abroad)
    status = _residence_status(rng, activity, abroad, naked, np.isin(country, ("HKG", "MAC")))
    nationality = np.where((status == "citizen") & abroad, country, "CHN")
    emigrated_on = _emigrated_on(rng, since, np.isin(status, ("citizen", "permanent_resident")))
    married_foreign = abroad & (people.relationship == CHILD) & (age >= 25) & (rng.random(n) < 0.15)
    emigrated = abroad & ((nationality != "CHN") | np.isin(status, EMIGRATED_STATUSES))
    frame = _frame(
        rng, off, people, country, since, activity, status, nationality, emigrated_on, married_foreign
    )
    return Relatives(frame, people.owner, people.relationship, abroad, emigrated, since)


def _activity(
    rng: np.random.Generator, people: _People, age: npt.NDArray[np.float64], abroad: npt.NDArray[np.bool_]
) -> npt.NDArray[np.str_]:
    u = rng.random(len(age))
    working = np.where(u < 0.55, "work", np.where(u < 0.85, "business", "none"))
    grown = np.where(u < 0.75, "work", "business")
    child = np.where(age < 6, "none", np.where(age < np.where(abroad, 26, 23), "study", grown))
    return np.where(
        people.relationship == CHILD, child, np.where(people.relationship == SPOUSE, working, "none")
    )


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
    rng: np.random.Generator, since: npt.NDArray[np.datetime64], settled: npt.NDArray[np.bool_]
) -> npt.NDArray[np.datetime64]:
    room = np.minimum((np.datetime64(AS_OF) - since).astype(np.int64), int(10 * YEAR))
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
