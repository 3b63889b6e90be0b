"""Unit scope, exhaustively over the personas: who sees which official and relative."""

from __future__ import annotations

import pytest

from sojourn.registry.selectors import may_see_official, visible_officials, visible_relatives, visible_units

EXPECTED_OFFICIALS = {
    "registrar_a": {"OA-1", "OA1-1"},
    "approver_a": {"OA-1", "OA1-1"},
    "inspector": {"OA-1", "OA1-1", "OB-1"},
    "admin": {"OA-1", "OA1-1", "OB-1"},
    "outsider": {"OB-1"},
    "auditor": set(),
    "checkpoint": set(),
}
EXPECTED_RELATIVES = {
    "registrar_a": {"RA-1"},
    "approver_a": set(),  # approvers decide trips; family records are not theirs to read
    "inspector": {"RA-1", "RB-1"},
    "admin": {"RA-1", "RB-1"},
    "outsider": {"RB-1"},
    "auditor": set(),
    "checkpoint": set(),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED_OFFICIALS))
def test_visible_officials(world, persona):
    user = world.users[persona]
    assert set(visible_officials(user).values_list("official_id", flat=True)) == EXPECTED_OFFICIALS[persona]
    for oid, official in world.officials.items():
        assert may_see_official(user, official) == (oid in EXPECTED_OFFICIALS[persona])


@pytest.mark.parametrize("persona", sorted(EXPECTED_RELATIVES))
def test_visible_relatives(world, persona):
    got = set(visible_relatives(world.users[persona]).values_list("relative_id", flat=True))
    assert got == EXPECTED_RELATIVES[persona]


def test_units_follow_the_tree(world):
    assert set(visible_units(world.users["registrar_a"]).values_list("code", flat=True)) == {"A", "A1"}
    assert set(visible_units(world.users["outsider"]).values_list("code", flat=True)) == {"B"}
    assert not visible_units(world.users["auditor"]).exists()


def test_sibling_prefix_is_not_a_subtree(world):
    """Unit A must not see unit AB just because its code starts with A."""
    from tests.factories import make_official, make_unit

    ab = make_unit("AB", world.units["ROOT"])
    make_official("OAB-1", ab, id_number="110105197001010011")
    assert "OAB-1" not in set(visible_officials(world.users["registrar_a"]).values_list("official_id", flat=True))
