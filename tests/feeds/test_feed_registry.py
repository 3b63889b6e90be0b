"""Registry files checked against the registry: unit tree, references, and the importer's scope.

The ``world`` registry: ROOT → A → A1, ROOT → B; officials OA-1 (A), OA1-1 (A1), OB-1 (B);
relatives RA-1 (of OA-1), RB-1 (of OB-1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sojourn.accounts.scope import Scope
from sojourn.feeds.base import read_table
from sojourn.feeds.registry import CheckedFile, check_registry_file

SCOPE_A = Scope(everything=False, paths=("/ROOT/A/",))

OFFICIAL_HEADER = "official_id,unit_code,surname,birth_date,sex,id_number,rank,covered_since"
OFFICIAL_VALUES = "ZHANG,1970-05-01,M,11010519700501001X,staff,2020-01-06"


def checked(tmp_path: Path, kind: str, content: str, scope: Scope | None = None) -> CheckedFile:
    path = tmp_path / f"{kind}.csv"
    path.write_text(content, encoding="utf-8")
    return check_registry_file(kind, read_table(path), scope=scope)


def errors(result: CheckedFile) -> list[str]:
    return [str(e) for e in result.errors]


@pytest.mark.django_db
def test_parents_may_come_after_children(world, tmp_path):
    result = checked(tmp_path, "units", "unit_code,name,parent_code\nC2,c2,C1\nC1,c1,B\nC3,c3,\n")
    assert errors(result) == []
    assert result.unit_paths["C2"] == "/ROOT/B/C1/C2/"
    assert result.unit_paths["C3"] == "/C3/"
    assert result.parents == {"C2": "C1", "C1": "B", "C3": None}


@pytest.mark.django_db
def test_unknown_parent_and_cycles(world, tmp_path):
    result = checked(tmp_path, "units", "unit_code,name,parent_code\nX1,x,NOPE\nY1,y,Y2\nY2,y,Y1\nZ,z,Z\n")
    assert errors(result) == [
        "units.csv row 2, parent_code 'NOPE': no such unit in the file or the registry",
        "units.csv row 3, parent_code 'Y2': makes a cycle (unit → parent): Y1 → Y2 → Y1",
        "units.csv row 4, parent_code 'Y1': makes a cycle (unit → parent): Y1 → Y2 → Y1",
        "units.csv row 5, parent_code 'Z': makes a cycle (unit → parent): Z → Z",
    ]


@pytest.mark.django_db
def test_cycle_through_stored_units(world, tmp_path):
    result = checked(tmp_path, "units", "unit_code,name,parent_code\nA,Unit A,A1\n")
    assert errors(result) == ["units.csv row 2, parent_code 'A1': makes a cycle (unit → parent): A → A1 → A"]


@pytest.mark.django_db
def test_moving_a_unit_moves_its_subtree(world, tmp_path):
    result = checked(tmp_path, "units", "unit_code,name,parent_code\nA,Unit A,B\n")
    assert errors(result) == []
    assert result.unit_paths["A1"] == "/ROOT/B/A/A1/"


@pytest.mark.django_db
def test_registrar_adds_units_only_below_own_unit(world, tmp_path):
    refusal = "is outside your scope (you may add and change only units below your own)"
    content = "unit_code,name,parent_code\nA2,ok,A\nA2x,ok,A2\nB2,no,B\nA,renamed,ROOT\nA1,moved,ROOT\n"
    assert errors(checked(tmp_path, "units", content, SCOPE_A)) == [
        f"units.csv row 4, unit_code 'B2': unit B2 {refusal}",
        f"units.csv row 5, unit_code 'A': unit A {refusal}",
        f"units.csv row 6, unit_code 'A1': unit A1 {refusal}",
    ]
    # Pulling a unit in from outside is refused too, though its new place would be in scope.
    assert errors(checked(tmp_path, "units", "unit_code,name,parent_code\nB,moved,A\n", SCOPE_A)) == [
        f"units.csv row 2, unit_code 'B': unit B {refusal}"
    ]


@pytest.mark.django_db
def test_officials_need_known_units_in_scope(world, tmp_path):
    content = (
        f"{OFFICIAL_HEADER}\nN1,A1,{OFFICIAL_VALUES}\nN2,ZZ,{OFFICIAL_VALUES}\n"
        f"N3,B,{OFFICIAL_VALUES}\nOB-1,A,{OFFICIAL_VALUES}\n"
    )
    assert errors(checked(tmp_path, "officials", content)) == [
        "officials.csv row 3, unit_code 'ZZ': no such unit in the registry (import units first)"
    ]
    assert errors(checked(tmp_path, "officials", content, SCOPE_A)) == [
        "officials.csv row 3, unit_code 'ZZ': no such unit in the registry (import units first)",
        "officials.csv row 4, unit_code 'B': unit B is outside your scope",
        "officials.csv row 5, official_id 'OB-1': official OB-1 is registered in a unit outside your scope",
    ]


@pytest.mark.django_db
def test_relatives_and_posts_need_known_officials_in_scope(world, tmp_path):
    rel = "relative_id,official_id,relationship,surname\nR1,OA1-1,child,SHAN\nR2,NOPE,child,X\nR3,OB-1,child,C\nRB-1,OA-1,spouse,W\n"
    assert errors(checked(tmp_path, "relatives", rel)) == [
        "relatives.csv row 3, official_id 'NOPE': no such official in the registry (import officials first)"
    ]
    assert errors(checked(tmp_path, "relatives", rel, SCOPE_A))[1:] == [
        "relatives.csv row 4, official_id 'OB-1': official OB-1 is outside your scope",
        "relatives.csv row 5, relative_id 'RB-1': relative RB-1 belongs to an official outside your scope",
    ]
    posts = "official_id,post,started_on,filed_on\nOA-1,director,2024-01-02,\nNOPE,x,2024-01-02,\nOA-1,director,2024-01-02,\n"
    assert errors(checked(tmp_path, "posts", posts)) == [
        "posts.csv row 3, official_id 'NOPE': no such official in the registry (import officials first)",
        "posts.csv row 4, official_id+started_on+post 'OA-1, 2024-01-02, director': duplicate of row 2",
    ]
