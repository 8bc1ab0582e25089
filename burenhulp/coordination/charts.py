"""Server-rendered SVG bar charts for the reports page: no JavaScript, no colour needed to read them.

Each bar carries its words and number as text, and each series has its own fill pattern (solid, stripes, dots,
cross-hatch), named in the legend. The same `Table` feeds the chart, the data table under it and the CSV export,
so the three always agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from burenhulp.coordination.models import ServiceKind
from burenhulp.coordination.reports import Report
from burenhulp.core.categories import Category

PATTERNS = ["solid", "stripes", "dots", "cross"]


@dataclass
class Series:
    key: str
    label: str


@dataclass
class Row:
    key: str
    label: str
    values: list[float]


@dataclass
class Table:
    key: str
    title: str
    series: list[Series]
    rows: list[Row] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows


def _category_label(slug: str) -> str:
    try:
        return str(Category(slug).label)
    except ValueError:
        return slug


def month_label(key: str) -> str:
    """ "2026-10" as the reader says it: "oktober 2026", "octobre 2026", "October 2026"."""
    try:
        year, month = (int(p) for p in key.split("-", 1))
        return date_format(date(year, month, 1), "F Y")
    except ValueError:
        return key


def _kind_label(slug: str) -> str:
    try:
        return str(ServiceKind(slug).label)
    except ValueError:
        return slug


def report_tables(report: Report) -> list[Table]:
    """The report as tables, one per chart."""
    cats = sorted({c for _m, per in report.per_month for c in per})
    per_month = Table(
        "requests_per_category_per_month",
        _("Requests per category per month"),
        [Series(c, _category_label(c)) for c in cats],
        [Row(m, month_label(m), [per.get(c, 0) for c in cats]) for m, per in report.per_month],
    )
    matched = Table(
        "share_matched",
        _("Share matched with a neighbour"),
        [Series("requests", _("Requests"))],
        [
            Row("ever_open", _("Went to neighbours"), [report.ever_open]),
            Row("matched", _("A neighbour said yes"), [report.matched]),
        ],
    )
    referrals = Table(
        "referrals_per_kind",
        _("Referrals per kind of service"),
        [Series("referrals", _("Referrals"))],
        [Row(k, _kind_label(k), [n]) for k, n in sorted(report.referrals_per_kind.items())],
    )
    unmet_series = [
        Series("queued", _("Waiting with the coordinator")),
        Series("no_match", _("No neighbour found")),
        Series("expired", _("Expired")),
    ]
    unmet = Table(
        "unmet_needs",
        _("Unmet needs per category"),
        unmet_series,
        [
            Row(c, _category_label(c), [v[s.key] for s in unmet_series])
            for c, v in sorted(report.unmet_per_category.items())
        ],
    )
    summary = Table(
        "summary",
        _("In numbers"),
        [Series("value", _("Value"))],
        [
            Row("requests", _("Requests"), [report.requests_total]),
            Row("matched_share", _("Share matched"), [report.matched_share]),
            Row(
                "median_hours_to_match",
                _("Median hours to a match"),
                [report.median_hours_to_match if report.median_hours_to_match is not None else ""],  # type: ignore[list-item]
            ),
            Row("active_helpers", _("Active helpers"), [report.active_helpers]),
        ],
    )
    return [per_month, matched, referrals, unmet, summary]


def fmt(v: float | str) -> str:
    if v == "" or v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def bar_chart(table: Table) -> SafeString:
    """A horizontal grouped bar chart as inline SVG; the 'summary' table is shown as numbers, not a chart."""
    if table.key == "summary" or table.empty:
        return mark_safe("")
    width, label_w, bar_h, gap = 640, 0, 22, 6
    max_v = max((v for r in table.rows for v in r.values if isinstance(v, int | float)), default=0) or 1
    plot_w = 360
    y = 10
    parts: list[str] = []
    uid = escape(table.key)
    defs = (
        f"<defs>"
        f'<pattern id="{uid}-stripes" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="#ffffff"/><rect width="3" height="8" fill="#123d26"/></pattern>'
        f'<pattern id="{uid}-dots" width="7" height="7" patternUnits="userSpaceOnUse">'
        f'<rect width="7" height="7" fill="#ffffff"/><circle cx="3.5" cy="3.5" r="2" fill="#123d26"/></pattern>'
        f'<pattern id="{uid}-cross" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="#ffffff"/><path d="M0 0L8 8M8 0L0 8" stroke="#123d26" stroke-width="1.5"/>'
        f"</pattern></defs>"
    )

    def fill(i: int) -> str:
        pattern = PATTERNS[i % len(PATTERNS)]
        return "#1d5e3a" if pattern == "solid" else f"url(#{uid}-{pattern})"

    for row in table.rows:
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="15" font-weight="700" fill="#1b1b1b">{escape(row.label)}</text>'
        )
        y += bar_h
        for i, (series, value) in enumerate(zip(table.series, row.values, strict=True)):
            w = max(0.0, plot_w * float(value) / max_v) if value else 0.0
            label = f"{series.label}: {fmt(value)}" if len(table.series) > 1 else fmt(value)
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 4}" fill="{fill(i)}" '
                f'stroke="#123d26" stroke-width="1" data-series="{escape(series.key)}" data-row="{escape(row.key)}" '
                f'data-value="{fmt(value)}"/>'
                f'<text x="{label_w + w + 6:.1f}" y="{y + 14}" font-size="14" fill="#1b1b1b">{escape(label)}</text>'
            )
            y += bar_h
        y += gap
    legend = ""
    if len(table.series) > 1:
        legend_items = []
        for i, series in enumerate(table.series):
            legend_items.append(
                f'<rect x="0" y="{y}" width="28" height="16" fill="{fill(i)}" stroke="#123d26"/>'
                f'<text x="36" y="{y + 13}" font-size="14" fill="#1b1b1b">{escape(series.label)}</text>'
            )
            y += 22
        legend = "".join(legend_items)
    height = y + 6
    svg = (
        f'<svg class="chart" role="img" aria-labelledby="{uid}-title" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{uid}-title">{escape(table.title)}</title>{defs}{"".join(parts)}{legend}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text in it went through escape()
