"""The coordinator's streets page: the neighbourhood's street list (import a CSV with coordinates) and the small
confirm list of street names residents typed that are not on it (issue #14 M4/L7, issue #16)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from burenhulp.core.gates import CoordinatorRequest, coordinator_required
from burenhulp.core.models import AuditLog, Street, audit
from burenhulp.core.streets import StreetsFileError, parse_streets, streets_save
from burenhulp.residents import services
from burenhulp.residents.forms import StreetConfirmForm, StreetsImportForm
from burenhulp.residents.selectors import streets_to_confirm

MAX_UPLOAD = 2 * 1024 * 1024


@coordinator_required
def streets(request: CoordinatorRequest) -> HttpResponse:
    buurt = request.buurt
    street_list = list(Street.objects.filter(buurt=buurt).annotate(n=Count("residents")).order_by("name")[:2000])
    import_form = StreetsImportForm()
    failed: StreetConfirmForm | None = None
    status = 200
    if request.method == "POST" and request.POST.get("action") == "import":
        import_form = StreetsImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            try:
                if upload.size > MAX_UPLOAD:
                    raise StreetsFileError(_("The file is too big (at most 2 MB)."))
                rows = parse_streets(upload.read().decode("utf-8-sig"))
            except UnicodeDecodeError:
                import_form.add_error("file", _("Save the file as CSV UTF-8 and try again."))
            except StreetsFileError as exc:
                import_form.add_error("file", str(exc))
            else:
                n = streets_save(buurt, rows)
                audit(actor=request.user, action=AuditLog.Action.CHANGE, target=buurt, reason=f"streets import ({n})")
                messages.success(request, _("%(n)d streets imported.") % {"n": n})
                return redirect("residents:streets")
        status = 400
    elif request.method == "POST" and request.POST.get("action") == "confirm":
        form = StreetConfirmForm(request.POST, streets=street_list)
        if form.is_valid():
            d = form.cleaned_data
            try:
                n = services.streets_confirm(
                    buurt=buurt,
                    typed=d["typed"],
                    street=d["street"],
                    by=request.user,
                    name=d["name"],
                    lat=d["lat"],
                    lon=d["lon"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Street confirmed for %(n)d residents.") % {"n": n})
                return redirect("residents:streets")
        failed = form
        status = 400
    pending: list[dict[str, Any]] = []
    for i, row in enumerate(streets_to_confirm(buurt)):
        if failed is not None and failed.data.get("typed") == row["name"]:
            form = failed  # What the coordinator typed stays, with the message.
            form.auto_id = f"confirm{i}_%s"
        else:
            form = StreetConfirmForm(
                streets=street_list, initial={"typed": row["name"], "name": row["name"]}, auto_id=f"confirm{i}_%s"
            )
        pending.append({**row, "form": form})
    audit(actor=request.user, action=AuditLog.Action.VIEW, target=buurt, reason="streets")
    return render(
        request,
        "residents/streets.html",
        {
            "coord_section": "streets",
            "streets": street_list,
            "without_place": sum(1 for s in street_list if s.lat is None or s.lon is None),
            "pending": pending,
            "import_form": import_form,
        },
        status=status,
    )
