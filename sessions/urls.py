"""Session URLs under /sessions/ (namespace "training"), one list per views module."""

from django.urls import path

import peertrain.core.converters  # noqa: F401 — registers <id:…>

from .views import attendance, booking, co_teaching, demand, lead_booking, manage

app_name = "training"
urlpatterns = [
    path("", booking.session_list, name="list"),
    path("mine/", booking.my_sessions, name="mine"),
    path("calendar/<slug:token>.ics", booking.calendar_feed, name="feed"),
    path("calendar/reset/", booking.calendar_feed_reset_view, name="feed_reset"),
    path("<id:pk>/", booking.session_detail, name="detail"),
    path("<id:pk>/book/", booking.book, name="book"),
    path("<id:pk>/cancel/", booking.cancel, name="cancel"),
    path("<id:pk>/claim/", booking.claim, name="claim"),
    path("<id:pk>/calendar.ics", booking.session_calendar_file, name="calendar"),
    path("<id:pk>/attendance/", attendance.attendance_sheet_view, name="attendance"),
    path(
        "<id:pk>/attendance/<id:person_id>/",
        attendance.attendance_mark_view,
        name="attendance_mark",
    ),
    path(
        "<id:pk>/attendance/<id:person_id>/approve/",
        attendance.attendance_approve_view,
        name="attendance_approve",
    ),
    path("<id:pk>/check-in/", attendance.check_in, name="check_in"),
    path("<id:pk>/check-in/code/", attendance.check_in_code_view, name="check_in_code"),
    path("interest/<id:skill_id>/", demand.interest, name="interest"),
    path(
        "interest/<id:skill_id>/withdraw/",
        demand.interest_withdraw_view,
        name="interest_withdraw",
    ),
    path("interest/<id:skill_id>/button/", demand.interest_button, name="interest_button"),
    path("wanted/", demand.wanted, name="wanted"),
    path("demand/", demand.demand, name="demand"),
    path("new/", manage.session_new, name="new"),
    path("<id:pk>/edit/", manage.session_edit, name="edit"),
    path("<id:pk>/publish/", manage.session_publish, name="publish"),
    path("<id:pk>/cancel-session/", manage.session_cancel, name="cancel_session"),
    path("<id:pk>/complete/", manage.session_complete, name="complete"),
    path("series/<id:pk>/", manage.series_detail, name="series"),
    path("series/<id:pk>/publish/", manage.series_publish, name="series_publish"),
    path("<id:pk>/book-member/", lead_booking.book_member, name="book_member"),
    path("<id:pk>/co-teach/accept/", co_teaching.co_teach_accept, name="co_teach_accept"),
    path("<id:pk>/co-teach/decline/", co_teaching.co_teach_decline, name="co_teach_decline"),
    path(
        "<id:pk>/co-trainers/<id:person_id>/withdraw/",
        co_teaching.co_trainer_withdraw_view,
        name="co_trainer_withdraw",
    ),
]
