"""Session URLs under /sessions/ (namespace "training"), one list per views module."""

from django.urls import path

from .views import attendance, booking, demand, lead_booking, manage

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
    path("<int:pk>/attendance/", attendance.attendance_sheet_view, name="attendance"),
    path(
        "<int:pk>/attendance/<int:person_id>/",
        attendance.attendance_mark_view,
        name="attendance_mark",
    ),
    path(
        "<int:pk>/attendance/<int:person_id>/approve/",
        attendance.attendance_approve_view,
        name="attendance_approve",
    ),
    path("<int:pk>/check-in/", attendance.check_in, name="check_in"),
    path("<int:pk>/check-in/code/", attendance.check_in_code_view, name="check_in_code"),
    path("interest/<int:skill_id>/", demand.interest, name="interest"),
    path(
        "interest/<int:skill_id>/withdraw/",
        demand.interest_withdraw_view,
        name="interest_withdraw",
    ),
    path("interest/<int:skill_id>/button/", demand.interest_button, name="interest_button"),
    path("wanted/", demand.wanted, name="wanted"),
    path("demand/", demand.demand, name="demand"),
    path("new/", manage.session_new, name="new"),
    path("<int:pk>/edit/", manage.session_edit, name="edit"),
    path("<int:pk>/publish/", manage.session_publish, name="publish"),
    path("<int:pk>/cancel-session/", manage.session_cancel, name="cancel_session"),
    path("<int:pk>/complete/", manage.session_complete, name="complete"),
    path("series/<int:pk>/", manage.series_detail, name="series"),
    path("series/<int:pk>/publish/", manage.series_publish, name="series_publish"),
    path("<int:pk>/book-member/", lead_booking.book_member, name="book_member"),
]
