"""Every read of an official's or relative's record writes an audit row."""

from __future__ import annotations

from sojourn.audit.models import AuditEvent


def reads(object_type: str, object_id: str) -> int:
    return AuditEvent.objects.filter(action="read", object_type=object_type, object_id=object_id).count()


def test_detail_pages_are_audited(world):
    official = world.officials["OA-1"]
    client = world.client("registrar_a")
    assert client.get(f"/registry/officials/{official.official_id}/").status_code == 200
    assert reads("registry.official", str(official.pk)) == 1
    relative = world.relatives["RA-1"]
    assert client.get(f"/registry/relatives/{relative.relative_id}/").status_code == 200
    assert reads("registry.relative", str(relative.pk)) == 1


def test_api_reads_are_audited(world):
    official = world.officials["OA1-1"]
    response = world.client("inspector").get(f"/api/v1/officials/{official.official_id}")
    assert response.status_code == 200
    assert response.json()["relatives"] == []
    event = AuditEvent.objects.get(action="read", object_id=str(official.pk))
    assert event.actor == "inspector" and event.purpose == "api official detail"


def test_refused_reads_write_no_read_row(world):
    official = world.officials["OB-1"]
    assert world.client("registrar_a").get(f"/registry/officials/{official.official_id}/").status_code == 404
    assert reads("registry.official", str(official.pk)) == 0


def test_auditor_reads_the_trail(world):
    world.client("registrar_a").get(f"/registry/officials/{world.officials['OA-1'].official_id}/")
    response = world.client("auditor").get("/audit/")
    assert response.status_code == 200
    assert "registrar_a" in response.content.decode()
    api = world.client("auditor").get("/api/v1/audit/verify").json()
    assert api["ok"] is True
