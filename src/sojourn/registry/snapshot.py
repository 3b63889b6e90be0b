"""Plain-record snapshots of the registry for the rules (no ORM objects leave this module)."""

from __future__ import annotations

from sojourn.core.rules.registry import OfficialRecord, PostChangeRecord
from sojourn.registry.models import Official, PostChange


def official_records() -> list[OfficialRecord]:
    rows = Official.objects.values_list("official_id", "covered_since", "filed_on", "status", "post")
    return [OfficialRecord(*row) for row in rows.iterator(chunk_size=5000)]


def post_change_records() -> list[PostChangeRecord]:
    rows = PostChange.objects.values_list("pk", "official__official_id", "post", "started_on", "filed_on")
    return [PostChangeRecord(str(pk), oid, post, start, filed)
            for pk, oid, post, start, filed in rows.iterator(chunk_size=5000)]
