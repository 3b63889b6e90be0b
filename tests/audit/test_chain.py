"""The audit chain: appends link up, and tampering through raw SQL is caught."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from sojourn.audit.models import AuditEvent, ChainHead
from sojourn.audit.services import PendingEvent, record, record_many, verify_chain


@pytest.fixture
def chain(db):
    for i in range(5):
        record(actor="tester", action="read", object_type="registry.official", object_id=f"O-{i}",
               detail={"i": i, "name": "张伟"})
    return list(AuditEvent.objects.order_by("seq"))


def test_intact_chain_verifies(chain):
    report = verify_chain()
    assert report.ok and report.checked == 5
    assert [e.prev_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]


def test_events_cannot_be_changed_through_the_orm(chain):
    with pytest.raises(PermissionError):
        chain[0].save()
    with pytest.raises(PermissionError):
        chain[0].delete()


@pytest.mark.parametrize(
    ("sql", "broken"),
    [
        ("UPDATE audit_auditevent SET actor = 'someone else' WHERE seq = 3", 3),
        ("UPDATE audit_auditevent SET object_id = 'O-99' WHERE seq = 2", 2),
        ("UPDATE audit_auditevent SET purpose = 'x' WHERE seq = 5", 5),
        ("DELETE FROM audit_auditevent WHERE seq = 4", 4),
        ("DELETE FROM audit_auditevent WHERE seq = 5", 5),
    ],
)
def test_tampering_is_caught(chain, sql, broken, capsys):
    with connection.cursor() as cursor:
        cursor.execute(sql)
    report = verify_chain()
    assert not report.ok and report.broken_seq == broken
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 1
    assert f"#{broken}" in capsys.readouterr().err


def test_rehashing_a_row_breaks_the_next_link(chain):
    """An attacker who recomputes one row's hash still breaks the link from the row after it."""
    from sojourn.audit.services import event_hash

    ev = AuditEvent.objects.get(seq=2)
    forged = event_hash(seq=2, at=ev.at, actor="forger", action=ev.action, object_type=ev.object_type,
                        object_id=ev.object_id, purpose=ev.purpose, detail=ev.detail, prev_hash=ev.prev_hash)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor = 'forger', hash = %s WHERE seq = 2", [forged])
    report = verify_chain()
    assert not report.ok and report.broken_seq == 3


def test_record_many_stores_a_row_as_record_does(db):
    """The batch path writes plain values, not model instances: the stored columns must not differ."""
    from datetime import UTC, date, datetime

    detail = {"query": {"name": "张伟", "birth_date": date(1970, 5, 1)}, "mrz": False, "matches": ["a:1"]}
    assert not ChainHead.objects.exists()  # the first row of a trail creates the head
    assert record_many([PendingEvent(at=datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), actor="checkpoint",
                                     action="read", object_type="screening", object_id="clear",
                                     purpose="screening", detail=detail)]) == 1  # fmt: skip
    single = record(actor="checkpoint", action="read", object_type="screening", object_id="refer",
                    purpose="screening", detail=detail)  # fmt: skip
    batch = [PendingEvent(at=single.at, actor="checkpoint", action="read", object_type="screening",
                          object_id="refer", purpose="screening", detail=detail)] * 3  # fmt: skip
    assert record_many(batch) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, at, actor, action, object_type, object_id, purpose, detail "
                       "FROM audit_auditevent ORDER BY seq")  # fmt: skip
        rows = cursor.fetchall()
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5]
    assert rows[2][1:] == rows[1][1:] == rows[4][1:]  # the same values, stored alike
    assert AuditEvent.objects.get(seq=1).detail["query"] == {"name": "张伟", "birth_date": "1970-05-01"}
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (5, AuditEvent.objects.get(seq=5).hash)
    report = verify_chain()
    assert report.ok and report.checked == 5
