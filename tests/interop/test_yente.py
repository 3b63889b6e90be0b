"""The yente-compatible API: ``POST /match/{dataset}``, ``GET /algorithms``, ``/catalog``, ``/entities/{id}``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from sojourn.accounts.api_auth import revoke_token
from sojourn.accounts.models import ApiToken
from sojourn.accounts.services import issue_token
from sojourn.audit.models import AuditEvent
from sojourn.core.documents.codes import ISO_ALPHA3
from sojourn.interop import yente
from sojourn.interop.countries import ALPHA2_OF, from_ftm_country, to_ftm_country
from sojourn.screening.importing import import_watchlist_file
from sojourn.screening.services import RULESET

HEADER = (
    "entry_id,list,name_zh,surname,given_name,aliases,birth_date,sex,nationality,id_number,doc_numbers,"
    "reason,action,valid_from,valid_to\n"
)
LISTS = HEADER + (
    "W-1,internal,张伟,ZHANG,WEI,,1970-05-01,M,CHN,,,under investigation,hold,2020-01-01,\n"
    "W-2,external,,CHAN,Tai Man,CHAN Tai Man Peter,1965-03-04,M,HKG,,,,refer,,\n"
    "W-3,internal,,LI,MING,,,,,,E 1234 5678; G87654321,wanted,hold,,\n"
    "W-4,internal,王芳,WANG,FANG,,1980-01-01,F,CHN,,,expired entry,hold,2010-01-01,2015-12-31\n"
    "W-5,internal,张卫,ZHANG,WEI,,1982-03-01,M,CHN,,,,refer,,\n"
)
ZHANG_WEI = {"schema": "Person", "properties": {"name": ["张伟", "CHEUNG Wai"], "birthDate": ["1970-05-01"]}}


@pytest.fixture
def lists(tmp_path: Path, world: Any) -> None:
    path = tmp_path / "watchlist.csv"
    path.write_text(LISTS, encoding="utf-8")
    report = import_watchlist_file(path=path, actor="tester")
    assert report.ok, [str(e) for e in report.errors]


@pytest.fixture
def device(world: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.checkpoint_token}")


def post_match(client: Client, body: Any, dataset: str = "default", query: str = "") -> Any:
    url = f"/match/{dataset}" + (f"?{query}" if query else "")
    return client.post(url, data=json.dumps(body), content_type="application/json")


def results(response: Any, key: str = "q1") -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    found: list[dict[str, Any]] = response.json()["responses"][key]["results"]
    return found


def ids(response: Any, key: str = "q1") -> list[str]:
    return [r["id"] for r in results(response, key)]


def yente_audits() -> int:
    return AuditEvent.objects.filter(object_type="screening", object_id__startswith="match:").count()


def test_characters_and_cantonese_find_zhang_wei_with_explanations(lists: None, device: Client) -> None:
    response = post_match(device, {"queries": {"q1": ZHANG_WEI}})
    body = response.json()
    assert body["limit"] == 5
    answer = body["responses"]["q1"]
    assert answer["status"] == 200 and answer["total"]["relation"] == "eq"
    assert answer["query"]["properties"]["name"] == ["张伟", "CHEUNG Wai"]
    top = answer["results"][0]
    assert (top["id"], top["schema"], top["caption"], top["datasets"]) == (
        "internal-W-1",
        "Person",
        "张伟",
        ["internal"],
    )
    assert top["score"] == 1.0 and top["match"] is True
    props = top["properties"]
    assert props["name"] == ["张伟", "ZHANG WEI"] and props["birthDate"] == ["1970-05-01"]
    assert props["nationality"] == ["cn"] and props["gender"] == ["male"] and props["topics"] == ["poi"]
    assert "hold" in props["notes"][0] and "under investigation" not in json.dumps(top)
    explained = top["explanations"]
    assert explained["name"]["score"] == 1.0 and explained["name"]["candidate"] == "张伟"
    assert explained["birthDate"] == {
        "score": 1.0,
        "detail": "same birth date 1970-05-01",
        "query": "1970-05-01",
        "candidate": "1970-05-01",
    }
    assert "internal-W-4" not in ids(response)  # expired entries are not on the lists today


def test_cantonese_alone_is_explained_by_its_spelling(lists: None, device: Client) -> None:
    query = {"schema": "Person", "properties": {"name": ["CHEUNG Wai"], "birthDate": ["1970-05-01"]}}
    top = results(post_match(device, {"queries": {"q1": query}}))[0]
    assert top["id"] == "internal-W-1" and top["match"] is True
    assert "CHEUNG is 张 (Hong Kong)" in top["explanations"]["name"]["detail"]


def test_wade_giles_first_and_last_name(lists: None, device: Client) -> None:
    query = {
        "schema": "Person",
        "properties": {"firstName": ["Wei"], "lastName": ["Chang"], "birthDate": ["1970-05-01"]},
    }
    top = results(post_match(device, {"queries": {"wg": query}}), "wg")[0]
    assert top["id"] == "internal-W-1" and top["match"] is True
    assert "Wade–Giles" in top["explanations"]["name"]["detail"]
    assert top["explanations"]["name"]["query"] == "CHANG Wei"


def test_every_request_is_audited_once(lists: None, device: Client) -> None:
    before = yente_audits()
    post_match(device, {"queries": {"a": ZHANG_WEI, "b": ZHANG_WEI}})
    assert yente_audits() == before + 1
    event = AuditEvent.objects.filter(object_id="match:default").latest("seq")
    assert event.actor == "checkpoint" and event.purpose == "screening"
    assert event.detail["matches"]["a"][0] == "internal-W-1" and event.detail["ruleset"] == RULESET
    assert event.detail["queries"]["b"]["name"] == ["张伟", "CHEUNG Wai"]


def test_threshold_limit_and_excluded_ids(lists: None, device: Client) -> None:
    query = {"schema": "Person", "properties": {"name": ["Zhang Wei"], "birthDate": ["1970-05-01"]}}
    body = {"queries": {"q1": query}}
    found = results(post_match(device, body))
    assert [r["id"] for r in found] == ["internal-W-1", "internal-W-5"]
    assert found[1]["score"] < found[0]["score"]
    strict = results(post_match(device, body, query="threshold=0.9"))
    assert [(r["id"], r["match"]) for r in strict] == [("internal-W-1", True), ("internal-W-5", False)]
    one = post_match(device, body, query="limit=1")
    assert ids(one) == ["internal-W-1"] and one.json()["limit"] == 1
    assert one.json()["responses"]["q1"]["total"] == {"value": 2, "relation": "eq"}
    assert ids(post_match(device, body, query="exclude_entity_ids=internal-W-1")) == ["internal-W-5"]
    assert ids(post_match(device, body, query="exclude_schema=Person")) == []
    assert ids(post_match(device, body, query="topics=sanction")) == []
    assert ids(post_match(device, body, query="topics=poi&algorithm=logic-v2")) == [
        "internal-W-1",
        "internal-W-5",
    ]


def test_a_number_decides_and_a_year_only_date_counts(lists: None, device: Client) -> None:
    by_number = {"schema": "Person", "properties": {"passportNumber": ["E12345678"]}}
    top = results(post_match(device, {"queries": {"q1": by_number}}))[0]
    assert top["id"] == "internal-W-3" and top["score"] == 1.0 and top["match"] is True
    assert top["explanations"]["passportNumber"]["score"] == 1.0
    year_only = {"schema": "Person", "properties": {"name": ["Zhang Wei"], "birthDate": ["1970"]}}
    found = {r["id"]: r for r in results(post_match(device, {"queries": {"q1": year_only}}))}
    assert found["internal-W-1"]["explanations"]["birthDate"]["detail"].startswith("birth year agrees")
    assert found["internal-W-5"]["score"] < found["internal-W-1"]["score"]


def test_dataset_is_a_list_name_or_default(lists: None, device: Client) -> None:
    body = {"queries": {"q1": ZHANG_WEI}}
    assert "internal-W-1" in ids(post_match(device, body, dataset="internal"))
    assert ids(post_match(device, body, dataset="external")) == []
    missing = post_match(device, body, dataset="nope")
    assert missing.status_code == 404


def test_at_most_100_queries(lists: None, device: Client) -> None:
    query = {"schema": "Person", "properties": {"name": ["Li Ming"]}}
    full = post_match(device, {"queries": {f"q{k}": query for k in range(100)}})
    assert full.status_code == 200 and len(full.json()["responses"]) == 100
    over = post_match(device, {"queries": {f"q{k}": query for k in range(101)}})
    assert over.status_code == 400 and "at most 100" in over.json()["detail"]


@pytest.mark.parametrize(
    ("properties", "field"),
    [
        ({"name": ["张伟"], "birthDate": ["1970-13-01"]}, "properties.birthDate"),
        ({"name": ["张伟"], "nationality": ["China"]}, "properties.nationality"),
        ({"name": ["张伟"], "favouriteColour": ["red"]}, "properties.favouriteColour"),
        ({"name": ["张伟"], "gender": ["x"]}, "properties.gender"),
        ({"name": [{"nested": 1}]}, "properties.name"),
        ({"birthDate": ["1970-05-01"]}, "properties.name"),
    ],
)
def test_a_bad_query_answers_400_naming_key_and_field(
    lists: None, device: Client, properties: dict[str, Any], field: str
) -> None:
    body = {"queries": {"good": ZHANG_WEI, "bad-one": {"schema": "Person", "properties": properties}}}
    response = post_match(device, body)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "'bad-one'" in detail and f"'{field}'" in detail, detail


def test_bad_parameters_and_bodies_answer_400(lists: None, device: Client) -> None:
    body = {"queries": {"q1": ZHANG_WEI}}
    company = {"queries": {"c": {"schema": "Company", "properties": {"name": ["ACME"]}}}}
    for response, words in (
        (post_match(device, body, query="threshold=1.5"), "'threshold'"),
        (post_match(device, body, query="threshold=high"), "'threshold'"),
        (post_match(device, body, query="limit=501"), "'limit'"),
        (post_match(device, body, query="algorithm=coin-toss"), "'algorithm'"),
        (post_match(device, company), "'schema'"),
        (post_match(device, {"queries": {}}), "'queries'"),
        (post_match(device, {"weights": {}}), "queries"),
    ):
        assert response.status_code == 400, (words, response.content)
        assert words in response.json()["detail"], response.json()


def test_only_a_screening_token_opens_the_routes(lists: None, world: Any) -> None:
    body = {"queries": {"q1": ZHANG_WEI}}
    api_token = issue_token(user=world.users["inspector"], name="inspector's script", scope="api")
    clients = {
        "anonymous": Client(),
        "inspector session": world.client("inspector"),
        "outsider session": world.client("outsider"),
        "checkpoint session": world.client("checkpoint"),
        "api token": Client(HTTP_AUTHORIZATION=f"Bearer {api_token}"),
        "wrong scheme": Client(HTTP_AUTHORIZATION=f"Basic {world.checkpoint_token}"),
    }
    for persona, client in clients.items():
        for response in (
            post_match(client, body),
            client.get("/catalog"),
            client.get("/algorithms"),
            client.get("/entities/internal-W-1"),
        ):
            assert response.status_code in (401, 403), (persona, response.status_code)
            assert "张伟" not in response.content.decode()
    yente_client = Client(HTTP_AUTHORIZATION=f"ApiKey {world.checkpoint_token}")
    assert ids(post_match(yente_client, body))[0] == "internal-W-1"
    revoke_token(ApiToken.objects.get(scope="screening"))
    assert post_match(yente_client, body).status_code == 401


def test_catalog_lists_the_lists(lists: None, device: Client) -> None:
    response = device.get("/catalog")
    assert response.status_code == 200
    datasets = {d["name"]: d for d in response.json()["datasets"]}
    assert list(datasets) == ["default", "external", "internal"]
    assert datasets["internal"]["entity_count"] == 3  # W-4's window is over
    assert datasets["default"]["entity_count"] == 4 and datasets["default"]["children"] == [
        "external",
        "internal",
    ]
    assert datasets["internal"]["updated_at"]


def test_algorithms_name_ours_and_the_yente_names_it_answers(device: Client) -> None:
    body = device.get("/algorithms").json()
    assert body["default"] == body["best"] == RULESET == yente.ALGORITHM
    assert {"best", "logic-v2"} <= set(body["algorithms"][0]["aliases"])


def test_one_entity_by_id(lists: None, device: Client) -> None:
    before = AuditEvent.objects.filter(object_type="screening.watchlistentry").count()
    response = device.get("/entities/internal-W-3")
    assert response.status_code == 200
    entity = response.json()
    assert entity["id"] == "internal-W-3" and entity["caption"] == "LI MING"
    assert entity["properties"]["passportNumber"] == ["E12345678", "G87654321"]
    assert AuditEvent.objects.filter(object_type="screening.watchlistentry").count() == before + 1
    assert device.get("/entities/internal-W-4").status_code == 404  # expired
    assert device.get("/entities/internal-W-404").status_code == 404
    assert device.get("/entities/nolist-W-1").status_code == 404


def test_country_codes_cover_every_state_once() -> None:
    assert set(ISO_ALPHA3) <= set(ALPHA2_OF)
    alpha2 = [ALPHA2_OF[code] for code in ISO_ALPHA3]
    assert len(set(alpha2)) == len(alpha2) and all(len(c) == 2 and c.islower() for c in alpha2)
    assert [to_ftm_country(c) for c in ("CHN", "HKG", "MAC", "TWN", "D", "GBR")] == [
        "cn",
        "hk",
        "mo",
        "tw",
        "de",
        "gb",
    ]
    assert all(from_ftm_country(ALPHA2_OF[code]) == code for code in ISO_ALPHA3)
    assert (
        from_ftm_country("CN") == "CHN"
        and from_ftm_country("chn") == "CHN"
        and from_ftm_country("zz") is None
    )


def test_split_entity_id_tries_every_list_that_fits() -> None:
    assert yente.split_entity_id("un-sc-W-1", ["un", "un-sc"]) == [("un-sc", "W-1"), ("un", "sc-W-1")]
    assert yente.split_entity_id("internal-", ["internal"]) == []


def test_a_body_that_is_no_json_object_answers_400(device: Client) -> None:
    for raw in ("not json", "[]", '{"queries": {"q1": "张伟"}}'):
        response = device.post("/match/default", data=raw, content_type="application/json")
        assert response.status_code == 400, (raw, response.content)
        assert "detail" in response.json()


_VALUES = st.one_of(
    st.text(max_size=12), st.lists(st.text(max_size=12), max_size=4), st.integers(), st.none()
)


@given(
    key=st.text(min_size=1, max_size=8),
    properties=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "alias",
                "birthDate",
                "gender",
                "nationality",
                "idNumber",
                "firstName",
                "lastName",
                "passportNumber",
                "country",
                "colour",
            ]
        ),
        _VALUES,
        max_size=6,
    ),
)
def test_parse_query_either_parses_or_names_the_key(key: str, properties: dict[str, Any]) -> None:
    try:
        query = yente.parse_query(key, {"schema": "Person", "properties": properties})
    except yente.QueryError as exc:
        assert exc.key == key and repr(key) in str(exc) and exc.field
    else:
        assert query.names or query.id_numbers or query.passport_numbers
        assert len(query.variants()) == query.variant_count() <= yente.MAX_VARIANTS
