from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("mine/", views.my_sessions, name="mine"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/book/", views.book, name="book"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/claim/", views.claim, name="claim"),
]
