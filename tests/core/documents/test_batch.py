"""The vectorised validator gives, row by row, the verdict of the scalar one."""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import date

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sojourn.core.documents import check_document, make_mrz
from sojourn.core.documents.batch import validate_mrz_batch
from sojourn.core.documents.mrz import LAYOUTS

from . import test_mrz_vectors as vectors
from .strategies import TODAY, Zone, replace, zones

COLUMNS = ("valid", "kind", "document_code", "document_number", "issuer", "nationality", "birth_date", "sex", "expiry_date", "surname", "given_names", "problems")  # fmt: skip


def scalar_row(text: str | None, *, allow_specimen: bool = False, today: date = TODAY) -> dict[str, object]:
    result = check_document(mrz=text or "", today=today, allow_specimen=allow_specimen)
    row: dict[str, object] = {key: result.fields.get(key) for key in COLUMNS[2:-1]}
    if not isinstance(row["birth_date"], date):
        row["birth_date"] = None  # partial dates are null in the batch
    codes = list(dict.fromkeys(p.code for p in result.problems))
    return {"valid": result.valid, "kind": result.kind, **row, "problems": ";".join(codes)}


def assert_agree(texts: Sequence[str | None], *, allow_specimen: bool = False, today: date = TODAY) -> None:
    table = validate_mrz_batch(texts, today=today, allow_specimen=allow_specimen)
    assert list(table.column_names) == list(COLUMNS)
    assert table.schema.field("birth_date").type == pa.date32()
    for text, row in zip(texts, table.to_pylist(), strict=True):
        expected = scalar_row(text, allow_specimen=allow_specimen, today=today)
        got = {key: row[key] for key in COLUMNS}
        if text is not None and not text.isascii():  # the batch shows non-ASCII characters as `?`
            expected = {k: expected[k] for k in ("valid", "kind", "problems")}
            got = {k: got[k] for k in ("valid", "kind", "problems")}
        assert got == expected, text


SPEC_VECTORS = [
    vectors.TD3_UTOPIA, vectors.TD1_UTOPIA, vectors.TD2_UTOPIA, vectors.TD1_LONG, vectors.MRV_A,
    vectors.MRV_B, vectors.GERMANY, vectors.NLD_PYMRTD,
]  # fmt: skip


@pytest.mark.parametrize("allow_specimen", [False, True])
def test_spec_vectors(allow_specimen: bool) -> None:
    texts: list[str | None] = [
        *SPEC_VECTORS,
        *(v.replace("\n", "|") for v in SPEC_VECTORS),
        None,
        "",
        "  |  ",
    ]
    assert_agree(texts, allow_specimen=allow_specimen)
    table = validate_mrz_batch(SPEC_VECTORS, today=TODAY, allow_specimen=True)
    assert table.column("valid").to_pylist() == [True] * 7 + [False]
    assert table.column("document_number").to_pylist()[3] == "D23145890734"


def test_negative_vectors() -> None:
    texts: list[str | None] = [mrz for mrz, _ in vectors.NEGATIVE_CASES]
    assert_agree(texts, allow_specimen=True)
    assert not any(validate_mrz_batch(texts, today=TODAY, allow_specimen=True).column("valid").to_pylist())


def test_input_types_and_order() -> None:
    texts = [vectors.GERMANY, None, vectors.TD2_UTOPIA, "junk"]
    expected = validate_mrz_batch(texts, today=TODAY).to_pylist()
    as_numpy = np.array(texts, dtype=object)
    chunked = pa.chunked_array([pa.array(texts[:2]), pa.array(texts[2:])])
    for data in (
        as_numpy,
        pa.array(texts),
        pa.array(texts, pa.large_string()),
        chunked,
        pa.array(texts)[0:4],
    ):
        assert validate_mrz_batch(data, today=TODAY).to_pylist() == expected
    assert validate_mrz_batch(np.array([vectors.GERMANY]), today=TODAY).column("valid").to_pylist() == [True]
    assert validate_mrz_batch([], today=TODAY).num_rows == 0


def test_a_homogeneous_feed_read_as_a_view() -> None:
    germany, long_number = vectors.GERMANY.replace("\n", "|"), vectors.TD1_LONG.replace("\n", "|")
    assert_agree([germany] * 50 + [long_number] * 50)


def test_partial_and_odd_dates() -> None:
    base = vectors.GERMANY
    line1, line2 = base.split("\n")
    texts: list[str | None] = [f"{line1}\n{line2[:13]}{raw}{line2[19:]}" for raw in ("64<<<<", "6408<<", "640800", "<<<<<<", "64<<12", "641312", "640230", "6A0812", "000229")]  # fmt: skip
    texts += [
        f"{line1}\n{line2[:21]}{raw}{line2[27:]}"
        for raw in ("270229", "280229", "991231", "000000", "27AB28")
    ]
    assert_agree(texts)
    assert_agree(texts, today=date(1999, 6, 1))


CORRUPTION_CHARS = string.ascii_uppercase + string.digits + "<" + "a?|\n É"


@st.composite
def feed_rows(draw: st.DrawFn) -> str:
    """Mostly zones, some corrupted, some reformatted, some cut short; now and then junk."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=40))
    zone: Zone = draw(zones())
    text = zone.text
    layout = LAYOUTS[zone.kind]
    if layout.sex is not None and draw(st.integers(0, 3)) == 0:
        text = replace(text, layout.sex.line, layout.sex.start, draw(st.sampled_from("XQ<1")))
    if layout.issuer is not None and draw(st.integers(0, 5)) == 0:
        for i, char in enumerate(draw(st.sampled_from(["UTO", "CHN", "D<<", "ZZZ"]))):
            text = replace(text, layout.issuer.line, layout.issuer.start + i, char)
    for _ in range(draw(st.integers(0, 2))):
        lines = text.split("\n")
        line = draw(st.integers(0, len(lines) - 1))
        col = draw(st.integers(0, max(len(lines[line]) - 1, 0)))
        char = draw(st.sampled_from(CORRUPTION_CHARS))
        text = replace(text, line, col, char) if lines[line] else text
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(["|", " | ", "\r\n", "\n\n"])))
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.lists(feed_rows(), min_size=1, max_size=25), st.booleans())
def test_batch_agrees_with_the_scalar_validator(texts: list[str], allow_specimen: bool) -> None:
    assert_agree(list(texts), allow_specimen=allow_specimen)


def test_chinese_number_series_agree() -> None:
    numbers = ["G12345678", "E12345678", "EA1234567", "EI1234567", "141234567", "K12345678", "MA1234567", "DE1234567", "SE1234567", "PE1234567", "D1234567", "D12345678", "S1234567", "P1234567", "P12345678", "X12345678", "G1234567", ""]  # fmt: skip
    texts: list[str | None] = []
    for number in numbers:
        for expiry in (date(2024, 12, 1), date(2027, 1, 1)):
            fields = {"document_code": "PO", "issuer": "CHN", "nationality": "CHN", "surname": "LI", "given_names": "LEI", "document_number": number, "birth_date": date(1970, 1, 1), "sex": "M", "expiry_date": expiry}  # fmt: skip
            texts.append(make_mrz("TD3", fields))
    for number in ["C12345678", "CA1234567", "CI1234567", "CO1234567", "CA0000000", "CA0000001", "X12345678", "C1234567"]:  # fmt: skip
        texts.append(make_mrz("CN-PERMIT-HKMO", {"document_number": number, "birth_date": date(1990, 1, 1), "expiry_date": date(2030, 1, 1)}))  # fmt: skip
    assert_agree(texts)
    flagged = [row["problems"] for row in validate_mrz_batch(texts, today=TODAY).to_pylist()]
    assert sum("series.implausible" in codes for codes in flagged) >= 12
