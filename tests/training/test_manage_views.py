"""Trainers propose, change, publish, cancel and complete sessions and series.

Who may manage: the lead trainer and L&D staff. Co-trainers, other trainers and employees
are refused; drafts stay hidden (404) from people who may not see them.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone

from peertrain.audit.models import AuditEvent
from peertrain.notifications.models import Notification
from portal.home.roles import Roles
from sessions.errors import SessionError
from sessions.models import Attendance, Booking, CoTrainer, TrainingSeries, TrainingSession
from sessions.services.booking import booking_create
from sessions.services.sessions import (
    training_series_create,
    training_session_update,
)

from ..factories import (
    CertificationFactory,
    ProgrammeFactory,
    SkillFactory,
    TrainingSessionFactory,
    UserFactory,
    co_trainer,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def local(value: datetime, zone: str = "Europe/London") -> str:
    """A datetime as a datetime-local input sends it, in ``zone``."""
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def in_days(days: int, hour: int = 10, zone=LONDON) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)


@pytest.fixture
def skill(trainer):
    return trainer.trainer_profile.certifications.get().skill


@pytest.fixture
def draft(trainer, skill):
    return TrainingSessionFactory(
        lead_trainer=trainer, skill=skill, status="draft", starts_at=in_days(10)
    )


@pytest.fixture
def published(trainer, skill):
    return TrainingSessionFactory(
        lead_trainer=trainer, skill=skill, capacity=3, starts_at=in_days(10)
    )


def proposal(skill, **overrides) -> dict:
    data = {
        "skill": skill.pk,
        "title": "Window functions in practice",
        "description": "Bring a laptop.",
        "format": "hands_on",
        "programme": "",
        "starts_at": local(in_days(14, 10)),
        "ends_at": local(in_days(14, 12)),
        "location": "Room 3",
        "video_url": "",
        "capacity": "8",
        "booking_deadline": "",
        "waitlist_open": "on",
        "co_trainers": "",
        "repeat_every_weeks": "0",
        "repeat_until": "",
    }
    data.update(overrides)
    return data


def edit_data(session: TrainingSession, **overrides) -> dict:
    data = {
        "title": session.title,
        "description": session.description,
        "format": session.format,
        "programme": session.programme_id or "",
        "starts_at": local(session.starts_at, session.time_zone),
        "ends_at": local(session.ends_at, session.time_zone),
        "location": session.location,
        "video_url": session.video_url,
        "capacity": str(session.capacity),
        "booking_deadline": "",
        "waitlist_open": "on" if session.waitlist_open else "",
        "co_trainers": ", ".join(
            row.user.email
            for row in CoTrainer.objects.filter(session=session).exclude(state="declined")
        ),
    }
    data.update(overrides)
    return data


# --- Proposing ---------------------------------------------------------------------------
def test_trainer_proposes_a_draft_in_their_own_time_zone(client, trainer, skill):
    trainer.time_zone = "America/New_York"
    trainer.save(update_fields=["time_zone"])
    client.force_login(trainer)
    day = in_days(14).date()

    response = client.post(
        "/sessions/new/",
        proposal(skill, starts_at=f"{day}T10:00", ends_at=f"{day}T11:30"),
    )

    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{session.pk}/"
    assert session.status == "draft"
    assert session.lead_trainer == trainer
    assert session.time_zone == "America/New_York"
    new_york = ZoneInfo("America/New_York")
    assert session.starts_at == datetime(day.year, day.month, day.day, 10, 0, tzinfo=new_york)
    assert session.ends_at - session.starts_at == timedelta(minutes=90)
    assert AuditEvent.objects.filter(action="training.session.created").count() == 1


def test_propose_form_offers_only_the_trainers_certified_skills(client, trainer, skill):
    other = SkillFactory(name="Negotiation")
    client.force_login(trainer)

    page = client.get("/sessions/new/")

    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{skill.pk}">{skill.name}</option>' in html
    assert other.name not in html
    assert 'type="datetime-local"' in html
    assert "<legend" in html


def test_a_skill_the_trainer_is_not_certified_in_is_refused(client, trainer):
    other = SkillFactory()
    client.force_login(trainer)

    response = client.post("/sessions/new/", proposal(other))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_an_expired_certification_no_longer_lets_a_trainer_propose(client, trainer):
    trainer.trainer_profile.certifications.update(
        issued_at=timezone.now() - timedelta(days=400),
        expires_at=timezone.now() - timedelta(days=1),
    )
    client.force_login(trainer)

    assert client.get("/sessions/new/").status_code == 403


@pytest.mark.parametrize("who", ["employee", "lead", "ld_staff"])
def test_people_without_a_certification_cannot_propose(client, request, who, skill):
    client.force_login(request.getfixturevalue(who))

    assert client.get("/sessions/new/").status_code == 403
    assert client.post("/sessions/new/", proposal(skill)).status_code == 403
    assert not TrainingSession.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, draft):
    for url in (
        "/sessions/new/",
        f"/sessions/{draft.pk}/edit/",
        f"/sessions/{draft.pk}/publish/",
        f"/sessions/{draft.pk}/cancel-session/",
        f"/sessions/{draft.pk}/complete/",
    ):
        response = client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"capacity": "lots"}, "Enter a whole number"),
        ({"starts_at": "next tuesday"}, "Enter a valid date/time"),
        ({"video_url": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"format": "lecture"}, "Select a valid choice"),
        ({"programme": "999999"}, "Select a valid choice"),
        ({"co_trainers": "nobody@example.com"}, "Nobody here signs in with nobody@example.com"),
        ({"co_trainers": "not-an-email"}, "aren&#x27;t email addresses"),
        ({"co_trainers": "trainer@example.com"}, "leads this session"),
        ({"co_trainers": "employee@example.com"}, "isn&#x27;t certified to teach"),
        ({"repeat_every_weeks": "1"}, "Choose the date of the last session"),
        ({"repeat_every_weeks": "9", "repeat_until": "2030-01-01"}, "Select a valid choice"),
        ({"repeat_until": "2030-01-01"}, "Choose how often it repeats"),
    ],
)
@pytest.mark.usefixtures("employee")  # an address that signs in, not certified
def test_bad_proposals_answer_400_and_save_nothing(client, trainer, skill, overrides, message):
    client.force_login(trainer)

    response = client.post("/sessions/new/", proposal(skill, **overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TrainingSession.objects.exists()
    assert not TrainingSeries.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"starts_at": local(in_days(14, 12)), "ends_at": local(in_days(14, 10))},
            "ends_at",
            "The session must end after it starts.",
        ),
        (
            {"booking_deadline": local(in_days(15, 10))},
            "booking_deadline",
            "The booking deadline must be before the session starts.",
        ),
        (
            {"starts_at": local(in_days(-3, 10)), "ends_at": local(in_days(-3, 11))},
            "starts_at",
            "Choose a start time in the future.",
        ),
    ],
)
def test_the_services_time_rules_are_shown_beside_their_field(
    client, trainer, skill, overrides, field, message
):
    """The form checks only that a time is a time; the one rule about how times follow
    each other is the service's, in its words, beside the input it is about."""
    client.force_login(trainer)

    response = client.post("/sessions/new/", proposal(skill, **overrides))

    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert not TrainingSession.objects.exists()


def test_a_draft_needs_no_place_yet(client, trainer, skill):
    """Where it happens is needed once people can book, when it is published."""
    client.force_login(trainer)

    response = client.post("/sessions/new/", proposal(skill, location="", video_url=""))

    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert (session.status, session.location, session.video_url) == ("draft", "", "")


def test_the_session_forms_hand_the_services_only_what_they_take():
    """The fields the forms pass on are the service's list (``EDITABLE_FIELDS``): a form
    field the service doesn't take, or one it takes that the forms forget, fails here."""
    from sessions.forms_manage import SessionEditForm, SessionForm, training_session_field_names
    from sessions.services.sessions import EDITABLE_FIELDS

    assert set(SessionForm.base_fields) - set(EDITABLE_FIELDS) == {"co_trainers"}
    assert set(EDITABLE_FIELDS) - set(SessionForm.base_fields) == {"time_zone"}  # the trainer's
    assert training_session_field_names(SessionEditForm) == [
        name for name in EDITABLE_FIELDS if name != "time_zone"
    ]


def test_co_trainers_are_invited_by_email(client, trainer, skill, other_trainer):
    CertificationFactory(trainer=other_trainer.trainer_profile, skill=skill)
    client.force_login(trainer)

    client.post("/sessions/new/", proposal(skill, co_trainers=f"{other_trainer.email.upper()};"))

    row = CoTrainer.objects.get(session=TrainingSession.objects.get())
    assert (row.user, row.state, row.invited_by) == (other_trainer, "invited", trainer)


def test_propose_answers_other_methods_with_405(client, trainer):
    client.force_login(trainer)

    assert client.put("/sessions/new/").status_code == 405
    assert client.delete("/sessions/new/").status_code == 405


# --- Series ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("zone", "repeat"),
    [("America/Los_Angeles", {}), ("Europe/London", {}), ("Europe/London", {"weekly": True})],
)
def test_a_start_in_year_9999_is_refused_not_a_500(client, trainer, skill, zone, repeat):
    """A typo of a year: refused beside the field, whatever the trainer's zone, alone or as
    the first of a series (which would step past the calendar's end)."""
    trainer.time_zone = zone
    trainer.save(update_fields=["time_zone"])
    client.force_login(trainer)
    series = {"repeat_every_weeks": "1", "repeat_until": "9999-12-31"} if repeat else {}

    response = client.post(
        "/sessions/new/",
        proposal(skill, starts_at="9999-12-28T20:00", ends_at="9999-12-28T21:00", **series),
    )

    assert response.status_code == 400
    assert "Choose a date between" in str(response.context["form"].errors["starts_at"])
    assert not TrainingSession.objects.exists()


def test_trainer_schedules_a_weekly_series(client, trainer, skill):
    client.force_login(trainer)
    first = in_days(7, 10)
    last_day = (first + timedelta(weeks=3)).date()

    response = client.post(
        "/sessions/new/",
        proposal(
            skill,
            starts_at=local(first),
            ends_at=local(first + timedelta(hours=1)),
            booking_deadline=local(first - timedelta(days=1)),
            repeat_every_weeks="1",
            repeat_until=last_day.isoformat(),
        ),
    )

    series = TrainingSeries.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sessions/series/{series.pk}/"
    sessions = list(series.occurrences.order_by("starts_at"))
    assert len(sessions) == 4
    assert {s.status for s in sessions} == {"draft"}
    for session in sessions:
        assert session.starts_at.astimezone(LONDON).hour == 10
        assert session.starts_at - session.booking_deadline == timedelta(days=1)
    page = client.get(response["Location"]).content.decode()
    assert "4 sessions saved as drafts" in page
    assert page.count("Move or change</a>") == 4


def test_a_series_longer_than_a_year_is_refused(client, trainer, skill):
    client.force_login(trainer)
    first = in_days(7)

    response = client.post(
        "/sessions/new/",
        proposal(
            skill,
            starts_at=local(first),
            ends_at=local(first + timedelta(hours=1)),
            repeat_every_weeks="1",
            repeat_until=(first + timedelta(weeks=60)).date().isoformat(),
        ),
    )

    assert response.status_code == 400
    assert "at most 52 sessions" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_one_occurrence_of_a_series_is_moved_alone(client, trainer, skill):
    first = in_days(7)
    series = training_series_create(
        trainer=trainer,
        every_weeks=1,
        until=(first + timedelta(weeks=2)).date(),
        skill=skill,
        title="Clinic",
        starts_at=first,
        ends_at=first + timedelta(hours=1),
        capacity=5,
        location="Room 1",
        time_zone="Europe/London",
    )
    second, third = list(series.occurrences.order_by("starts_at"))[1:]
    client.force_login(trainer)

    moved_to = second.starts_at + timedelta(days=1)
    client.post(
        f"/sessions/{second.pk}/edit/",
        edit_data(second, starts_at=local(moved_to), ends_at=local(moved_to + timedelta(hours=1))),
    )

    second.refresh_from_db()
    third_before = third.starts_at
    third.refresh_from_db()
    assert second.starts_at == moved_to
    assert third.starts_at == third_before


def test_series_page_is_for_its_lead_trainer_and_ld_staff(
    client, trainer, skill, other_trainer, employee, ld_staff
):
    first = in_days(7)
    series = training_series_create(
        trainer=trainer,
        every_weeks=2,
        until=(first + timedelta(weeks=4)).date(),
        skill=skill,
        title="Clinic",
        starts_at=first,
        ends_at=first + timedelta(hours=1),
        capacity=5,
        location="Room 1",
    )
    for person in (other_trainer, employee):
        client.force_login(person)
        assert client.get(f"/sessions/series/{series.pk}/").status_code == 403
        assert client.post(f"/sessions/series/{series.pk}/publish/").status_code == 403
    assert set(series.occurrences.values_list("status", flat=True)) == {"draft"}
    for person in (trainer, ld_staff):
        client.force_login(person)
        assert client.get(f"/sessions/series/{series.pk}/").status_code == 200
    assert client.get("/sessions/series/999999/").status_code == 404


def test_publishing_a_series_opens_every_draft_still_to_come(client, trainer, skill):
    first = in_days(7)
    series = training_series_create(
        trainer=trainer,
        every_weeks=1,
        until=(first + timedelta(weeks=2)).date(),
        skill=skill,
        title="Clinic",
        starts_at=first,
        ends_at=first + timedelta(hours=1),
        capacity=5,
        location="Room 1",
    )
    client.force_login(trainer)

    response = client.post(f"/sessions/series/{series.pk}/publish/")

    assert response.status_code == 302
    assert set(series.occurrences.values_list("status", flat=True)) == {"published"}
    assert client.get(f"/sessions/series/{series.pk}/publish/").status_code == 405


def test_publishing_a_series_is_all_or_nothing(client, trainer, skill):
    first = in_days(7)
    series = training_series_create(
        trainer=trainer,
        every_weeks=1,
        until=(first + timedelta(weeks=1)).date(),
        skill=skill,
        title="Clinic",
        starts_at=first,
        ends_at=first + timedelta(hours=1),
        capacity=5,
        location="Room 1",
    )
    last = series.occurrences.order_by("starts_at").last()
    TrainingSession.objects.filter(pk=last.pk).update(location="")
    client.force_login(trainer)

    response = client.post(f"/sessions/series/{series.pk}/publish/")

    assert response.status_code == 409
    assert "Add a room or a video-call link" in response.content.decode()
    assert set(series.occurrences.values_list("status", flat=True)) == {"draft"}


@pytest.mark.parametrize("weeks", [1, 20])
def test_series_page_query_count_is_flat(client, trainer, skill, data_query_budget, weeks):
    trainer.trainer_profile.monthly_session_cap = 31  # a weekly series, within any cap
    trainer.trainer_profile.save()
    first = in_days(7)
    series = training_series_create(
        trainer=trainer,
        every_weeks=1,
        until=(first + timedelta(weeks=weeks - 1)).date(),
        skill=skill,
        title="Clinic",
        starts_at=first,
        ends_at=first + timedelta(hours=1),
        capacity=5,
        location="Room 1",
    )
    client.force_login(trainer)

    # session, user, series, occurrences, roles (navigation)
    with data_query_budget(5):
        page = client.get(f"/sessions/series/{series.pk}/")
    assert page.content.decode().count("Move or change</a>") == weeks


# --- Editing -----------------------------------------------------------------------------
def test_edit_form_shows_times_in_the_sessions_time_zone(client, trainer, skill):
    tokyo = ZoneInfo("Asia/Tokyo")
    starts = in_days(10, 19, zone=tokyo)
    session = TrainingSessionFactory(
        lead_trainer=trainer, skill=skill, starts_at=starts, time_zone="Asia/Tokyo"
    )
    client.force_login(trainer)  # whose own zone is Europe/London

    html = client.get(f"/sessions/{session.pk}/edit/").content.decode()

    assert f'value="{starts:%Y-%m-%d}T19:00"' in html
    assert "Asia/Tokyo" in html


def test_edit_form_of_a_session_in_an_unknown_time_zone_reads_utc(client, trainer, skill):
    starts = in_days(10, 19, zone=ZoneInfo("UTC"))
    session = TrainingSessionFactory(
        lead_trainer=trainer, skill=skill, starts_at=starts, time_zone="Mars/Olympus_Mons"
    )
    client.force_login(trainer)

    response = client.get(f"/sessions/{session.pk}/edit/")

    assert response.status_code == 200
    assert f'value="{starts:%Y-%m-%d}T19:00"' in response.content.decode()


def test_lead_trainer_changes_a_session(client, trainer, published, other_trainer):
    CertificationFactory(trainer=other_trainer.trainer_profile, skill=published.skill)
    client.force_login(trainer)

    response = client.post(
        f"/sessions/{published.pk}/edit/",
        edit_data(published, title="Renamed", co_trainers=other_trainer.email),
    )

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == "Renamed"
    assert list(published.co_trainer_invitations.values_list("user", "state")) == [
        (other_trainer.pk, "invited")
    ]
    event = AuditEvent.objects.get(action="training.session.updated")
    assert event.data["changed"] == ["co_trainers", "title"]


def test_moving_a_published_session_tells_the_people_booked(client, trainer, published, employee):
    booking_create(session=published, user=employee)
    client.force_login(trainer)
    later = published.starts_at + timedelta(days=2)

    response = client.post(
        f"/sessions/{published.pk}/edit/",
        edit_data(published, starts_at=local(later), ends_at=local(later + timedelta(hours=1))),
    )

    assert response.status_code == 302
    assert "People booked are told" in client.get(response["Location"]).content.decode()
    published.refresh_from_db()
    assert published.starts_at == later
    assert published.calendar_sequence == 1
    assert Notification.objects.filter(recipient=employee, kind="training.session.changed").exists()


def test_a_change_outside_the_calendar_is_saved_without_telling_anyone(
    client, trainer, published, employee
):
    booking_create(session=published, user=employee)
    client.force_login(trainer)

    response = client.post(
        f"/sessions/{published.pk}/edit/", edit_data(published, description="Bring a laptop.")
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Changes saved." in page
    assert "People booked are told" not in page
    assert not Notification.objects.filter(kind="training.session.changed").exists()


def test_submitting_an_unchanged_form_changes_nothing(client, trainer, published):
    client.force_login(trainer)

    response = client.post(f"/sessions/{published.pk}/edit/", edit_data(published))

    assert response.status_code == 302
    assert "Nothing changed" in client.get(response["Location"]).content.decode()
    assert not AuditEvent.objects.filter(action="training.session.updated").exists()


def test_lowering_capacity_below_the_people_booked_is_a_form_error(client, trainer, published):
    for person in UserFactory.create_batch(3):
        booking_create(session=published, user=person)
    client.force_login(trainer)

    response = client.post(f"/sessions/{published.pk}/edit/", edit_data(published, capacity="2"))

    assert response.status_code == 400
    assert "needs at least 3 seats" in response.content.decode()
    published.refresh_from_db()
    assert published.capacity == 3
    assert Booking.objects.filter(status="confirmed").count() == 3


def test_a_published_session_cannot_lose_its_place(client, trainer, published):
    client.force_login(trainer)

    response = client.post(
        f"/sessions/{published.pk}/edit/", edit_data(published, location="", video_url="")
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "location": ["Add a room or a video-call link: people need to know where to go."]
    }
    published.refresh_from_db()
    assert published.location == "Room 3"


def test_a_cancelled_session_cannot_be_edited(client, trainer, published):
    TrainingSession.objects.filter(pk=published.pk).update(status="cancelled")
    client.force_login(trainer)

    response = client.post(f"/sessions/{published.pk}/edit/", edit_data(published, title="New"))

    assert response.status_code == 409
    assert "This session is cancelled." in response.content.decode()
    published.refresh_from_db()
    assert published.title != "New"


def test_ld_staff_may_edit_any_session(client, ld_staff, published):
    client.force_login(ld_staff)

    response = client.post(f"/sessions/{published.pk}/edit/", edit_data(published, title="By L&D"))

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == "By L&D"


@pytest.mark.parametrize("who", ["other_trainer", "employee", "co_trainer"])
def test_only_the_lead_trainer_and_ld_staff_may_edit(client, request, published, who):
    person = co_trainer(published).user if who == "co_trainer" else request.getfixturevalue(who)
    client.force_login(person)

    assert client.get(f"/sessions/{published.pk}/edit/").status_code == 403
    response = client.post(f"/sessions/{published.pk}/edit/", edit_data(published, title="Mine"))

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title != "Mine"


def test_someone_elses_draft_is_not_found(client, other_trainer, draft):
    client.force_login(other_trainer)

    assert client.get(f"/sessions/{draft.pk}/edit/").status_code == 404
    assert client.post(f"/sessions/{draft.pk}/publish/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_unknown_session_is_404_everywhere(client, trainer):
    client.force_login(trainer)

    assert client.get("/sessions/999999/edit/").status_code == 404
    assert client.get("/sessions/999999/cancel-session/").status_code == 404
    assert client.post("/sessions/999999/publish/").status_code == 404
    assert client.post("/sessions/999999/complete/").status_code == 404


def test_edit_answers_other_methods_with_405(client, trainer, published):
    client.force_login(trainer)

    assert client.put(f"/sessions/{published.pk}/edit/").status_code == 405


# --- Publishing --------------------------------------------------------------------------
def test_lead_trainer_publishes_a_draft(client, trainer, draft):
    client.force_login(trainer)

    response = client.post(f"/sessions/{draft.pk}/publish/")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"


def test_publishing_twice_is_a_conflict(client, trainer, published):
    client.force_login(trainer)

    response = client.post(f"/sessions/{published.pk}/publish/")

    assert response.status_code == 409
    assert "Only a draft can be published." in response.content.decode()


def test_a_draft_without_a_place_is_not_published(client, trainer, draft):
    TrainingSession.objects.filter(pk=draft.pk).update(location="", video_url="")
    client.force_login(trainer)

    response = client.post(f"/sessions/{draft.pk}/publish/")

    assert response.status_code == 409
    assert "Add a room or a video-call link" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_co_trainer_sees_the_draft_but_cannot_publish_it(client, draft):
    co = co_trainer(draft).user
    client.force_login(co)

    assert client.get(f"/sessions/{draft.pk}/").status_code == 200
    assert client.post(f"/sessions/{draft.pk}/publish/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publish_refuses_get(client, trainer, draft):
    client.force_login(trainer)

    assert client.get(f"/sessions/{draft.pk}/publish/").status_code == 405


# --- Cancelling --------------------------------------------------------------------------
def test_cancel_asks_for_confirmation_first(client, trainer, published, employee):
    booking_create(session=published, user=employee)
    client.force_login(trainer)

    page = client.get(f"/sessions/{published.pk}/cancel-session/")

    assert page.status_code == 200
    assert "1</strong> person is booked" in page.content.decode()
    published.refresh_from_db()
    assert published.status == "published"


def test_lead_trainer_cancels_and_everyone_is_told_why(client, trainer, published, employee):
    booking_create(session=published, user=employee)
    client.force_login(trainer)

    response = client.post(
        f"/sessions/{published.pk}/cancel-session/", {"reason": "The room flooded."}
    )

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == "cancelled"
    assert Booking.objects.get(user=employee).status == "cancelled"
    notice = Notification.objects.get(recipient=employee, kind="training.session.cancelled")
    assert "The room flooded." in notice.body


def test_a_too_long_reason_is_400_and_cancels_nothing(client, trainer, published):
    client.force_login(trainer)

    response = client.post(f"/sessions/{published.pk}/cancel-session/", {"reason": "x" * 501})

    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    published.refresh_from_db()
    assert published.status == "published"


def test_cancelling_twice_is_a_conflict(client, trainer, published):
    client.force_login(trainer)
    client.post(f"/sessions/{published.pk}/cancel-session/")

    response = client.post(f"/sessions/{published.pk}/cancel-session/")

    assert response.status_code == 409
    assert "already cancelled" in response.content.decode()


@pytest.mark.parametrize("who", ["other_trainer", "employee", "lead"])
def test_others_cannot_cancel_my_session(client, request, published, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(f"/sessions/{published.pk}/cancel-session/").status_code == 403
    assert client.post(f"/sessions/{published.pk}/cancel-session/").status_code == 403
    published.refresh_from_db()
    assert published.status == "published"


# --- Completing --------------------------------------------------------------------------
@pytest.fixture
def held(trainer, skill, employee, other_employee):
    session = TrainingSessionFactory(lead_trainer=trainer, skill=skill, capacity=5)
    booking_create(session=session, user=employee)
    booking_create(session=session, user=other_employee)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    session.refresh_from_db()
    return session


def test_lead_trainer_marks_a_held_session_completed(client, trainer, held, employee):
    client.force_login(trainer)

    response = client.post(f"/sessions/{held.pk}/complete/")

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == "completed"
    assert Attendance.objects.filter(session=held, status="absent").count() == 2
    assert "Marked completed" in client.get(response["Location"]).content.decode()


def test_a_session_still_to_come_cannot_be_completed(client, trainer, published):
    client.force_login(trainer)

    response = client.post(f"/sessions/{published.pk}/complete/")

    assert response.status_code == 409
    assert "hasn&#x27;t started yet" in response.content.decode()
    published.refresh_from_db()
    assert published.status == "published"


@pytest.mark.parametrize("who", ["other_trainer", "employee"])
def test_others_cannot_complete_my_session(client, request, held, who):
    client.force_login(request.getfixturevalue(who))

    assert client.post(f"/sessions/{held.pk}/complete/").status_code == 403
    held.refresh_from_db()
    assert held.status == "published"
    assert not Attendance.objects.exists()


def test_complete_refuses_get(client, trainer, held):
    client.force_login(trainer)

    assert client.get(f"/sessions/{held.pk}/complete/").status_code == 405


# --- The actions on the session page ------------------------------------------------------
def actions_for(session, user, **roles) -> str:
    return render_to_string(
        "training/_manage_actions.html",
        {"session": session, "user": user, "roles": Roles(is_employee=True, **roles)},
    )


def test_lead_trainer_sees_publish_on_a_draft(trainer, draft):
    html = actions_for(draft, trainer, is_trainer=True)

    assert 'data-testid="manage-actions"' in html
    assert f'action="/sessions/{draft.pk}/publish/"' in html
    assert f'href="/sessions/{draft.pk}/edit/"' in html
    assert "Mark completed" not in html


def test_mark_completed_shows_once_the_session_has_started(trainer, held, published):
    assert "Mark completed" in actions_for(held, trainer, is_trainer=True)
    assert "Mark completed" not in actions_for(published, trainer, is_trainer=True)


def test_others_see_no_management_actions(published, employee, other_trainer):
    assert "manage-actions" not in actions_for(published, employee)
    assert "manage-actions" not in actions_for(published, other_trainer, is_trainer=True)
    assert "manage-actions" not in actions_for(published, AnonymousUser())
    assert "manage-actions" in actions_for(published, employee, is_ld_staff=True)


def test_team_leads_get_a_link_to_book_their_team(published, lead):
    html = actions_for(published, lead, is_team_lead=True)

    assert f'href="/sessions/{published.pk}/book-member/"' in html


# --- Service rules added with these pages -------------------------------------------------
def test_series_keeps_its_local_time_across_a_clock_change(trainer, skill):
    # The UK moves its clocks on the last Sunday of March.
    year = timezone.localdate().year + 1
    first = datetime(year, 3, 15, 10, 0, tzinfo=LONDON)

    series = training_series_create(
        trainer=trainer,
        every_weeks=1,
        until=date(year, 4, 12),
        skill=skill,
        title="Clinic",
        starts_at=first.astimezone(ZoneInfo("UTC")),
        ends_at=first.astimezone(ZoneInfo("UTC")) + timedelta(hours=1),
        capacity=4,
        location="Room 1",
        time_zone="Europe/London",
    )

    hours = [s.starts_at.astimezone(LONDON).hour for s in series.occurrences.all()]
    assert hours == [10, 10, 10, 10, 10]


def test_the_lead_is_never_invited_to_co_teach_their_own_session(trainer, published):
    with pytest.raises(SessionError, match="leads this session") as refused:
        training_session_update(session=published, by=trainer, co_trainers=[trainer])

    assert refused.value.field == "co_trainers"
    assert not CoTrainer.objects.exists()


def test_a_session_cannot_be_moved_into_the_past(trainer, published):
    with pytest.raises(SessionError, match="in the future") as refused:
        training_session_update(
            session=published,
            by=trainer,
            starts_at=timezone.now() - timedelta(hours=1),
            ends_at=timezone.now(),
        )
    assert refused.value.field == "starts_at"


def test_programme_choice_lists_active_programmes(client, trainer, skill):
    active = ProgrammeFactory(title="Data literacy")
    draft_programme = ProgrammeFactory(title="Secret plan", status="draft")
    client.force_login(trainer)

    html = client.get("/sessions/new/").content.decode()

    assert active.title in html
    assert draft_programme.title not in html


def test_proposing_can_link_a_programme(client, trainer, skill):
    programme = ProgrammeFactory()
    client.force_login(trainer)

    client.post("/sessions/new/", proposal(skill, programme=programme.pk))

    assert TrainingSession.objects.get().programme == programme


def test_a_time_the_clocks_skip_is_refused_with_a_message(client, trainer, skill):
    # 01:30 on the last Sunday of March doesn't exist in London.
    year = timezone.localdate().year + 1
    sunday = max(date(year, 3, day) for day in range(25, 32) if date(year, 3, day).weekday() == 6)
    client.force_login(trainer)

    response = client.post(
        "/sessions/new/",
        proposal(skill, starts_at=f"{sunday}T01:30", ends_at=f"{sunday}T03:00"),
    )

    assert response.status_code == 400
    assert "be interpreted in time zone Europe/London" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_an_absurd_session_id_is_404_not_500(client, trainer):
    client.force_login(trainer)

    assert client.get("/sessions/99999999999999999999999/edit/").status_code == 404
