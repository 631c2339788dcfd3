from django.urls import path

import peertrain.core.converters  # noqa: F401 — registers <id:…>

from . import views, views_nominations

app_name = "trainers"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.my_trainer_profile, name="me"),
    path("me/bio/", views.my_trainer_bio, name="bio"),
    path("assess/", views.trainer_assess, name="assess"),
    path("nominate/", views_nominations.nominate, name="nominate"),
    path("nominations/", views_nominations.my_nominations, name="nominations"),
    path(
        "nominations/<id:pk>/agree/",
        views_nominations.nomination_agree_view,
        name="nomination_agree",
    ),
    path(
        "nominations/<id:pk>/decline/",
        views_nominations.nomination_decline_view,
        name="nomination_decline",
    ),
    path(
        "nominations/<id:pk>/withdraw/",
        views_nominations.nomination_withdraw_view,
        name="nomination_withdraw",
    ),
    path("review/", views_nominations.review, name="review"),
    path("review/<id:pk>/accept/", views_nominations.review_accept, name="review_accept"),
    path("review/<id:pk>/decline/", views_nominations.review_decline, name="review_decline"),
    path("review/trainers/<id:pk>/pause/", views_nominations.trainer_pause, name="pause"),
    path("review/trainers/<id:pk>/resume/", views_nominations.trainer_resume_view, name="resume"),
]
