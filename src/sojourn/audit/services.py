"""Writing to the audit trail. Every service that changes or reads personal data calls ``record``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from sojourn.audit.models import AuditAction, AuditEvent, ChainHead

Actor = AbstractBaseUser | AnonymousUser | str | None
GENESIS = "0" * 64
# The hashed form of a row, and the plain-JSON form of a detail (``default=str``: dates and the
# like become strings): what json.dumps builds from these arguments on every call, built once.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_PLAIN = json.JSONEncoder(default=str)


def actor_name(actor: Actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    if not actor.is_authenticated:
        return "anonymous"
    return str(actor.get_username())


def event_hash(
    *, seq: int, at: datetime, actor: str, action: str, object_type: str, object_id: str,
    purpose: str, detail: Any, prev_hash: str,
) -> str:
    """SHA-256 over every column of the row and the previous row's hash, in a canonical form."""
    payload = _CANONICAL.encode(
        [seq, at.astimezone(UTC).isoformat(timespec="microseconds"), actor, action,
         object_type, object_id, purpose, detail, prev_hash],
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction when there is one."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "natural_key_value", None) or obj.pk)
    detail = json.loads(json.dumps(detail or {}, default=str))
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        seq = head.seq + 1
        at = datetime.now(UTC)
        name = actor_name(actor)
        digest = event_hash(
            seq=seq, at=at, actor=name, action=action, object_type=object_type, object_id=object_id,
            purpose=purpose, detail=detail, prev_hash=head.hash,
        )
        event = AuditEvent.objects.create(
            seq=seq, at=at, actor=name, action=action, object_type=object_type, object_id=object_id,
            purpose=purpose, detail=detail, prev_hash=head.hash, hash=digest,
        )
        ChainHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return event


@dataclass(frozen=True)
class PendingEvent:
    """An event to append later, in a batch (``record_many``): ``at`` is when it happened."""

    at: datetime
    actor: str
    action: str
    object_type: str = ""
    object_id: str = ""
    purpose: str = ""
    detail: dict[str, Any] | None = None


# The columns record_many writes, in its rows' order (every column but the id).
_BATCH_COLUMNS = (
    "seq", "at", "actor", "action", "object_type", "object_id", "purpose", "detail", "prev_hash", "hash",
)  # fmt: skip


def _batch_sql(db: BaseDatabaseWrapper) -> tuple[str, str, str]:
    """``record_many``'s statements: lock the head (as ``record`` does), insert a row, move the head."""

    def names(model: type[models.Model], *fields: str) -> list[str]:
        columns = [model._meta.get_field(name).column for name in fields]  # type: ignore[union-attr]
        return [db.ops.quote_name(str(column)) for column in columns]

    head, events = db.ops.quote_name(ChainHead._meta.db_table), db.ops.quote_name(AuditEvent._meta.db_table)
    pk, seq, digest = names(ChainHead, "id", "seq", "hash")
    lock = f" {db.ops.for_update_sql()}" if db.features.has_select_for_update else ""
    columns = ", ".join(names(AuditEvent, *_BATCH_COLUMNS))
    values = ", ".join(["%s"] * len(_BATCH_COLUMNS))
    return (
        f"SELECT {seq}, {digest} FROM {head} WHERE {pk} = 1{lock}",
        f"INSERT INTO {events} ({columns}) VALUES ({values})",
        f"UPDATE {head} SET {seq} = %s, {digest} = %s WHERE {pk} = 1",
    )


def record_many(events: list[PendingEvent]) -> int:
    """Append ``events`` to the chain in one transaction (group commit); returns how many.

    The chain head is locked once for the batch; each row is hashed and linked as ``record``
    does, in the order given. A row's ``at`` is when its event happened, so it may be a few
    milliseconds earlier than the ``at`` of a row written meanwhile by ``record``.

    Only the hot path's audit writer calls this, for every screening request, so it goes below
    the ORM: the head is read and moved with two plain statements, and the rows go in as one
    ``executemany`` of plain values rather than as model instances through ``bulk_create``
    (together about half the CPU per row, measured). ``at`` and ``detail`` are converted by
    their fields' own ``get_db_prep_save``, as ``bulk_create`` converts them, so the stored
    values are the same on every database; the other columns are strings and integers already.
    """
    if not events:
        return 0
    db = transaction.get_connection()
    prep_at = AuditEvent._meta.get_field("at").get_db_prep_save
    prep_detail = AuditEvent._meta.get_field("detail").get_db_prep_save
    lock, insert, move = _batch_sql(db)
    with transaction.atomic(), db.cursor() as cursor:
        cursor.execute(lock)
        head = cursor.fetchone()
        if head is None:  # the trail's very first row: create the head as record() does
            created = ChainHead.objects.select_for_update().get_or_create(pk=1)[0]
            head = (created.seq, created.hash)
        seq, prev = head
        rows = []
        for ev in events:
            seq += 1
            detail = json.loads(_PLAIN.encode(ev.detail or {}))  # as record() does
            digest = event_hash(
                seq=seq, at=ev.at, actor=ev.actor, action=ev.action, object_type=ev.object_type,
                object_id=ev.object_id, purpose=ev.purpose, detail=detail, prev_hash=prev,
            )  # fmt: skip
            rows.append((
                seq, prep_at(ev.at, db), ev.actor, ev.action, ev.object_type, ev.object_id, ev.purpose,
                prep_detail(detail, db), prev, digest,
            ))  # fmt: skip
            prev = digest
        cursor.executemany(insert, rows)
        cursor.execute(move, [seq, prev])
    return len(rows)


def record_read(*, actor: Actor, obj: models.Model, purpose: str = "view") -> AuditEvent:
    return record(actor=actor, action=AuditAction.READ, obj=obj, purpose=purpose)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(*, batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain; name the first row whose hash, link or sequence does not hold."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    last_pk = 0
    while True:
        rows = list(AuditEvent.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not rows:
            break
        for ev in sorted(rows, key=lambda e: e.seq):
            if ev.seq != expected_seq:
                return ChainReport(False, checked, expected_seq, f"row #{expected_seq} is missing")
            if ev.prev_hash != prev_hash:
                return ChainReport(False, checked, ev.seq, f"row #{ev.seq} does not link to row #{ev.seq - 1}")
            digest = event_hash(
                seq=ev.seq, at=ev.at, actor=ev.actor, action=ev.action, object_type=ev.object_type,
                object_id=ev.object_id, purpose=ev.purpose, detail=ev.detail, prev_hash=ev.prev_hash,
            )
            if digest != ev.hash:
                return ChainReport(False, checked, ev.seq, f"row #{ev.seq} was altered (hash mismatch)")
            prev_hash, expected_seq, checked = ev.hash, expected_seq + 1, checked + 1
        last_pk = rows[-1].pk
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return ChainReport(False, checked, expected_seq, f"rows after #{expected_seq - 1} were removed")
    return ChainReport(True, checked)
