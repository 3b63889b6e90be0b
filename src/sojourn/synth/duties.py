"""Synthetic duties: the countries some officials' duties concern (``duties.csv``).

A share of officials handle matters concerning one to three countries (foreign affairs, trade,
investment…). A share of the officials whose spouse or child has settled abroad — emigrated, or
lived abroad for 365 days or more by the generator's date — are given duties that concern that
very country, so ``ties.recusal_reminder`` has something to find. Every (official, country) pair
where duties and a settled family member meet is listed in the manifest, whether injected or by
chance, so tests can check that the rule finds exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sojourn.synth.registry import AS_OF, Frame, Officials, days, iso
from sojourn.synth.relatives import CHILD, COUNTRY_GROUP, SPOUSE, Relatives

DUTY_SHARE = 0.05  # officials whose duties concern some countries
SETTLED_DUTY_SHARE = 0.3  # of the officials with family settled abroad: duties concerning that country
NOTES = ("foreign affairs", "trade and investment", "cooperation projects", "consular matters", "procurement")


@dataclass
class Duties:
    frame: Frame
    recusal_reminders: list[str]  # "OFFICIAL_ID:COUNTRY", sorted


def settled_countries(offs: Officials, rels: Relatives) -> dict[int, set[str]]:
    """For each official (by index), the countries where a spouse or child has settled: emigrated there,
    or lived there since the generator's date minus 365 days or earlier."""
    year_ago = np.datetime64(AS_OF) - np.timedelta64(365, "D")
    close = (rels.relationship == SPOUSE) | (rels.relationship == CHILD)
    settled = close & rels.abroad & (rels.emigrated | (rels.abroad_since <= year_ago))
    countries = rels.frame["residence_country"]
    out: dict[int, set[str]] = {}
    for i in np.flatnonzero(settled).tolist():
        out.setdefault(int(rels.owner[i]), set()).add(countries[i])
    return out


def make_duties(rng: np.random.Generator, offs: Officials, rels: Relatives) -> Duties:
    """Duty countries for a share of officials, some of them where the official's family has settled."""
    n = len(offs.ids)
    pool = np.array(sorted(COUNTRY_GROUP))
    family = settled_countries(offs, rels)
    chosen: dict[int, set[str]] = {}
    for i in np.flatnonzero(rng.random(n) < DUTY_SHARE).tolist():
        k = int(rng.integers(1, 4))
        chosen[i] = {str(c) for c in rng.choice(pool, size=k, replace=False)}
    for i in sorted(family):
        if rng.random() < SETTLED_DUTY_SHARE:
            chosen.setdefault(i, set()).add(str(rng.choice(sorted(family[i]))))
    order = sorted(chosen)
    since = offs.covered[order] + days(rng.integers(0, 3650, size=len(order)))
    since = np.minimum(since, np.datetime64(AS_OF) - np.timedelta64(1, "D"))
    frame: Frame = {
        "official_id": [offs.ids[i] for i in order],
        "countries": [";".join(sorted(chosen[i])) for i in order],
        "since": iso(since),
        "note": [NOTES[int(j)] for j in rng.integers(0, len(NOTES), size=len(order))],
    }
    reminders = sorted(f"{offs.ids[i]}:{c}" for i in order for c in chosen[i] & family.get(i, set()))
    return Duties(frame, reminders)
