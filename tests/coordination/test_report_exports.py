"""Issue #16: report exports that open right in Excel with Belgian settings (CSV: `;`, UTF-8 with BOM, decimal comma,
translated headers) and as XLSX (openpyxl); months in words in the reader's language."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from burenhulp.core.models import Neighbourhood
from burenhulp.helprequests.models import HelpRequest
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

OCTOBER = datetime(2026, 10, 14, 12, tzinfo=ZoneInfo("Europe/Brussels"))
PERIOD = "?from=2026-10-01&to=2026-10-31"


@pytest.fixture
def october(buurt: Neighbourhood) -> None:
    requester = ResidentFactory(buurt=buurt)
    for cat, status in (("boodschappen", "done"), ("boodschappen", "expired"), ("hond", "matched")):
        HelpRequest.objects.create(
            buurt=buurt, requester=requester, category=cat, description="x", status=status, created_at=OCTOBER
        )


@pytest.mark.parametrize(
    ("lang", "header", "month", "share"),
    [
        ("nl", "Waarde", "oktober 2026", "0,6667"),
        ("fr", "Valeur", "octobre 2026", "0,6667"),
        ("en", "Value", "October 2026", "0,6667"),
    ],
)
def test_csv_for_belgian_excel(
    coordinator_web: Client, october: None, lang: str, header: str, month: str, share: str
) -> None:
    response = coordinator_web.get(f"/coordinator/reports.csv{PERIOD}", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel then reads é, ë, ç right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][3] == header and all(len(r) == 4 for r in rows)
    assert any(r[1] == month for r in rows), rows
    assert "2026-10" not in raw.decode("utf-8-sig").split("\r\n", 1)[1].replace("2026-10-01", "").replace(
        "2026-10-31", ""
    )
    assert any(r[3] == share for r in rows)  # decimal comma, no decimal point anywhere in the values
    assert not any("." in r[3] for r in rows[1:])


def test_xlsx_export_keeps_numbers_as_numbers(coordinator_web: Client, october: None) -> None:
    response = coordinator_web.get(f"/coordinator/reports.xlsx{PERIOD}", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Overzicht", "Omschrijving", "Reeks", "Waarde")
    assert any(r[1] == "oktober 2026" for r in rows)
    share = [r[3] for r in rows if r[1] == "Deel met een buur"]
    assert share == [pytest.approx(0.6667, abs=1e-4)] and isinstance(share[0], float)


def test_reports_page_shows_months_in_words(coordinator_web: Client, october: None) -> None:
    html = coordinator_web.get(f"/coordinator/reports/{PERIOD}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "oktober 2026" in html
    assert "reports.xlsx" in html


def test_bad_period_answers_400_for_both_exports(coordinator_web: Client) -> None:
    for path in ("/coordinator/reports.csv", "/coordinator/reports.xlsx"):
        assert coordinator_web.get(f"{path}?from=9999-12-31&to=0001-01-01").status_code == 400
