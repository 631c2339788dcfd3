from django.urls import path

import peertrain.core.converters  # noqa: F401 — registers <id:…>

from ..views import my_skills

urlpatterns = [
    path("", my_skills.my_skills, name="mine"),
    path("rate/", my_skills.rate, name="rate"),
    path("history/<slug:slug>/", my_skills.history, name="history"),
    path("people/<id:user_id>/", my_skills.person_levels, name="person"),
]
