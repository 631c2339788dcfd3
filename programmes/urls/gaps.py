from django.urls import path

import peertrain.core.converters  # noqa: F401 — registers <id:…>

from ..views import gaps

urlpatterns = [
    path("gaps/", gaps.gaps, name="gaps"),
    path("gaps/export.csv", gaps.gaps_export, name="gaps_export"),
    path("targets/", gaps.targets, name="targets"),
    path("targets/<id:pk>/remove/", gaps.target_remove_view, name="target_remove"),
]
