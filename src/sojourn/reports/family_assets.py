"""The foreign-assets columns of the families-abroad report, from ``sojourn.declarations.models.Asset``.

An asset counts in a row when it lies in the destination group of one of the row's cases and is held
by that case's official (no holder relative) or by one of the case's relatives. Values are summed in
yuan: assets recorded in another currency are not converted (Sojourn holds no exchange rates) and
are counted in ``assets_uncounted`` instead. Spending rows (kind ``other``, source ``spending``) are
not assets. Without the declarations app every row shows 0.

Foreign assets are few next to relatives: they are read first, then the relatives abroad of the
officials who hold them (in the caller's scope), and matched here. An asset of an official outside
the scope matches no relative in it and counts nowhere.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import QuerySet

from sojourn.registry.models import Relative

if TYPE_CHECKING:
    from sojourn.reports.families import Config, Params

CHUNK = 5000  # officials per IN list


def asset_model() -> Any | None:
    """The Asset model, or None when the declarations app is not installed."""
    if not apps.is_installed("sojourn.declarations"):
        return None
    try:
        return apps.get_model("declarations", "Asset")
    except LookupError:
        return None


def foreign_assets(abroad: QuerySet[Relative], params: Params, config: Config) -> dict[str, tuple[int, int]]:
    """Row key → (yuan, assets in other currencies) of the assets the rows' cases hold abroad."""
    asset = asset_model()
    if asset is None:
        return {}
    # Foreign assets first (few), then the relatives abroad of their holders only: no scan of all relatives.
    rows = list(
        asset.objects.exclude(country__in=("", "CHN")).exclude(kind="other", source="spending")
        .values_list("official_id", "holder_relative_id", "country", "value", "currency")
    )
    if not rows:
        return {}
    officials = sorted({r[0] for r in rows})
    relatives: dict[int, tuple[int, str, list[str]]] = {}  # pk → (official pk, group, row keys)
    for start in range(0, len(officials), CHUNK):
        chunk = abroad.filter(official_id__in=officials[start:start + CHUNK]).values_list(
            "pk", "official_id", "residence_country", "emigrated_on", "abroad_since", "activity", "official__rank")
        for pk, official, country, emigrated_on, abroad_since, activity, rank in chunk:
            keys = _row_keys(params, config, country, emigrated_on or abroad_since, activity, rank)
            relatives[pk] = (official, config.groups.group_of(country), keys)
    cases: dict[tuple[int, str], set[str]] = defaultdict(set)  # (official, group) → rows with that case
    for official, group, keys in relatives.values():
        cases[official, group].update(keys)
    totals: dict[str, list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    for official, holder, country, value, currency in rows:
        group = config.groups.group_of(country)
        if holder is not None:
            held = relatives.get(holder)
            counted: set[str] = set(held[2]) if held is not None and held[1] == group else set()
        else:
            counted = cases.get((official, group), set())
        for key in counted:
            if currency == "CNY":
                totals[key][0] += value
            else:
                totals[key][1] += 1
    return {key: (int(round(v)), int(n)) for key, (v, n) in totals.items()}


def _row_keys(params: Params, config: Config, country: str, on: Any, activity: str, rank: str) -> list[str]:
    if params.by == "destination":
        return [config.groups.group_of(country)]
    if params.by == "period":
        return [config.periods.key_of(on, params.as_of)]
    keys = ["all"]
    if rank in config.senior_ranks:
        keys.append("senior")
    if activity in ("business", "study"):
        keys.append(activity)
    return keys
