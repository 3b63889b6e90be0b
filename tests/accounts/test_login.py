"""Login, logout, lockout, password hashing, CSRF."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from tests.conftest import PASSWORD

from sojourn.audit.models import AuditEvent


def test_passwords_are_hashed_with_argon2(world):
    assert User.objects.get(username="registrar_a").password.startswith("argon2")


def test_pages_require_login(db):
    response = Client().get("/registry/officials/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_login_and_logout_are_audited(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "registrar_a", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor="registrar_a", action="login").exists()
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(actor="registrar_a", action="logout").exists()


def test_failed_logins_are_audited_and_lock_out(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "registrar_a", "password": "wrong"})
    assert AuditEvent.objects.filter(actor="registrar_a", action="login_failed").count() >= 1
    # Even the right password is refused while locked out.
    response = client.post("/accounts/login/", {"username": "registrar_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_csrf_is_enforced(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "registrar_a", "password": PASSWORD})
    assert response.status_code == 403


def test_csp_header_is_set(world):
    response = world.client("registrar_a").get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
