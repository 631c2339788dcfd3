from django.urls import path

from . import views

app_name = "trainers"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.my_trainer_profile, name="me"),
    path("assess/", views.trainer_assess, name="assess"),
    path("nominate/", views.nominate, name="nominate"),
]
