"""Plain-record snapshots of the registry for the rules (no ORM objects leave this module)."""

from __future__ import annotations

from sojourn.core.rules.registry import OfficialRecord, PostChangeRecord
from sojourn.core.rules.ties import DutyRecord, RelativeRecord
from sojourn.registry.models import DutyCountries, Official, PostChange, Relative


def official_records() -> list[OfficialRecord]:
    rows = Official.objects.values_list("official_id", "covered_since", "filed_on", "status", "post",
                                        "restricted_post")
    return [OfficialRecord(*row) for row in rows.iterator(chunk_size=5000)]


def post_change_records() -> list[PostChangeRecord]:
    rows = PostChange.objects.values_list("pk", "official__official_id", "post", "started_on", "filed_on")
    return [PostChangeRecord(str(pk), oid, post, start, filed)
            for pk, oid, post, start, filed in rows.iterator(chunk_size=5000)]


RELATIVE_FIELDS = ("relative_id", "official__official_id", "relationship", "nationality", "residence_country",
                   "residence_status", "abroad_since", "emigrated_on")


def relative_records() -> list[RelativeRecord]:
    """Every relative (the ties rules read spouses and children only)."""
    rows = Relative.objects.values_list(*RELATIVE_FIELDS)
    return [RelativeRecord(*row) for row in rows.iterator(chunk_size=5000)]


def duty_records() -> list[DutyRecord]:
    rows = DutyCountries.objects.values_list("official__official_id", "countries", "since")
    return [DutyRecord(oid, tuple(c for c in countries.split(";") if c), since)
            for oid, countries, since in rows.iterator(chunk_size=5000)]
