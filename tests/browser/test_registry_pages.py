"""The registry in a real browser: log in, find an official in characters and in pinyin,
open the record, switch the language, and be refused as the outsider."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    expect(page.locator("header .who")).to_contain_text(username)


def test_registrar_finds_official_by_characters_and_pinyin(page: Page, live_server, world, screenshot_dir):
    base = live_server.url
    login(page, base, "registrar_a")
    page.goto(f"{base}/registry/officials/")
    # Simplified characters find the record written in traditional ones.
    page.fill("#id_q", "单晓明")
    page.click("form.filters button[type=submit]")
    rows = page.locator("table.officials tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("單曉明")
    page.screenshot(path=str(screenshot_dir / "officials-search-characters.png"), full_page=True)
    page.fill("#id_q", "shan xiaoming")
    page.click("form.filters button[type=submit]")
    expect(page.locator("table.officials tbody tr")).to_have_count(1)
    page.click("text=OA1-1")
    expect(page).to_have_url(re.compile(r"/registry/officials/OA1-1/$"))
    expect(page.locator("dl.record")).to_contain_text("110105198001020038")
    page.screenshot(path=str(screenshot_dir / "official-detail-en.png"), full_page=True)
    page.click("button[data-lang=zh-hans]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("dl.record")).to_contain_text("身份证号")
    page.screenshot(path=str(screenshot_dir / "official-detail-zh.png"), full_page=True)
    page.click("button[data-lang=en]")
    expect(page.locator("dl.record")).to_contain_text("ID number")


def test_outsider_is_refused(page: Page, live_server, world, screenshot_dir):
    base = live_server.url
    login(page, base, "outsider")
    response = page.goto(f"{base}/registry/officials/OA1-1/")
    assert response is not None and response.status == 404
    page.goto(f"{base}/registry/officials/?q=shan")
    expect(page.locator("table.officials tbody")).not_to_contain_text("單曉明")
    page.screenshot(path=str(screenshot_dir / "outsider-refused.png"), full_page=True)


def test_inspector_dismisses_a_finding(page: Page, live_server, world, screenshot_dir):
    from datetime import date

    from tests.factories import make_official

    from sojourn.alerts.evaluation import evaluate_rules

    make_official("OA-9", world.units["A"], filed_on=None, covered_since=date(2026, 1, 5),
                  id_number="110105197001010027")
    evaluate_rules(as_of=date(2026, 3, 1))
    base = live_server.url
    login(page, base, "inspector")
    page.goto(f"{base}/findings/")
    page.click("table.findings tbody tr >> a[href*='/findings/']")
    page.fill("#id_reason", "filed on paper; the record lags")
    page.click("text=Dismiss as false positive")
    expect(page.locator(".finding-status")).to_contain_text("dismissed")
    page.screenshot(path=str(screenshot_dir / "finding-dismissed.png"), full_page=True)
