"""Identity review in a real browser: the inspector opens a linked pair from the review list, reads the two
records and the evidence side by side, and rejects the link with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from tests.browser.test_registry_pages import login
from tests.resolution.conftest import linkage_model_file, resolution_world  # noqa: F401 (fixtures)

from sojourn.resolution.models import LinkPair
from sojourn.resolution.services import resolve

pytestmark = pytest.mark.django_db(transaction=True)


def test_inspector_reviews_and_rejects_a_link(page: Page, live_server, resolution_world, screenshot_dir):  # noqa: F811
    resolve(actor="test", today=date(2026, 3, 1))
    pair = LinkPair.objects.get(unique_id_r="traveller:CHN:G99999999", active=True)
    base = live_server.url
    login(page, base, "inspector")
    page.goto(f"{base}/resolution/")
    expect(page.locator("table.findings").first).to_contain_text("traveller:CHN:G99999999")
    page.screenshot(path=str(screenshot_dir / "identity-review-list.png"), full_page=True)
    page.click(f"a[href='/resolution/pairs/{pair.pk}/']")
    sides = page.locator("table.side-by-side")
    expect(sides).to_contain_text("陈静")
    expect(sides).to_contain_text("CHEN")
    expect(sides).to_contain_text("G99999999")
    expect(page.locator("table.findings tbody tr").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "identity-review-pair.png"), full_page=True)
    page.fill("textarea[name=reason], input[name=reason]", "a namesake: different mother's name on file")
    page.click("button[name=verdict][value=rejected]")
    expect(page.locator("body")).to_contain_text("a namesake")
    pair.refresh_from_db()
    assert pair.review == "rejected"
    page.screenshot(path=str(screenshot_dir / "identity-review-rejected.png"), full_page=True)
