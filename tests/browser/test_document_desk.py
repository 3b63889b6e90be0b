"""The document desk in a real browser: intake by pasting an MRZ, checkout for a trip, return."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from tests.browser.test_registry_pages import login
from tests.custody.test_desk_services import zone_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_registrar_takes_in_checks_out_and_returns(page: Page, live_server, world, screenshot_dir):
    official = world.officials["OA-1"]
    base = live_server.url
    login(page, base, "registrar_a")
    page.goto(f"{base}/documents/intake/")
    page.fill("#id_official_id", "OA-1")
    # First a zone with a corrupted check digit: the desk shows the problem and takes nothing in.
    good = zone_for(official)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    page.fill("#id_mrz", bad)
    page.click("text=Check and take in")
    expect(page.locator("#document-check")).to_contain_text("check_digit.composite")
    page.screenshot(path=str(screenshot_dir / "desk-intake-problem.png"), full_page=True)
    page.fill("#id_mrz", good)
    page.click("text=Check and take in")
    expect(page.locator(".doc-custody")).to_contain_text("in custody")
    expect(page.locator("#document-check")).to_contain_text("TD3")
    page.fill("#id_due_back", "2031-01-10")
    page.fill("#id_trip_ref", "T-2026-001")
    page.click("#checkout")
    expect(page.locator(".doc-custody")).to_contain_text("checked out")
    expect(page.locator("table.events")).to_contain_text("T-2026-001")
    page.screenshot(path=str(screenshot_dir / "desk-checked-out.png"), full_page=True)
    page.click("#return")
    expect(page.locator(".doc-custody")).to_contain_text("in custody")
    expect(page.locator("table.events tbody tr")).to_have_count(3)
    page.goto(f"{base}/registry/officials/OA-1/")
    expect(page.locator("table.documents")).to_contain_text("E12345678")
    page.screenshot(path=str(screenshot_dir / "official-with-documents.png"), full_page=True)
