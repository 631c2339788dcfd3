from django.urls import path

import peertrain.core.converters  # noqa: F401 — registers <id:…>

from ..views import programmes

app_name = "programmes"
urlpatterns = [
    path("", programmes.programme_list, name="list"),
    path("new/", programmes.programme_create, name="create"),
    path("<id:pk>/", programmes.programme_detail, name="detail"),
    path("<id:pk>/edit/", programmes.programme_edit, name="edit"),
]
