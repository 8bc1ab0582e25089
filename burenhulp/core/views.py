"""Home page, role-based landing after login, language switch and the health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.http import require_POST
from rest_framework.exceptions import NotFound

from burenhulp.core import devmail
from burenhulp.core.inputs import safe_next
from burenhulp.core.models import Language, Neighbourhood, User
from burenhulp.core.tenancy import coordinator_buurten


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own; it lives with the other static files."""
    return redirect(static("favicon.ico"), permanent=True)


def home(request: HttpRequest) -> HttpResponse:
    buurten = Neighbourhood.objects.order_by("name").only("name", "slug", "municipality")[:200]
    return render(request, "core/home.html", {"buurten": buurten})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Where a signed-in person lands: coordinators at their queue, residents at their Burenbox."""
    if coordinator_buurten(request.user).exists():
        return redirect("coordinator:queue")
    if getattr(request.user, "resident", None) is not None:
        return redirect("residents:mine")
    return redirect("residents:join")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language; remembered in a cookie, and on the account for signed-in users."""
    code = request.POST.get("language", "")
    if code not in Language.values:
        code = settings.LANGUAGE_CODE
    next_url = safe_next(request.POST.get("next"), host=request.get_host(), secure=request.is_secure()) or "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=False,
    )
    request.session["user_language"] = code
    if request.user.is_authenticated:
        User.objects.filter(pk=request.user.pk).update(language=code)
    translation.activate(code)
    return response


def dev_emails(request: HttpRequest) -> HttpResponse:
    """Development only (404 without DEBUG): the last emails sent, instead of reading them between worker log lines."""
    if not settings.DEBUG:
        raise Http404
    context = {
        "emails": devmail.latest() if settings.EMAIL_BACKEND == "burenhulp.core.devmail.EmailBackend" else None,
        "email_url": settings.EMAIL_URL.split("@")[-1],
        "mailpit_url": settings.MAILPIT_URL,
    }
    return render(request, "core/dev_emails.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: JSON under /api/ (DESIGN §9: JSON only), the friendly page elsewhere."""
    if _wants_json(request):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: JSON under /api/, the generic page elsewhere; neither says anything about the cause."""
    if _wants_json(request):
        return JsonResponse(
            {"detail": gettext("Something went wrong on our side. Please try again later.")}, status=500
        )
    return defaults.server_error(request)
