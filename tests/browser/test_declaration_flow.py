"""A declaration in a real browser: the registrar enters and submits it, the inspector verifies it and sees
the concealment (the spouse's emigration the report leaves out) with its evidence."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.browser.test_registry_pages import login
from tests.browser.test_trip_request import logout
from tests.travel.conftest import make_document

from sojourn.declarations.models import Declaration

pytestmark = pytest.mark.django_db(transaction=True)


def test_registrar_enters_and_inspector_finds_a_concealment(page: Page, live_server, world, screenshot_dir):
    make_document(world.officials["OA-1"], "E12345678")
    base = live_server.url
    login(page, base, "registrar_a")
    page.goto(f"{base}/declarations/new/")
    page.select_option("#id_official", "OA-1")
    page.click("#choose-official button[type=submit]")
    page.fill("#id_year", "2025")
    page.select_option("#id_items-0-kind", "passport")
    page.fill("#id_items-0-number", "E12345678")
    page.select_option("#id_items-1-kind", "income")
    page.fill("#id_items-1-amount", "300000")
    page.fill("#id_items-1-currency", "CNY")
    page.screenshot(path=str(screenshot_dir / "declaration-entry.png"), full_page=True)
    page.click("#submit-declaration")
    expect(page.locator("#declaration-status")).to_contain_text("submitted")
    declaration = Declaration.objects.get()
    logout(page)

    login(page, base, "inspector")
    page.goto(f"{base}/declarations/{declaration.pk}/")
    page.click("#verify")
    expect(page.locator("table.discrepancies")).to_contain_text("concealment")
    expect(page.locator("table.discrepancies")).to_contain_text("relative:RA-1")
    page.screenshot(path=str(screenshot_dir / "declaration-verification.png"), full_page=True)
    page.fill("#id_outcome", "Spouse's emigration to be explained.")
    page.click("#sign-off-button")
    expect(page.locator("#verification-status")).to_contain_text("signed off")
