"""The documents import: all or nothing, idempotent, verdicts stored, scoped for registrars.

The ``world`` registry: ROOT → A → A1, ROOT → B; officials OA-1 (A, ZHANG WEI, 1970-05-01, M),
OA1-1 (A1, SHAN XIAOMING, 1980-01-02, M), OB-1 (B, CHEN JING, F).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sojourn.alerts.evaluation import evaluate_rules
from sojourn.alerts.models import Finding
from sojourn.audit.models import AuditEvent
from sojourn.core.documents import make_td3
from sojourn.custody.importing import import_documents_file
from sojourn.custody.models import CustodyEvent, TravelDocument
from sojourn.registry.services import ImportReport, import_uploaded
from tests.helpers import run_import

HEADER = "official_id,doc_type,issuer,number,issue_date,expiry_date,mrz,status,custody\n"
AS_OF = date(2026, 6, 30)


def zone(surname: str, given: str, number: str, birth: date, sex: str, expiry: date) -> str:
    text = make_td3(document_code="PO", issuer="CHN", surname=surname, given_names=given, document_number=number,
                    nationality="CHN", birth_date=birth, sex=sex, expiry_date=expiry)  # fmt: skip
    return text.replace("\n", "|")


OA_ZONE = zone("ZHANG", "WEI", "EC1234567", date(1970, 5, 1), "M", date(2034, 5, 1))
OA1_ZONE = zone("SHAN", "XIAOMING", "EB1234567", date(1980, 1, 2), "M", date(2034, 1, 9))
GOOD = HEADER + (
    f"OA-1,passport_ordinary,CHN,EC1234567,2024-05-02,2034-05-01,{OA_ZONE},valid,in_custody\n"
    "OA-1,permit_hk_macau,CHN,CB1234567,2024-05-02,2034-05-01,,valid,checked_out\n"
    f"OA1-1,passport_ordinary,CHN,EB1234567,2024-01-10,2034-01-09,{OA1_ZONE},valid,in_custody\n"
)


def load(tmp_path: Path, content: str, name: str = "documents.csv", **kwargs: Any) -> ImportReport:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return import_documents_file(path=path, actor="tester", **kwargs)


def summary(report: ImportReport) -> tuple[int, int, int, int]:
    assert report.ok, [str(e) for e in report.errors]
    return report.rows, report.created, report.updated, report.unchanged


def imports() -> int:
    return AuditEvent.objects.filter(action="import", object_type="import:documents").count()


@pytest.mark.django_db
def test_import_stores_documents_with_their_verdicts_and_reimport_is_a_no_op(world, tmp_path):
    assert summary(load(tmp_path, GOOD)) == (3, 3, 0, 0)
    passport = TravelDocument.objects.get(number="EC1234567")
    assert passport.holder.official_id == "OA-1" and passport.mrz == OA_ZONE.replace("|", "\n")
    assert passport.check_result["valid"] and passport.check_result["kind"] == "TD3"
    assert passport.check_result["problems"] == []
    permit = TravelDocument.objects.get(number="CB1234567")
    assert (permit.check_result["kind"], permit.custody) == ("CN-PERMIT-HKMO", "checked_out")
    assert imports() == 1
    event = AuditEvent.objects.get(object_type="import:documents")
    assert event.detail["created"] == 3 and len(event.detail["sha256"]) == 64
    assert not CustodyEvent.objects.exists()  # a custody state in a file invents no history

    stored = list(TravelDocument.objects.order_by("pk").values())
    assert summary(load(tmp_path, GOOD)) == (3, 0, 0, 3)
    assert list(TravelDocument.objects.order_by("pk").values()) == stored
    assert imports() == 2  # one audit row per import, also for a no-op


@pytest.mark.django_db
def test_changed_dates_are_rechecked_and_a_custody_change_keeps_the_verdict(world, tmp_path):
    summary(load(tmp_path, GOOD))
    changed = GOOD.replace(
        "2024-05-02,2034-05-01,,valid,checked_out", "2024-05-02,2036-05-01,,valid,in_custody"
    )
    changed = changed.replace(f"{OA1_ZONE},valid,in_custody", f"{OA1_ZONE},valid,checked_out")
    assert summary(load(tmp_path, changed)) == (3, 0, 2, 1)
    permit = TravelDocument.objects.get(number="CB1234567")
    assert permit.custody == "in_custody" and permit.expiry_date == date(2036, 5, 1)
    assert [p["code"] for p in permit.check_result["problems"]] == ["validity.period"]
    passport = TravelDocument.objects.get(number="EB1234567")
    assert passport.custody == "checked_out" and passport.check_result["valid"]


@pytest.mark.django_db
def test_forged_zone_and_conflicting_birth_date_are_stored_as_the_validator_says(world, tmp_path):
    forged = OA_ZONE[:54] + str((int(OA_ZONE[54]) + 1) % 10) + OA_ZONE[55:]  # line 2, number check digit
    other_birth = zone("SHAN", "XIAOMING", "EB1234567", date(1981, 1, 2), "M", date(2034, 1, 9))
    content = GOOD.replace(OA_ZONE, forged).replace(OA1_ZONE, other_birth)
    summary(load(tmp_path, content))
    codes = {d.number: [p["code"] for p in d.check_result["problems"]] for d in TravelDocument.objects.all()}
    assert codes["EC1234567"] == ["check_digit.document_number", "check_digit.composite"]
    assert codes["EB1234567"] == ["cross.birth_date_mismatch"]
    assert codes["CB1234567"] == []


@pytest.mark.django_db
def test_bad_rows_are_reported_by_file_row_column_value_and_reason_and_nothing_is_written(world, tmp_path):
    bad = HEADER + (
        f"OA-1,passport_ordinary,CHN,EC1234567,2024-05-02,2034-05-01,{OA_ZONE},valid,in_custody\n"
        "OA-1,passport_pink,CHN,E1,2018-05-02,,,valid,in_custody\n"
        "OA-1,permit_hk_macau,China,CB1234567,2019-05-02,2029-05-01,,valid,in_custody\n"
        "OA-1,permit_hk_macau,CHN,CA-12,2019-02-30,,,valid,in_custody\n"
        "NOBODY,permit_hk_macau,CHN,CA7654321,,,,valid,handed_in\n"
        "OA-1,passport_ordinary,CHN,ec1234567,,,,lost,not_held\n"
    )
    report = load(tmp_path, bad, name="docs.csv")
    assert [str(e) for e in report.errors] == [
        "docs.csv row 3, doc_type 'passport_pink': not one of passport_ordinary, passport_official, "
        "passport_service, passport_diplomatic, permit_hk_macau, permit_taiwan, id_card",
        "docs.csv row 4, issuer 'China': not an ISO 3166-1 alpha-3 country code (three capital letters, e.g. CHN)",
        "docs.csv row 5, number 'CA-12': not a document number (letters A-Z and digits only)",
        "docs.csv row 5, issue_date '2019-02-30': not a date",
        "docs.csv row 6, custody 'handed_in': not one of in_custody, checked_out, not_handed_in, not_held",
        "docs.csv row 7, official_id+doc_type+issuer+number 'OA-1, passport_ordinary, CHN, EC1234567': "
        "duplicate of row 2",
    ]
    error = report.errors[0]
    assert (error.file, error.row, error.column, error.value) == ("docs.csv", 3, "doc_type", "passport_pink")
    assert report.summary() == "docs.csv: 6 problems in 6 rows; nothing was written."
    assert not TravelDocument.objects.exists() and imports() == 0

    unknown = load(tmp_path, HEADER + "NOBODY,permit_hk_macau,CHN,CA7654321,,,,valid,not_held\n")
    assert [str(e) for e in unknown.errors] == [
        "documents.csv row 2, official_id 'NOBODY': no such official in the registry (import officials first)"
    ]
    columns = load(tmp_path, "official_id,doc_type,number,colour,custody\nOA-1,id_card,1,red,not_held\n")
    assert [str(e) for e in columns.errors] == [
        "documents.csv row 1, colour: unknown column (documents columns: official_id, doc_type, issuer, number, "
        "issue_date, expiry_date, mrz, status, custody)",
        "documents.csv row 1, issuer: required column is missing",
    ]
    assert not TravelDocument.objects.exists() and imports() == 0


@pytest.mark.django_db
def test_registrar_of_another_unit_is_refused_and_own_unit_is_allowed(world, tmp_path):
    from sojourn.accounts.scope import unit_scope

    outsider = unit_scope(world.users["outsider"])
    report = load(tmp_path, GOOD, scope=outsider)
    assert [str(e) for e in report.errors] == [
        "documents.csv row 2, official_id 'OA-1': official OA-1 is outside your scope",
        "documents.csv row 3, official_id 'OA-1': official OA-1 is outside your scope",
        "documents.csv row 4, official_id 'OA1-1': official OA1-1 is outside your scope",
    ]
    upload = SimpleUploadedFile("mine.csv", GOOD.encode())
    refused = import_uploaded(kind="documents", upload=upload, actor=world.users["outsider"])
    assert len(refused.errors) == 3 and not TravelDocument.objects.exists()
    upload = SimpleUploadedFile("mine.csv", GOOD.encode())
    assert summary(import_uploaded(kind="documents", upload=upload, actor=world.users["registrar_a"])) == (
        3,
        3,
        0,
        0,
    )
    assert AuditEvent.objects.get(object_type="import:documents").actor == "registrar_a"


@pytest.mark.django_db
def test_import_page_offers_documents(world):
    client = world.client("outsider")
    upload = SimpleUploadedFile("documents.csv", GOOD.encode())
    response = client.post("/registry/import/", {"kind": "documents", "file": upload})
    assert response.status_code == 200
    assert "official OA-1 is outside your scope" in response.content.decode()
    assert not TravelDocument.objects.exists()



@pytest.mark.django_db
def test_command_imports_documents(world, tmp_path):
    path = tmp_path / "documents.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert run_import("documents", str(path), "--dry-run") == (
        0,
        "documents.csv: 3 rows are valid; would be 3 created, 0 updated, 0 unchanged (dry run, nothing was written).\n",
    )
    assert not TravelDocument.objects.exists()
    assert run_import("documents", str(path)) == (
        0,
        "documents.csv: 3 rows imported: 3 created, 0 updated, 0 unchanged.\n",
    )
    assert TravelDocument.objects.count() == 3
    path.write_text(GOOD.replace("in_custody\n", "kept\n", 1), encoding="utf-8")
    code, err = run_import("documents", str(path))
    assert code == 1 and err.startswith("documents.csv row 2, custody 'kept': not one of")


@pytest.mark.django_db
def test_imported_custody_states_under_the_rules(world, tmp_path):
    """In custody without an intake event is fine; checked out with no trip is a breach; not handed in is late."""
    content = GOOD + "OB-1,permit_hk_macau,CHN,CB7654321,2019-05-02,2029-05-01,,valid,not_handed_in\n"
    summary(load(tmp_path, content))
    evaluate_rules(as_of=AS_OF, actor="tester")
    found = sorted(Finding.objects.filter(code__startswith="custody.").values_list("code", "subject_id"))
    assert found == [("custody.breach", "OA-1"), ("custody.intake_overdue", "OB-1")]
