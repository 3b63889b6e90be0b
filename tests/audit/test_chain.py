"""The audit chain: appends link up, and tampering through raw SQL is caught."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from sojourn.audit.models import AuditEvent
from sojourn.audit.services import record, verify_chain


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
