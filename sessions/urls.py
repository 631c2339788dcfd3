from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("mine/", views.my_sessions, name="mine"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("calendar/reset/", views.calendar_feed_reset_view, name="feed_reset"),
    path("<int:pk>/calendar.ics", views.session_calendar_file, name="calendar"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/book/", views.book, name="book"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/claim/", views.claim, name="claim"),
]
