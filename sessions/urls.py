"""Session URLs under /sessions/ (namespace "training"), one list per views module."""

from django.urls import path

import peertrain.core.converters  # noqa: F401 — registers <id:…>

from .views import (
    attendance,
    booking,
    calendars,
    co_teaching,
    demand,
    detail,
    lead_booking,
    listing,
    manage,
    my_sessions,
    rotation,
)

app_name = "training"
urlpatterns = [
    path("", listing.training_session_list_view, name="list"),
    path("mine/", my_sessions.my_sessions_view, name="mine"),
    path("<id:pk>/", detail.training_session_detail_view, name="detail"),
    path("<id:pk>/book/", booking.booking_create_view, name="book"),
    path("<id:pk>/cancel/", booking.booking_cancel_view, name="cancel"),
    path("<id:pk>/claim/", booking.booking_claim_view, name="claim"),
    path("<id:pk>/calendar.ics", calendars.training_session_calendar_view, name="calendar"),
    path("calendar/<slug:token>.ics", calendars.calendar_feed_view, name="feed"),
    path("calendar/reset/", calendars.calendar_feed_reset_view, name="feed_reset"),
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
    path("<id:pk>/check-in/", attendance.check_in_view, name="check_in"),
    path("<id:pk>/check-in/code/", attendance.check_in_code_view, name="check_in_code"),
    path("interest/<id:skill_id>/", demand.interest_register_view, name="interest"),
    path(
        "interest/<id:skill_id>/withdraw/",
        demand.interest_withdraw_view,
        name="interest_withdraw",
    ),
    path("interest/<id:skill_id>/button/", demand.interest_button_view, name="interest_button"),
    path("wanted/", demand.wanted_skills_view, name="wanted"),
    path("demand/", demand.skill_demand_view, name="demand"),
    path("new/", manage.training_session_create_view, name="new"),
    path("<id:pk>/edit/", manage.training_session_update_view, name="edit"),
    path("<id:pk>/publish/", manage.training_session_publish_view, name="publish"),
    path("<id:pk>/cancel-session/", manage.training_session_cancel_view, name="cancel_session"),
    path("<id:pk>/complete/", manage.training_session_complete_view, name="complete"),
    path("<id:pk>/rotation/", rotation.training_session_rotation_view, name="rotation"),
    path("series/<id:pk>/", manage.training_series_detail_view, name="series"),
    path("series/<id:pk>/publish/", manage.training_series_publish_view, name="series_publish"),
    path("<id:pk>/book-member/", lead_booking.team_bookings_view, name="book_member"),
    path("<id:pk>/co-teach/accept/", co_teaching.co_trainer_accept_view, name="co_teach_accept"),
    path(
        "<id:pk>/co-teach/decline/",
        co_teaching.co_trainer_decline_view,
        name="co_teach_decline",
    ),
    path(
        "<id:pk>/co-trainers/<id:person_id>/withdraw/",
        co_teaching.co_trainer_withdraw_view,
        name="co_trainer_withdraw",
    ),
]
