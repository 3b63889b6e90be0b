"""Cross-field checks, and the check-document contract of DESIGN.md §6."""

from __future__ import annotations

import json
from datetime import date

from sojourn.core.documents import (
    RegistryRecord,
    check_document,
    compare_with_record,
    make_td3,
    parse_mrz,
    ric_check_char,
)
from sojourn.core.documents.checks import check_dates, name_matches, zone_letters
from sojourn.core.documents.codes import SEVERITY

TODAY = date(2026, 3, 1)
ZONE = make_td3(surname="ZHANG", given_names="XIAO MING", document_number="EA1234567", nationality="CHN", birth_date=date(1980, 1, 2), sex="M", expiry_date=date(2030, 5, 6), document_code="PO")  # fmt: skip
ID_NUMBER = "110105198001020038"  # the fixture official OA1-1: born 1980-01-02, male


def fields() -> dict[str, object]:
    return parse_mrz(ZONE, today=TODAY).fields


def mismatches(record: RegistryRecord) -> set[str]:
    return {p.code for p in compare_with_record(fields(), record, today=TODAY)}


def test_record_that_agrees() -> None:
    record = RegistryRecord(surname="Zhang", given_name="Xiaoming", birth_date=date(1980, 1, 2), sex="M", document_number="ea 1234567", expiry_date=date(2030, 5, 6), id_number=ID_NUMBER)  # fmt: skip
    assert mismatches(record) == set()


def test_record_that_disagrees() -> None:
    record = RegistryRecord(surname="ZHANG", given_name="XIAOHONG", birth_date=date(1980, 1, 3), sex="F", document_number="EA1234568", expiry_date=date(2030, 5, 7))  # fmt: skip
    assert mismatches(record) == {"cross.name_mismatch", "cross.birth_date_mismatch", "cross.sex_mismatch", "cross.number_mismatch", "cross.expiry_mismatch"}  # fmt: skip


def test_names_compare_as_zone_letters_and_truncated_zones_as_prefixes() -> None:
    assert zone_letters("Müller-Lüdenscheidt") == {"MULLERLUDENSCHEIDT", "MUELLERLUEDENSCHEIDT"}
    assert zone_letters("O'Brien") == {"OBRIEN"}
    assert zone_letters("张") is None
    assert name_matches({"surname": "MUELLER", "given_names": "JOSE"}, "Müller", "José") is True
    assert name_matches({"surname": "ZHANG", "given_names": "WEI"}, "张", "伟") is None  # not comparable here
    long = {"surname": "WOLFESCHLEGELSTEINHAUSENBERGERDORFF", "given_names": "HU", "name_truncated": True}
    assert name_matches(long, "Wolfeschlegelsteinhausenbergerdorff", "Hubert Blaine") is True
    assert (
        name_matches({**long, "name_truncated": False}, "Wolfeschlegelsteinhausenbergerdorff", "Hubert")
        is False
    )
    assert name_matches({"surname": "ZHANG", "given_names": "WEI"}, "ZHANGWEI", None) is False


def test_zone_against_an_id_number() -> None:
    assert check_document(mrz=ZONE, id_number=ID_NUMBER, today=TODAY).problems == ()
    other = "11010519800103004" + ric_check_char("11010519800103004")  # born 1980-01-03, female
    result = check_document(mrz=ZONE, id_number=other, today=TODAY)
    assert {p.code for p in result.problems} == {"cross.birth_date_mismatch", "cross.sex_mismatch"}
    assert not result.valid and result.kind == "TD3" and result.fields["region_code"] == "110105"


def test_zone_against_typed_values() -> None:
    result = check_document(mrz=ZONE, number="EA1234568", expiry_date=date(2030, 5, 6), today=TODAY)
    assert [p.code for p in result.problems] == ["cross.number_mismatch"]


def test_date_sanity() -> None:
    def found(
        birth_date: date | None = None, issue_date: date | None = None, expiry_date: date | None = None
    ) -> set[str]:
        found = check_dates(
            today=TODAY, birth_date=birth_date, issue_date=issue_date, expiry_date=expiry_date
        )
        return {p.code for p in found}

    assert found(birth_date=date(2027, 1, 1)) == {"date.birth_in_future"}
    assert found(issue_date=date(2020, 1, 1), expiry_date=date(2019, 1, 1)) == {"date.issue_after_expiry", "date.expired"}  # fmt: skip
    assert found(issue_date=date(2027, 1, 1)) == {"date.invalid"}
    assert found(birth_date=date(2000, 1, 1), issue_date=date(1999, 1, 1)) == {"date.invalid"}
    assert found(expiry_date=TODAY) == set()


def test_issue_date_beside_a_zone() -> None:
    result = check_document(mrz=ZONE, issue_date=date(2031, 1, 1), today=TODAY)
    assert {"date.issue_after_expiry", "date.invalid"} <= {p.code for p in result.problems}
    assert not result.valid


def test_to_dict_is_the_json_contract() -> None:
    result = check_document(mrz=ZONE.replace("\n", "|"), today=TODAY)
    data = json.loads(json.dumps(result.to_dict()))
    assert list(data) == ["valid", "kind", "fields", "problems"]
    assert data["valid"] is True and data["kind"] == "TD3"
    f = data["fields"]
    for key in ("document_code", "issuer", "surname", "given_names", "document_number", "nationality", "birth_date", "sex", "expiry_date", "optional_data", "issuer_iso", "nationality_iso"):  # fmt: skip
        assert key in f
    assert (f["birth_date"], f["expiry_date"], f["issuer_iso"]) == ("1980-01-02", "2030-05-06", "CHN")
    bad = json.loads(json.dumps(check_document(id_number="110105194912310021", today=TODAY).to_dict()))
    assert bad["valid"] is False
    assert bad["problems"] == [{"code": "id.check_character", "severity": "error", "message": bad["problems"][0]["message"]}]  # fmt: skip
    assert bad["fields"]["birth_date"] == "1949-12-31"


def test_valid_is_false_exactly_when_some_problem_is_an_error() -> None:
    samples = [
        check_document(mrz=ZONE, today=TODAY),
        check_document(mrz=ZONE, today=date(2031, 1, 1)),
        check_document(mrz=ZONE[:-1] + "0", today=TODAY),
        check_document(id_number="110105194912310021", today=TODAY),
        check_document(
            doc_type="passport_ordinary", number="G12345678", issue_date=date(2016, 1, 1), today=TODAY
        ),
    ]
    for result in samples:
        assert result.valid == all(p.severity == "warning" for p in result.problems)
        assert all(p.severity in ("error", "warning") and p.code in SEVERITY for p in result.problems)


def test_messages_name_the_field_and_value() -> None:
    line1, line2 = ZONE.split("\n")
    result = check_document(mrz=line1 + "\n" + line2.replace("800102", "800103"), today=TODAY)
    messages = " ".join(p.message for p in result.problems)
    assert "birth date" in messages and "'800103'" in messages
