from django.urls import URLPattern, URLResolver, path

from toolbox_content import views

app_name = "guidance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("search/", views.search_view, name="search"),
    path("print/", views.print_view, name="print"),
    path("local/", views.local_list, name="local"),
    path("local/new/", views.local_edit, name="local_new"),
    path("local/<int:pk>/", views.local_edit, name="local_edit"),
    path("local/<int:pk>/delete/", views.local_delete, name="local_delete"),
    path("<str:piece_id>/", views.piece, name="piece"),
]
