"""Walk every URL and API route as the outsider and as the checkpoint: nothing personal comes back.

The routes are enumerated from the URL resolver, so a view added later is walked too. Path
parameters are filled with the ids of records in unit A, which neither persona may read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sojourn.alerts.models import Finding

SKIP_PREFIXES = ("admin/", "static/", "i18n/", "accounts/log")
# Personal data of unit A's officials and relatives that must never reach these personas.
SECRETS_OF_A = ("张伟", "ZHANG", "11010519700501001X", "單曉明", "SHAN", "110105198001020038", "李娜", "OA1-1",
                "E99887766")


def walk(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern


def fill(pattern: str, ids: dict[str, str]) -> str:
    pattern = pattern.lstrip("^").rstrip("$").replace("\\Z", "")

    def value(match: re.Match[str]) -> str:
        name = match.group(2)
        return ids.get(name, ids["default"])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, pattern)


def routes(world) -> list[str]:
    finding = Finding.objects.create(
        code="registry.filing_gap", severity=3, official=world.officials["OA-1"], unit=world.units["A"],
        subject_id="OA-1", text="Covered since 2020-01-06 but not filed (张伟)", basis="filing notice",
        dedupe_key="walk:1", ruleset="test", last_seen_at="2026-01-01T00:00:00Z",
    )
    from sojourn.custody.models import TravelDocument

    document = TravelDocument.objects.create(holder=world.officials["OA1-1"], doc_type="passport_ordinary",
                                             issuer="CHN", number="E99887766", custody="in_custody")
    from sojourn.crossings.models import Journey, MatchedCrossing
    from sojourn.travel.models import Trip

    trip = Trip.objects.create(trip_id="TA1-1", official=world.officials["OA1-1"], purpose="private",
                               destinations="HKG", depart_date="2025-10-01", return_date="2025-10-07",
                               status="approved")
    trip.documents.add(document)
    exit_crossing = MatchedCrossing.objects.create(
        event_id="walk-exit-1", official=world.officials["OA1-1"], crossed_at="2025-10-01T07:50:00+08:00",
        local_date="2025-10-01", direction="exit", port="Shenzhen Bay", country="HKG",
        doc_type="passport_ordinary", doc_issuer="CHN", doc_number="E99887766", document=document,
        matched_by="document", trip=trip,
    )
    journey = Journey.objects.create(exit=exit_crossing, official=world.officials["OA1-1"], trip=trip,
                                     exit_date="2025-10-01", due_date="2025-10-07", destination="HKG",
                                     port="Shenzhen Bay")
    from sojourn.declarations.models import Declaration, Verification

    declaration = Declaration.objects.create(official=world.officials["OA1-1"], year=2025, status="submitted",
                                             submitted_on="2026-01-20")
    declaration.items.create(kind="passport", number="E99887766")
    verification = Verification.objects.create(declaration=declaration, drawn_how="random", seed=1, run_by="walk",
                                               run_at="2026-02-01T00:00:00Z")
    from sojourn.resolution.models import LinkPair, ResolutionRun

    run = ResolutionRun.objects.create(engine="duckdb", model_version="walk", threshold=0.95, mode="full",
                                       actor="walk", started_at="2026-01-01T00:00:00Z")
    link = LinkPair.objects.create(
        unique_id_l="official:OA1-1", unique_id_r="traveller:CHN:E99887766", source_l="official",
        source_r="traveller", fingerprint_l="l", fingerprint_r="r", data_key="lr", match_probability=0.99,
        match_weight=12.0, official_l=world.officials["OA1-1"], unit_l=world.units["A1"], run=run, last_run=run,
        evidence={"name": {"label": "same Han characters", "left": "單曉明", "right": "SHAN XIAOMING"}},
    )
    ids = {"declaration_id": str(declaration.pk), "verification_id": str(verification.pk),
           "pair_id": str(link.pk),
           "official_id": "OA1-1", "relative_id": "RA-1", "pk": str(finding.pk),
           "finding_id": str(finding.pk), "document_id": str(document.pk), "trip_id": trip.trip_id,
           "journey_id": str(journey.pk), "event_id": exit_crossing.event_id, "default": "OA1-1"}
    urls = sorted({fill(p, ids) for p in walk() if not p.startswith(SKIP_PREFIXES)})
    assert len(urls) >= 15, urls  # the walk itself must not silently shrink
    return urls


def assert_nothing_personal(client: Client, url: str, persona: str, **extra: str) -> None:
    for method in ("get", "post"):
        response = getattr(client, method)(url, **extra)
        body = response.content.decode("utf-8", "replace")
        leaked = [s for s in SECRETS_OF_A if s in body]
        assert not leaked, f"{persona} {method.upper()} {url} -> {response.status_code} leaks {leaked}"
        assert response.status_code in {200, 302, 400, 401, 403, 404, 405, 422}, (persona, url, response.status_code)


@pytest.mark.parametrize("persona", ["outsider", "checkpoint", "auditor"])
def test_persona_gets_nothing_from_unit_a(world, persona):
    client = world.client(persona)
    for url in routes(world):
        if persona == "auditor" and url.startswith("/audit"):
            continue  # the trail is the auditor's to read
        assert_nothing_personal(client, url, persona)


def test_checkpoint_token_opens_no_api_route(world):
    client = Client()
    header = {"HTTP_AUTHORIZATION": f"Bearer {world.checkpoint_token}"}
    api_urls = [u for u in routes(world) if u.startswith("/api/v1/") and "openapi" not in u and "docs" not in u]
    assert api_urls
    for url in api_urls:
        response = client.get(url, **header)
        assert response.status_code in {401, 403, 404, 405}, (url, response.status_code)
        assert_nothing_personal(client, url, "checkpoint-token", **header)


YENTE_ROUTES = ("/match/", "/algorithms", "/catalog", "/entities/")


def test_checkpoint_token_opens_the_yente_routes_but_no_registry_record(world):
    """The screening token opens the yente-compatible routes; they screen the watch lists, never the registry."""
    client = Client()
    header = {"HTTP_AUTHORIZATION": f"Bearer {world.checkpoint_token}"}
    yente_urls = [u for u in routes(world) if u.startswith(YENTE_ROUTES)]
    assert len(yente_urls) == 4, yente_urls
    for url in yente_urls:
        assert_nothing_personal(client, url, "checkpoint-token", **header)
    for name in ("單曉明", "SHAN XIAOMING", "张伟"):
        body = {"queries": {"q": {"schema": "Person", "properties": {"name": [name], "idNumber": ["110105198001020038"]}}}}
        response = client.post("/match/default", data=body, content_type="application/json", **header)
        assert response.status_code == 200 and response.json()["responses"]["q"]["results"] == []


def test_anonymous_gets_nothing(world):
    client = Client()
    # No personal data: checked below. /openapi.json is the yente-compatible API's schema.
    public = {"/healthz", "/api/v1/openapi.json", "/api/v1/docs", "/openapi.json"}
    for url in routes(world):
        response = client.get(url)
        if url not in public:
            assert response.status_code in {302, 401, 403, 404, 405}, (url, response.status_code)
        assert not [s for s in SECRETS_OF_A if s in response.content.decode("utf-8", "replace")]


def test_registrar_of_a_does_see_them(world):
    """The control: the same walk as the registrar of A does show A's records, so the test can fail."""
    body = world.client("registrar_a").get("/registry/officials/OA1-1/").content.decode()
    assert "單曉明" in body and "110105198001020038" in body

