"""A person's own account pages under /account/ (namespace "profile"). None takes an id:
each is about whoever is signed in."""

from django.urls import path

from . import views

app_name = "profile"
urlpatterns = [
    path("profile/", views.profile, name="edit"),
    path("profile/privacy/", views.skill_privacy, name="skill_privacy"),
]
