"""Named personas and a small registry every test can lean on.

The tree: ROOT (the commission) → A → A1, and ROOT → B. The registrar and approver of A
see A and A1; the outsider is the registrar of B; the inspector's commission covers all;
the auditor reads the audit trail only; the checkpoint device has a screening token only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

os.environ.setdefault("SOJOURN_HOME", str(Path(__file__).resolve().parent.parent / "var" / "test"))

from tests.factories import make_official, make_relative, make_unit

pytest_plugins = ["tests.travel_fixtures"]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fresh_screening_index() -> Iterator[None]:
    """No test screens against the index of the one before (its lists were rolled back unseen)."""
    yield
    services = sys.modules.get("sojourn.screening.services")
    if services is not None:
        services.invalidate_index()


@dataclass
class World:
    units: dict[str, object]
    officials: dict[str, object]
    relatives: dict[str, object]
    users: dict[str, User]
    checkpoint_token: str

    def client(self, persona: str) -> Client:
        client = Client()
        client.force_login(self.users[persona], backend="django.contrib.auth.backends.ModelBackend")
        return client


@pytest.fixture
def world(db: None) -> World:
    from sojourn.accounts.services import create_user, issue_token

    root = make_unit("ROOT", name="Commission")
    a = make_unit("A", root, name="Unit A")
    a1 = make_unit("A1", a, name="Unit A1")
    b = make_unit("B", root, name="Unit B")
    off_a = make_official("OA-1", a)
    off_a1 = make_official("OA1-1", a1, name_zh="單曉明", surname="SHAN", given_name="XIAOMING",
                           id_number="110105198001020038", birth_date=date(1980, 1, 2))
    off_b = make_official("OB-1", b, name_zh="陈静", surname="CHEN", given_name="JING", sex="F",
                          id_number="440103197503040027")
    rel_a = make_relative("RA-1", off_a)
    rel_b = make_relative("RB-1", off_b, name_zh="王强", surname="WANG", given_name="QIANG", sex="M")
    users = {
        "registrar_a": create_user(username="registrar_a", password=PASSWORD, role="registrar", unit_code="A"),
        "approver_a": create_user(username="approver_a", password=PASSWORD, role="approver", unit_code="A"),
        "inspector": create_user(username="inspector", password=PASSWORD, role="inspector", unit_code=None),
        "auditor": create_user(username="auditor", password=PASSWORD, role="auditor", unit_code=None),
        "outsider": create_user(username="outsider", password=PASSWORD, role="registrar", unit_code="B"),
        "checkpoint": create_user(username="checkpoint", password=None, role="checkpoint", unit_code=None),
        "admin": create_user(username="admin", password=PASSWORD, role="admin", unit_code=None),
    }
    token = issue_token(user=users["checkpoint"], name="port device 1", scope="screening")
    return World(
        units={"ROOT": root, "A": a, "A1": a1, "B": b},
        officials={"OA-1": off_a, "OA1-1": off_a1, "OB-1": off_b},
        relatives={"RA-1": rel_a, "RB-1": rel_b},
        users=users,
        checkpoint_token=token,
    )


OUTPUT_DIR = Path(__file__).resolve().parent.parent / "test-output"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of the pure core touch no database: mark them so the PostgreSQL run can skip them."""
    for item in items:
        if "/tests/core/" in str(item.path):
            item.add_marker(pytest.mark.pure)
        if "/tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """Debian's Chromium, headless, with the background networking this closed machine refuses."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("SOJOURN_CHROMIUM", "/usr/bin/chromium"),
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture
def screenshot_dir() -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR
