"""The non-returns report in a real browser: the server-drawn chart loads, a number opens its journeys."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.browser.test_registry_pages import login
from tests.reports.fixtures import holiday_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_chart_and_drill_down(page: Page, live_server, world, screenshot_dir):
    holiday_journeys(world)
    base = live_server.url
    login(page, base, "registrar_a")
    page.goto(f"{base}/reports/non-returns/?from=2025-10-01&to=2025-10-08&as_of=2025-10-20&by=unit")
    chart = page.locator("img.chart")
    expect(chart).to_be_visible()
    chart.scroll_into_view_if_needed()
    page.wait_for_function("() => { const i = document.querySelector('img.chart'); "
                           "return i && i.complete && i.naturalWidth > 0; }")
    expect(page.locator("table.non-returns tbody tr")).to_have_count(2)
    page.screenshot(path=str(screenshot_dir / "non-returns-report.png"), full_page=True)
    row = page.locator("table.non-returns tbody tr", has_text="Unit A").first
    row.locator("a[href*='status=overdue']").click()
    expect(page).to_have_url(re.compile(r"/reports/non-returns/list/\?.*status=overdue"))
    rows = page.locator("table.journeys tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("OA-1")
    expect(rows.first).to_contain_text("2025-10-03")
    page.screenshot(path=str(screenshot_dir / "non-returns-drill-down.png"), full_page=True)
    rows.first.locator("a", has_text="OA-1").click()
    expect(page).to_have_url(re.compile(r"/registry/officials/OA-1/$"))
