"""Session URLs under /sessions/ (namespace "training"), one list per views module."""

from django.urls import path

from .views import booking

app_name = "training"
urlpatterns = [
    path("", booking.session_list, name="list"),
    path("mine/", booking.my_sessions, name="mine"),
    path("calendar/<str:token>.ics", booking.calendar_feed, name="feed"),
    path("calendar/reset/", booking.calendar_feed_reset_view, name="feed_reset"),
    path("<int:pk>/", booking.session_detail, name="detail"),
    path("<int:pk>/book/", booking.book, name="book"),
    path("<int:pk>/cancel/", booking.cancel, name="cancel"),
    path("<int:pk>/claim/", booking.claim, name="claim"),
    path("<int:pk>/calendar.ics", booking.session_calendar_file, name="calendar"),
]
