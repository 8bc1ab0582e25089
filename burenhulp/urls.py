"""Root URLs. Each area has its own urls module; the API lives under /api/v1/."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from burenhulp import health
from burenhulp.core import brand_views
from burenhulp.core import views as core_views

# The admin signs in through allauth: the same rate limits, lockout and second factor as everywhere else.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("healthz", health.healthz, name="healthz"),
    path("privacy-statement/", brand_views.privacy_statement, name="privacy_statement"),
    path("accessibility/", brand_views.accessibility_statement, name="accessibility_statement"),
    path("brand/<int:pk>/<str:version>.css", brand_views.brand_css, name="brand_css"),
    path("brand/<int:pk>/<str:version>.png", brand_views.brand_logo, name="brand_logo"),
    path("manifest.webmanifest", brand_views.manifest, name="manifest"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("dev/emails/", core_views.dev_emails, name="dev_emails"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("burenhulp.api.urls")),
    path("", include("burenhulp.notifications.urls")),
    path("", include("burenhulp.residents.urls")),
    path("", include("burenhulp.helprequests.urls")),
    path("coordinator/", include("burenhulp.coordination.urls")),
    path("", include("burenhulp.coordination.public_urls")),
    path("guidance/", include("toolbox_content.urls")),
    path("my-data/", include("burenhulp.privacy.urls")),
]

handler404 = "burenhulp.core.views.page_not_found"
handler500 = "burenhulp.core.views.server_error"
