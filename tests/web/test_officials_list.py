"""The officials list: search, filters and paging."""

from __future__ import annotations


def test_officials_list_pages_keep_their_filters(world):
    from tests.factories import make_official

    for i in range(55):
        make_official(f"OA-{100 + i}", world.units["A"], id_number=f"1101051970010{100 + i:03d}X"[:18])
    body = world.client("registrar_a").get("/registry/officials/?rank=division&q=zhang").content.decode()
    assert "rank=division&amp;q=zhang&amp;page=2" in body
    page2 = world.client("registrar_a").get("/registry/officials/?rank=division&q=zhang&page=2").content.decode()
    assert "OA-154" in page2 and "page=1" in page2


def test_search_by_characters_pinyin_and_id(world):
    client = world.client("inspector")
    for query in ("單曉明", "单晓明", "shan xiaoming", "XIAOMING SHAN", "110105198001020038", "OA1-1"):
        body = client.get("/registry/officials/", {"q": query}).content.decode()
        assert "OA1-1" in body, query
        assert "OB-1" not in body, query


def test_unit_filter_takes_the_subtree(world):
    body = world.client("inspector").get("/registry/officials/", {"unit": "A"}).content.decode()
    assert "OA-1" in body and "OA1-1" in body and "OB-1" not in body
