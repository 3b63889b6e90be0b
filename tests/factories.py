"""Small factories for registry records; tests name what they need and nothing more."""

from __future__ import annotations

from datetime import date
from typing import Any

from sojourn.registry.models import Official, Relative, Unit
from sojourn.registry.names import record_key


def make_unit(code: str, parent: Unit | None = None, name: str | None = None) -> Unit:
    path = (parent.path if parent else "/") + code + "/"
    return Unit.objects.create(code=code, name=name or f"Unit {code}", parent=parent, path=path, region="110000")


def make_official(official_id: str, unit: Unit, **fields: Any) -> Official:
    values: dict[str, Any] = {
        "name_zh": "张伟", "surname": "ZHANG", "given_name": "WEI", "birth_date": date(1970, 5, 1), "sex": "M",
        "id_number": "11010519700501001X", "rank": "division", "post": "deputy director",
        "covered_since": date(2020, 1, 6), "filed_on": date(2020, 1, 8), "status": "active",
    }
    values.update(fields)
    values["search_key"] = record_key(values["name_zh"], values["surname"], values["given_name"])
    return Official.objects.create(official_id=official_id, unit=unit, **values)


def make_relative(relative_id: str, official: Official, **fields: Any) -> Relative:
    values: dict[str, Any] = {
        "relationship": "spouse", "name_zh": "李娜", "surname": "LI", "given_name": "NA",
        "birth_date": date(1972, 3, 9), "sex": "F", "nationality": "CHN", "residence_country": "CAN",
        "residence_status": "permanent_resident", "abroad_since": date(2015, 6, 1),
    }
    values.update(fields)
    values["search_key"] = record_key(values["name_zh"], values["surname"], values["given_name"])
    return Relative.objects.create(relative_id=relative_id, official=official, **values)
