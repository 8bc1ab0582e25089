from django.urls import URLPattern, URLResolver, path

from toolbox_content import views

app_name = "guidance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("search/", views.search_view, name="search"),
    path("print/", views.print_view, name="print"),
    path("<str:piece_id>/", views.piece, name="piece"),
]
