"""The public specimen vectors of specs/documents.md §1.4, and the field rules of §1.3."""

from __future__ import annotations

from datetime import date

import pytest

from sojourn.core.documents import DocumentCheck, check_document, make_mrz, make_td3, parse_mrz
from sojourn.core.documents.codes import PartialDate
from sojourn.core.documents.mrz import check_digit, split_lines

TODAY = date(2026, 3, 1)

TD3_UTOPIA = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1_UTOPIA = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
TD2_UTOPIA = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
TD1_LONG = "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<"
MRV_A = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<"
MRV_B = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<"
GERMANY = "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\nC01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"
NLD_PYMRTD = "I<NLDXI85935F86999999990<<<<<<\n7208148F1108268NLD<<<<<<<<<<<4\nVAN<DER<STEEN<<MARIANNE<LOUISE"


def check(mrz: str) -> DocumentCheck:
    return check_document(mrz=mrz, today=TODAY, allow_specimen=True)


def codes(mrz: str, *, allow_specimen: bool = False) -> set[str]:
    result = check_document(mrz=mrz, today=TODAY, allow_specimen=allow_specimen)
    return {p.code for p in result.problems}


def test_worked_examples_of_the_check_digit() -> None:
    assert check_digit("740812") == 2
    assert check_digit("L898902C3") == 6
    # The scheme cannot tell C, M and W apart (values 12, 22, 32).
    assert check_digit("L898902M3") == check_digit("L898902W3") == 6


def test_td3_utopia() -> None:
    result = check(TD3_UTOPIA)
    assert result.valid and result.kind == "TD3"
    f = result.fields
    assert (f["surname"], f["given_names"], f["document_number"]) == ("ERIKSSON", "ANNA MARIA", "L898902C3")
    assert (f["issuer"], f["nationality"], f["sex"]) == ("UTO", "UTO", "F")
    assert (f["birth_date"], f["expiry_date"]) == (date(1974, 8, 12), date(2012, 4, 15))
    assert f["optional_data"] == "ZE184226B"
    assert {p.code: p.severity for p in result.problems} == {
        "date.expired": "warning",
        "code.specimen": "warning",
    }


@pytest.mark.parametrize("mrz", [TD1_UTOPIA, TD2_UTOPIA])
def test_td1_and_td2_utopia(mrz: str) -> None:
    result = check(mrz)
    assert result.valid and result.kind == ("TD1" if mrz.count("\n") == 2 else "TD2")
    assert result.fields["document_number"] == "D23145890"
    assert result.fields["birth_date"] == date(1974, 8, 12)
    assert result.fields["surname"] == "ERIKSSON"


def test_td1_long_document_number() -> None:
    result = check(TD1_LONG)
    assert result.valid
    assert result.fields["document_number"] == "D23145890734"
    assert result.fields["optional_data"] is None
    # Century inference: 1934 (2034 is in the future), expiry 1995 (2095 is > 50 years ahead).
    assert (result.fields["birth_date"], result.fields["expiry_date"]) == (
        date(1934, 7, 12),
        date(1995, 7, 12),
    )


def test_td2_long_document_number_of_part_11() -> None:
    # Part 11 App. D.2: `D23145890<UTO…7349<<<8`: number D23145890734, check digit 9.
    mrz = make_mrz("TD2", {"issuer": "UTO", "surname": "ERIKSSON", "given_names": "ANNA MARIA", "document_number": "D23145890734", "nationality": "UTO", "birth_date": date(1974, 8, 12), "sex": "F", "expiry_date": date(2012, 4, 15)})  # fmt: skip
    line2 = mrz.split("\n")[1]
    assert line2.startswith("D23145890<UTO") and line2[28:33] == "7349<"
    assert check(mrz).fields["document_number"] == "D23145890734"


def test_long_number_with_a_wrong_check_digit() -> None:
    bad = TD1_LONG.replace("7349<", "7348<")
    assert {"check_digit.document_number", "check_digit.composite"} <= codes(bad, allow_specimen=True)


def test_long_number_slot_without_continuation() -> None:
    bad = "I<UTOD23145890<<<<<<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<"
    assert "check_digit.document_number" in codes(bad, allow_specimen=True)


@pytest.mark.parametrize("mrz", [MRV_A, MRV_B])
def test_visas(mrz: str) -> None:
    result = check(mrz)
    assert result.valid and result.kind == ("MRV-A" if len(mrz) > 80 else "MRV-B")
    f = result.fields
    assert (f["document_number"], f["nationality"]) == ("L8988901C", "XXX")
    assert (f["birth_date"], f["expiry_date"]) == (date(1940, 9, 7), date(1996, 12, 10))
    assert f["optional_data"] == ("6ZE184226B" if result.kind == "MRV-A" else None)


def test_germany_d_and_empty_personal_number_with_filler_check_digit() -> None:
    result = check_document(mrz=GERMANY, today=TODAY)
    assert result.valid and result.problems == ()
    f = result.fields
    assert (f["issuer"], f["issuer_iso"], f["nationality"], f["nationality_iso"]) == ("D", "DEU", "D", "DEU")
    assert (f["document_number"], f["birth_date"], f["expiry_date"]) == ("C01X00T47", date(1964, 8, 12), date(2027, 2, 28))  # fmt: skip


def test_empty_personal_number_check_digit_may_be_zero() -> None:
    zero = GERMANY.replace("<<<<<<<<<<<<<<<4", "<<<<<<<<<<<<<<04")
    assert check_document(mrz=zero, today=TODAY).valid


def test_nld_transcription_with_a_wrong_composite() -> None:
    result = check_document(mrz=NLD_PYMRTD, today=TODAY)
    assert not result.valid
    assert "check_digit.composite" in {p.code for p in result.problems}
    assert result.fields["surname"] == "VAN DER STEEN" and result.fields["name_truncated"] is True


def test_specimen_state_is_an_error_outside_specimen_mode() -> None:
    result = check_document(mrz=TD3_UTOPIA, today=TODAY)
    assert not result.valid
    assert [p.severity for p in result.problems if p.code == "code.specimen"] == ["error"]


def test_lines_may_be_separated_by_bars_newlines_and_blanks() -> None:
    assert check(TD3_UTOPIA.replace("\n", "|")).valid
    assert check("  " + TD3_UTOPIA.replace("\n", " \r\n") + "\n").valid
    assert split_lines("A|\n|B") == ["A", "B"]


def test_chinese_passport_with_a_fully_filled_second_line() -> None:
    mrz = make_td3(surname="ZHANG", given_names="SAN", document_number="E12345678", nationality="CHN", birth_date=date(1980, 1, 2), sex="M", expiry_date=date(2030, 5, 6), document_code="PO", optional_data="LCOCKHEJNEMKA0")  # fmt: skip
    assert "<" not in mrz.split("\n")[1]
    result = check_document(mrz=mrz, today=TODAY)
    assert result.valid and result.problems == () and result.fields["document_code"] == "PO"


def test_sex_unspecified_and_x() -> None:
    unspecified = GERMANY.replace("6408125F", "6408125<")
    assert check_document(mrz=unspecified, today=TODAY).fields["sex"] is None
    assert check_document(mrz=unspecified, today=TODAY).valid
    x = check_document(mrz=GERMANY.replace("6408125F", "6408125X"), today=TODAY)
    assert x.valid and x.fields["sex"] == "X"
    assert [(p.code, p.severity) for p in x.problems] == [("sex.nonstandard", "warning")]
    assert "sex.invalid" in codes(GERMANY.replace("6408125F", "6408125Q"))


def test_primary_identifier_may_be_empty() -> None:
    mrz = make_td3(surname="", given_names="FIRST NAME", document_number="X1", nationality="IND", birth_date=date(1990, 1, 1), sex="M", expiry_date=date(2030, 1, 1))  # fmt: skip
    assert mrz.startswith("P<IND<<FIRST<NAME")
    fields = check_document(mrz=mrz, today=TODAY).fields
    assert (fields["surname"], fields["given_names"]) == (None, "FIRST NAME")


def test_truncated_names_are_marked() -> None:
    mrz = make_td3(surname="WOLFESCHLEGELSTEINHAUSENBERGERDORFF", given_names="HUBERT BLAINE", document_number="X1", nationality="USA", birth_date=date(1990, 1, 1), sex="M", expiry_date=date(2030, 1, 1))  # fmt: skip
    fields = check_document(mrz=mrz, today=TODAY).fields
    assert fields["name_truncated"] is True and fields["given_names"] == "HU"


def test_partial_birth_dates_never_crash() -> None:
    def birth(raw: str) -> object:
        mrz = make_td3(surname="A", given_names="B", document_number="X1", nationality="CAN", birth_date=raw, sex="F", expiry_date=date(2030, 1, 1))  # fmt: skip
        result = check_document(mrz=mrz, today=TODAY)
        return result.fields["birth_date"] if result.valid else "invalid"

    assert birth("74<<<<") == PartialDate(1974)
    assert birth("7400<<") == PartialDate(1974)
    assert birth("740800") == PartialDate(1974, 8)
    assert birth("<<<<<<") is None
    assert birth("74<<12") == "invalid"
    assert birth("741312") == "invalid"
    assert birth("740230") == "invalid"
    assert birth("7A0812") == "invalid"


def test_century_inference() -> None:
    mrz = make_td3(surname="A", given_names="B", document_number="X1", nationality="CAN", birth_date="250101", sex="F", expiry_date="200101")  # fmt: skip
    fields = check_document(mrz=mrz, today=TODAY).fields
    # 2025 would be after the expiry in 2020, so the holder was born in 1925.
    assert (fields["birth_date"], fields["expiry_date"]) == (date(1925, 1, 1), date(2020, 1, 1))
    far = make_td3(surname="A", given_names="B", document_number="X1", nationality="CAN", birth_date="900101", sex="F", expiry_date="990101")  # fmt: skip
    assert check_document(mrz=far, today=TODAY).fields["expiry_date"] == date(1999, 1, 1)


def test_invalid_expiry_date() -> None:
    bad = GERMANY.replace("2702283", "2702303")
    assert {"date.invalid", "check_digit.expiry_date"} <= codes(bad)


NEGATIVE_CASES = [
    (TD3_UTOPIA.replace("\n", "\n\n") + "<", "format.length"),
    (TD3_UTOPIA[:-1], "format.length"),
    ("", "format.length"),
    ("P<UTO", "format.length"),
    (GERMANY.replace("MUSTERMANN", "MUSTERMANn"), "format.charset"),
    (GERMANY.replace("MUSTERMANN", "MUSTERMAN1"), "format.charset"),
    (GERMANY.replace("P<D<<", "X<D<<"), "format.layout"),
    (TD2_UTOPIA.replace("I<UTO", "IVUTO"), "format.layout"),
    (TD2_UTOPIA.replace("I<UTO", "B<UTO"), "format.layout"),
    (GERMANY.replace("P<D<<", "P<DE<"), "code.unknown_state"),
    (GERMANY.replace("478D<<", "478QQQ"), "code.unknown_state"),
    (GERMANY.replace("C01X00T478", "C01X00T479"), "check_digit.document_number"),
    (GERMANY.replace("6408125", "6408126"), "check_digit.birth_date"),
    (GERMANY.replace("2702283", "2702284"), "check_digit.expiry_date"),
    (TD3_UTOPIA.replace("B<<<<<10", "B<<<<<20"), "check_digit.personal_number"),
    (GERMANY[:-1] + "5", "check_digit.composite"),
]


@pytest.mark.parametrize(("mrz", "code"), NEGATIVE_CASES)
def test_negative_cases(mrz: str, code: str) -> None:
    result = check_document(mrz=mrz, today=TODAY, allow_specimen=True)
    assert code in {p.code for p in result.problems}
    assert not result.valid
    assert all(p.message for p in result.problems)


def test_unrecognised_shape_has_kind_mrz() -> None:
    result = check_document(mrz="P<UTO|L898", today=TODAY)
    assert (result.kind, result.fields, [p.code for p in result.problems]) == ("MRZ", {}, ["format.length"])


def test_cs_permit_card_zone() -> None:
    mrz = make_mrz("CN-PERMIT-HKMO", {"document_number": "CA1234567", "expiry_date": date(2030, 5, 1), "birth_date": date(1990, 1, 2)})  # fmt: skip
    assert len(mrz) == 30 and mrz.startswith("CSCA1234567") and mrz[12] == mrz[20] == mrz[28] == "<"
    result = check_document(mrz=mrz, today=TODAY)
    assert result.valid and result.kind == "CN-PERMIT-HKMO" and result.problems == ()
    assert (result.fields["birth_date"], result.fields["expiry_date"]) == (date(1990, 1, 2), date(2030, 5, 1))


def test_cs_layout_is_unverified_so_its_check_digits_only_warn() -> None:
    mrz = make_mrz("CN-PERMIT-HKMO", {"document_number": "C12345678", "expiry_date": date(2030, 5, 1), "birth_date": date(1990, 1, 2)})  # fmt: skip
    bad = mrz[:11] + str((int(mrz[11]) + 1) % 10) + mrz[12:]
    result = check_document(mrz=bad, today=TODAY)
    assert result.valid
    assert {p.code: p.severity for p in result.problems} == {"check_digit.document_number": "warning", "check_digit.composite": "warning"}  # fmt: skip
    assert not check_document(mrz=mrz.replace("C1", "c1"), today=TODAY).valid  # charset stays an error


def test_parse_mrz_is_the_zone_part_of_check_document() -> None:
    parsed = parse_mrz(GERMANY, today=TODAY)
    assert parsed.kind == "TD3" and parsed.fields == check_document(mrz=GERMANY, today=TODAY).fields
