"""The API of DESIGN §9. Each area registers its views in its own module; this file only collects them."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from burenhulp.api import calls, coordination, proposals, requests, residents
from burenhulp.api.auth import ObtainToken
from burenhulp.api.categories import CategoryList

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", ObtainToken.as_view(), name="token"),
    path("categories/", CategoryList.as_view(), name="categories"),
    *residents.urlpatterns,
    *requests.urlpatterns,
    *proposals.urlpatterns,
    *coordination.urlpatterns,
    *calls.urlpatterns,
]
