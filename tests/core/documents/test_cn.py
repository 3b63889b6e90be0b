"""PRC documents: ID numbers (GB 11643-1999), passport series, permits, validity periods."""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sojourn.core.documents import check_document, convert_15_to_18, make_mrz, make_td3, ric_check_char
from sojourn.core.documents.cn import parse_id_number

TODAY = date(2026, 3, 1)


def codes(**kwargs: object) -> dict[str, str]:
    result = check_document(today=TODAY, **kwargs)  # type: ignore[arg-type]
    return {p.code: p.severity for p in result.problems}


# ---- ID numbers ----------------------------------------------------------------------


def test_standard_vectors() -> None:
    beijing = check_document(id_number="11010519491231002X", today=TODAY)
    assert beijing.valid and beijing.kind == "CN-RIC" and beijing.problems == ()
    assert beijing.fields == {"id_number": "11010519491231002X", "region_code": "110105", "birth_date": date(1949, 12, 31), "sex": "F", "sequence": "002"}  # fmt: skip
    old = check_document(id_number="440524188001010014", today=TODAY)
    assert old.valid and old.fields["birth_date"] == date(1880, 1, 1) and old.fields["sex"] == "M"


def test_lowercase_x_and_spaces_are_normalised() -> None:
    result = check_document(id_number=" 110105 19491231 002x ", today=TODAY)
    assert result.valid and result.fields["id_number"] == "11010519491231002X"


def test_check_character() -> None:
    assert ric_check_char("11010519491231002") == "X"
    assert ric_check_char("44052418800101001") == "4"
    with pytest.raises(ValueError):
        ric_check_char("1234")
    assert codes(id_number="110105194912310021") == {"id.check_character": "error"}


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["110105", "440524", "310115", "650102"]),
    st.dates(date(1900, 1, 1), TODAY),
    st.integers(0, 999),
    st.data(),
)
def test_generated_numbers_and_every_wrong_check_character(region: str, birth: date, seq: int, data: st.DataObject) -> None:  # fmt: skip
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    number = first17 + ric_check_char(first17)
    result = check_document(id_number=number, today=TODAY)
    assert result.valid and result.fields["birth_date"] == birth
    assert result.fields["sex"] == ("M" if seq % 2 else "F")
    wrong = data.draw(st.sampled_from([c for c in "0123456789X" if c != number[-1]]))
    assert not check_document(id_number=first17 + wrong, today=TODAY).valid
    # MOD 11-2 catches every single-digit substitution in the first 17 digits.
    i = data.draw(st.integers(0, 16))
    digit = data.draw(st.sampled_from([c for c in string.digits if c != number[i]]))
    changed = number[:i] + digit + number[i + 1 :]
    assert "id.check_character" in codes(id_number=changed)


def test_bad_birth_date_and_future_birth() -> None:
    first17 = "11010519490231002"
    assert "id.birth_date" in codes(id_number=first17 + ric_check_char(first17))
    future = "11010520990101002"
    assert codes(id_number=future + ric_check_char(future)) == {"date.birth_in_future": "error"}


def test_format_errors() -> None:
    assert codes(id_number="1101051949123100") == {"format.length": "error"}
    assert codes(id_number="1101051949123100A2") == {"format.charset": "error"}
    assert codes(id_number="1101051949X2310022") == {"format.layout": "error"}


def test_fifteen_digit_numbers() -> None:
    assert convert_15_to_18("110105491231002") == "11010519491231002X"
    result = check_document(id_number="110105491231002", today=TODAY)
    assert result.valid and result.kind == "CN-RIC-15"
    assert result.fields["id_number_18"] == "11010519491231002X"
    assert (result.fields["birth_date"], result.fields["sex"]) == (date(1949, 12, 31), "F")
    # Sequences 996-999 went to centenarians: born in the 1800s.
    assert check_document(id_number="110105880101997", today=TODAY).fields["birth_date"] == date(1888, 1, 1)
    assert "id.birth_date" in codes(id_number="110105491331002")


def test_unknown_region_is_only_a_warning() -> None:
    first17 = "00010519491231002"
    result = check_document(id_number=first17 + ric_check_char(first17), today=TODAY)
    assert result.valid and {p.code: p.severity for p in result.problems} == {"id.region_unknown": "warning"}


def test_residence_permits_of_hk_macau_taiwan_residents() -> None:
    for region, holder in (("810000", "HK"), ("820000", "MO"), ("830000", "TW")):
        first17 = f"{region}19900101001"
        result = check_document(id_number=first17 + ric_check_char(first17), today=TODAY)
        assert (
            result.valid and result.kind == "CN-RESIDENCE-PERMIT" and result.fields["holder_region"] == holder
        )
    odd = "81010119900101001"
    assert codes(id_number=odd + ric_check_char(odd)) == {"id.region_unknown": "warning"}


def test_permanent_residence_cards() -> None:
    first17 = "93384019900101001"
    result = check_document(id_number=first17 + ric_check_char(first17), today=TODAY)
    assert result.valid and result.kind == "CN-PERMANENT-RESIDENCE" and result.problems == ()
    assert check_document(id_number="USA123456789012", today=TODAY).kind == "CN-PERMANENT-RESIDENCE-2017"


def test_id_card_validity_by_age() -> None:
    number = "11010519491231002X"  # born 1949-12-31
    ok = check_document(doc_type="id_card", number=number, issue_date=date(1990, 1, 5), expiry_date=date(2010, 1, 5), today=TODAY)  # fmt: skip
    assert ok.valid and [p.code for p in ok.problems] == ["date.expired"]  # 40 at issue: 20 years
    wrong = codes(
        doc_type="id_card", number=number, issue_date=date(1990, 1, 5), expiry_date=date(2000, 1, 5)
    )
    assert wrong == {"validity.period": "warning", "date.expired": "warning"}
    long_term = codes(
        doc_type="id_card", number=number, issue_date=date(2000, 1, 5), expiry_date=date(2020, 1, 5)
    )
    assert "validity.period" in long_term  # 50 at issue: long-term, no expiry


def test_parse_id_number_never_raises() -> None:
    for text in ["", "x", "１１０１０５", "11010519491231002X" * 2, "ABC"]:
        assert parse_id_number(text, today=TODAY).problems


# ---- passports -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "series"),
    [("G12345678", "G"), ("E12345678", "E"), ("EA1234567", "E-letter"), ("141234567", "14/15")],
)
def test_ordinary_passport_series(number: str, series: str) -> None:
    result = check_document(doc_type="passport_ordinary", number=number, today=TODAY)
    assert result.valid and result.kind == "CN-PASSPORT" and result.fields["series"] == series


def test_passport_number_formats() -> None:
    assert codes(doc_type="passport_ordinary", number="X1234") == {"format.layout": "error"}
    assert codes(doc_type="passport_ordinary", number="G1234-567") == {"format.layout": "error", "format.charset": "error"}  # fmt: skip
    # Official series are unverified: a number outside them only warns.
    assert codes(doc_type="passport_diplomatic", number="X1234") == {"series.implausible": "warning"}
    assert codes(doc_type="passport_diplomatic", number="DE1234567") == {}
    assert codes(doc_type="passport_service", number="SE1234567") == {}
    assert codes(doc_type="passport_official", number="PE1234567") == {}
    assert codes(doc_type="passport_diplomatic", number="E12345678") == {"series.implausible": "warning"}


def test_series_plausibility_against_dates() -> None:
    def series(number: str, issued: date) -> dict[str, str]:
        return codes(doc_type="passport_ordinary", number=number, issue_date=issued)

    assert series("EA1234567", date(2018, 1, 1)) == {}
    assert series("EA1234567", date(2016, 1, 1)) == {"series.implausible": "warning"}
    assert series("EI1234567", date(2018, 1, 1)) == {"series.implausible": "warning"}
    assert series("EO1234567", date(2018, 1, 1)) == {"series.implausible": "warning"}
    assert series("E12345678", date(2011, 6, 1)) == {"series.implausible": "warning"}
    assert series("G12345678", date(2013, 6, 1)) == {}
    assert series("G12345678", date(2016, 6, 1)) == {"series.implausible": "warning"}


def test_g_series_with_a_late_expiry_in_the_zone() -> None:
    def zone(expiry: date) -> str:
        return make_td3(surname="LI", given_names="LEI", document_number="G12345678", nationality="CHN", birth_date=date(1970, 1, 1), sex="M", expiry_date=expiry, document_code="PO")  # fmt: skip

    assert check_document(mrz=zone(date(2024, 12, 1)), today=TODAY).problems[0].code == "date.expired"
    late = check_document(mrz=zone(date(2027, 1, 1)), today=TODAY)
    assert late.valid and [p.code for p in late.problems] == ["series.implausible"]


def test_passport_validity_periods() -> None:
    birth = date(1980, 5, 5)
    adult = {
        "doc_type": "passport_ordinary",
        "number": "EA1234567",
        "birth_date": birth,
        "issue_date": date(2018, 3, 1),
    }
    assert codes(**adult, expiry_date=date(2028, 2, 29)) == {}  # 10 years less a day
    assert codes(**adult, expiry_date=date(2023, 3, 1)) == {
        "validity.period": "warning",
        "date.expired": "warning",
    }
    child = {**adult, "birth_date": date(2010, 1, 1)}
    assert codes(**child, expiry_date=date(2023, 3, 1)) == {"date.expired": "warning"}
    assert codes(**child, expiry_date=date(2028, 3, 1)) == {"validity.period": "warning"}
    # The holder's birth date may come from the ID number instead.
    assert codes(**{**adult, "birth_date": None}, id_number="11010520100101002X"[:17] + ric_check_char("11010520100101002"), expiry_date=date(2028, 3, 1)) == {"validity.period": "warning"}  # fmt: skip


def test_passport_validity_in_the_zone_with_an_issue_date() -> None:
    mrz = make_td3(surname="WANG", given_names="FANG", document_number="EB7654321", nationality="CHN", birth_date=date(1985, 6, 1), sex="F", expiry_date=date(2029, 7, 1), document_code="PO")  # fmt: skip
    assert check_document(mrz=mrz, issue_date=date(2019, 7, 2), today=TODAY).problems == ()
    assert [p.code for p in check_document(mrz=mrz, issue_date=date(2024, 7, 2), today=TODAY).problems] == ["validity.period"]  # fmt: skip


def test_hksar_and_msar_passports() -> None:
    assert check_document(doc_type="passport_ordinary", number="K12345678", issuer="HKG", today=TODAY).kind == "CN-PASSPORT-HKSAR"  # fmt: skip
    assert check_document(doc_type="passport_ordinary", number="MA1234567", issuer="MAC", today=TODAY).kind == "CN-PASSPORT-MSAR"  # fmt: skip
    assert codes(doc_type="passport_ordinary", number="E12345678", issuer="HKG") == {
        "series.implausible": "warning"
    }


def test_other_issuers_get_no_series_check() -> None:
    result = check_document(doc_type="passport_ordinary", number="123456789", issuer="USA", today=TODAY)
    assert result.valid and result.kind == "PASSPORT"
    assert codes(doc_type="passport_ordinary", number="1", issuer="QQQ") == {"code.unknown_state": "error"}


# ---- permits -------------------------------------------------------------------------


def test_exit_entry_permit_to_hk_macau() -> None:
    assert (
        check_document(doc_type="permit_hk_macau", number="C12345678", today=TODAY).kind == "CN-PERMIT-HKMO"
    )
    assert codes(doc_type="permit_hk_macau", number="CA1234567", issue_date=date(2019, 1, 1)) == {}
    assert codes(doc_type="permit_hk_macau", number="CA1234567", issue_date=date(2017, 1, 1)) == {"series.implausible": "warning"}  # fmt: skip
    assert codes(doc_type="permit_hk_macau", number="CI1234567") == {"series.implausible": "warning"}
    assert codes(doc_type="permit_hk_macau", number="CA0000000") == {"series.implausible": "warning"}
    assert codes(doc_type="permit_hk_macau", number="C12345678", issue_date=date(2013, 1, 1)) == {"series.implausible": "warning"}  # fmt: skip
    assert codes(doc_type="permit_hk_macau", number="W1234567") == {"format.layout": "error"}
    assert codes(doc_type="permit_hk_macau", number="W1234567", issue_date=date(2012, 1, 1)) == {"series.implausible": "warning"}  # fmt: skip


def test_permit_validity() -> None:
    base = {"doc_type": "permit_hk_macau", "number": "CA1234567", "issue_date": date(2020, 1, 1)}
    assert codes(**base, birth_date=date(1990, 1, 1), expiry_date=date(2029, 12, 31)) == {}
    assert codes(**base, birth_date=date(1990, 1, 1), expiry_date=date(2024, 12, 31)) == {"validity.period": "warning", "date.expired": "warning"}  # fmt: skip
    assert codes(**base, birth_date=date(2010, 1, 1), expiry_date=date(2024, 12, 31)) == {
        "date.expired": "warning"
    }


def test_cs_zone_series_and_validity() -> None:
    mrz = make_mrz("CN-PERMIT-HKMO", {"document_number": "CO1234567", "expiry_date": date(2030, 5, 1), "birth_date": date(1990, 1, 2)})  # fmt: skip
    assert [p.code for p in check_document(mrz=mrz, today=TODAY).problems] == ["series.implausible"]


def test_taiwan_permit_and_mainland_travel_permits() -> None:
    tw = check_document(doc_type="permit_taiwan", number="T12345678", issue_date=date(2020, 1, 1), expiry_date=date(2025, 1, 1), birth_date=date(1980, 1, 1), today=TODAY)  # fmt: skip
    assert tw.kind == "CN-PERMIT-TW" and {p.code: p.severity for p in tw.problems} == {"validity.period": "warning", "date.expired": "warning"}  # fmt: skip
    home = check_document(doc_type="travel_permit_hk_macau", number="H1234567801", today=TODAY)
    assert home.valid and home.kind == "CN-TRAVEL-HKMO" and home.fields["person_number"] == "H12345678"
    assert check_document(doc_type="travel_permit_hk_macau", number="HA1234567", today=TODAY).valid
    assert codes(doc_type="permit_hk_macau", number="M12345678") == {"series.implausible": "warning"}
    minor = codes(doc_type="travel_permit_hk_macau", number="M1234567802", birth_date=date(2012, 1, 1), issue_date=date(2020, 1, 1), expiry_date=date(2023, 1, 1) - timedelta(days=1))  # fmt: skip
    assert minor == {"date.expired": "warning"}  # under 18: 3 years
    assert (
        check_document(doc_type="travel_permit_taiwan", number="12345678", today=TODAY).kind == "CN-TRAVEL-TW"
    )
    assert codes(doc_type="travel_permit_taiwan", number="1234567") == {"format.layout": "error"}


def test_unknown_document_type_is_a_usage_error() -> None:
    with pytest.raises(ValueError):
        check_document(doc_type="visa", number="1", today=TODAY)
    with pytest.raises(ValueError):
        check_document(today=TODAY)
