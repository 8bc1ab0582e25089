"""The reports page and its CSV export (fiche L)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpResponse

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


@coordinator_required
def report_csv(request: CoordinatorRequest) -> HttpResponse:
    report, error = _report(request)
    if report is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"burenhulp-{request.buurt.slug}-{report.start}-{report.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["chart", "label", "series", "value"])
    for table in charts.report_tables(report):
        for row in table.rows:
            for series, value in zip(table.series, row.values, strict=True):
                writer.writerow([table.key, row.key, series.key, charts.fmt(value)])
    return response
