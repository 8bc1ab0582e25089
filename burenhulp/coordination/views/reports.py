"""The reports page and its CSV export (fiche L)."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from burenhulp.coordination import charts, reports
from burenhulp.coordination.views.shell import render_page
from burenhulp.core.gates import CoordinatorRequest, coordinator_required


def _report(request: CoordinatorRequest) -> tuple[reports.Report | None, str]:
    try:
        start, end = reports.period_from(request.GET.get("from") or None, request.GET.get("to") or None)
    except reports.BadPeriod as exc:
        return None, str(exc)
    return reports.report_for(buurt=request.buurt, start=start, end=end), ""


@coordinator_required
def report_page(request: CoordinatorRequest) -> HttpResponse:
    report, error = _report(request)
    if report is None:
        messages.error(request, error)
        start, end = reports.period_from(None, None)
        report = reports.report_for(buurt=request.buurt, start=start, end=end)
    tables = charts.report_tables(report)
    return render_page(
        request,
        "coordinator/reports.html",
        "reports",
        {
            "report": report,
            "tables": tables,
            "charts": [charts.bar_chart(t) for t in tables],
            "csv_query": f"from={report.start.isoformat()}&to={report.end.isoformat()}",
        },
    )


def _export_rows(report: reports.Report) -> list[list[str | float]]:
    """The report as rows for a spreadsheet, in the reader's language: chart, label, series, value (a number)."""
    rows: list[list[str | float]] = [[_("Chart"), _("Label"), _("Series"), _("Value")]]
    for table in charts.report_tables(report):
        for row in table.rows:
            for series, value in zip(table.series, row.values, strict=True):
                rows.append([str(table.title), str(row.label), str(series.label), value])
    return rows


def _decimal_comma(value: str | float) -> str:
    """A number as Excel with Belgian settings reads it: 0,6667 (no thousands separator)."""
    if isinstance(value, str):
        return value
    return charts.fmt(value).replace(".", ",")


def _filename(request: CoordinatorRequest, report: reports.Report, ext: str) -> str:
    return f"burenhulp-{request.buurt.slug}-{report.start}-{report.end}.{ext}"


@coordinator_required
def report_csv(request: CoordinatorRequest) -> HttpResponse:
    """CSV that opens in columns in Excel with Belgian settings: semicolons, UTF-8 with a byte order mark, decimal
    commas, translated headers and labels, months in words."""
    report, error = _report(request)
    if report is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, report, "csv")}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    for row in _export_rows(report):
        writer.writerow([_decimal_comma(v) for v in row])
    return response


@coordinator_required
def report_xlsx(request: CoordinatorRequest) -> HttpResponse:
    """The same rows as an Excel workbook (openpyxl): numbers stay numbers, whatever the regional settings."""
    report, error = _report(request)
    if report is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Report")[:31]
    for row in _export_rows(report):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCD", (40, 28, 28, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, report, "xlsx")}"'
    return response
