"""A trip request in a real browser: the registrar requests it, the approver approves it from the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.browser.test_registry_pages import login
from tests.travel.conftest import make_document

from sojourn.travel.models import Trip

pytestmark = pytest.mark.django_db(transaction=True)


def logout(page: Page) -> None:
    page.click("header form.inline button[type=submit]")


def test_registrar_requests_and_approver_approves(page: Page, live_server, world, screenshot_dir):
    passport = make_document(world.officials["OA-1"], "E12345678")
    base = live_server.url
    depart = timezone.localdate() + timedelta(days=30)
    back = depart + timedelta(days=6)
    login(page, base, "registrar_a")
    page.goto(f"{base}/trips/new/")
    page.select_option("#id_official", "OA-1")
    page.click("#choose-official button[type=submit]")
    page.select_option("#id_purpose", "private")
    page.fill("#id_destinations", "HKG")
    page.fill("#id_depart_date", depart.isoformat())
    page.fill("#id_return_date", back.isoformat())
    page.check(f"input[name=documents][value='{passport.pk}']")
    page.screenshot(path=str(screenshot_dir / "trip-request.png"), full_page=True)
    page.click("#submit-request")
    expect(page.locator("#trip-status")).to_contain_text("pending")
    trip_id = Trip.objects.get().trip_id
    logout(page)

    login(page, base, "approver_a")
    page.goto(f"{base}/trips/queue/")
    expect(page.locator("table.queue")).to_contain_text(trip_id)
    page.screenshot(path=str(screenshot_dir / "trip-queue.png"), full_page=True)
    page.click(f"text={trip_id}")
    page.fill("#id_reason", "itinerary as filed")
    page.click("#approve")
    expect(page.locator("#trip-status")).to_contain_text("approved")
    expect(page.locator("table.documents")).to_contain_text("checked out")
    page.screenshot(path=str(screenshot_dir / "trip-approved.png"), full_page=True)
