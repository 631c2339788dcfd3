"""The session list's filters: the skill and programme choices (one query for the options
and the check) and the date range (local days, compared on ``starts_at`` itself)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from programmes.models import Programme, Skill
from sessions.forms import SessionFilterForm
from sessions.models import TrainingSession
from sessions.selectors import SessionFilters, upcoming_sessions
from sessions.views.listing import SESSIONS_PER_PAGE

from ..factories import ProgrammeFactory, SkillFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sql(db):
    return SkillFactory(name="SQL", category="Data")


@pytest.fixture
def onboarding(db):
    return ProgrammeFactory(title="Onboarding")


# --- Skill and programme choices -------------------------------------------------------
@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize("chosen", [(), ("skill",), ("programme",), ("skill", "programme")])
def test_choosing_a_skill_or_programme_costs_no_extra_query(
    client, employee, django_assert_num_queries, sql, onboarding, rows, chosen
):
    TrainingSessionFactory.create_batch(rows, skill=sql, programme=onboarding)
    params = {"skill": sql.pk, "programme": onboarding.pk}
    client.force_login(employee)
    client.get("/sessions/")  # the first request after login also touches the session

    # session, user, L&D role check, the page of sessions, my bookings on them (their
    # states), the form's skills and programmes
    with django_assert_num_queries(7):
        response = client.get("/sessions/", {name: params[name] for name in chosen})

    assert response.status_code == 200
    assert response.content.decode().count('class="card mb-3"') == min(rows, SESSIONS_PER_PAGE)


@pytest.mark.parametrize(
    "params",
    [
        {"skill": "999999"},
        {"skill": "x"},
        {"skill": "1.5"},
        {"skill": "99999999999999999999"},
        {"programme": "999999"},
        {"programme": "CLOSED"},
    ],
)
def test_an_unknown_or_malformed_choice_is_answered_400(client, employee, sql, params):
    closed = ProgrammeFactory(title="Last year", status=Programme.Status.CLOSED)
    params = {key: str(closed.pk) if v == "CLOSED" else v for key, v in params.items()}
    client.force_login(employee)

    response = client.get("/sessions/", params)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in page
    assert f'<option value="{sql.pk}">SQL</option>' in page  # the options still render


def test_a_chosen_skill_is_the_row_itself(sql):
    form = SessionFilterForm({"skill": f" {sql.pk} "})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["skill"] == sql
    assert form.filters().skill == sql.pk


def test_options_and_the_check_share_one_query_per_choice_field(django_assert_num_queries, sql):
    form = SessionFilterForm({"skill": sql.pk})

    with django_assert_num_queries(2):  # skills, programmes
        assert form.is_valid()
        html = form.as_div()

    assert f'<option value="{sql.pk}" selected>SQL</option>' in html


def test_options_keep_their_labels_and_order(sql, onboarding):
    SkillFactory(name="Coaching", category="People")
    SkillFactory(name="Accessibility", category="Web")
    ProgrammeFactory(title="Older", starts_on=date(2020, 1, 1))
    ProgrammeFactory(title="Draft", status=Programme.Status.DRAFT)
    form = SessionFilterForm()

    assert list(form.fields["skill"].choices) == [
        ("", "---------"),
        *((skill.pk, skill.name) for skill in Skill.objects.order_by("category", "name")),
    ]
    assert [label for _, label in form.fields["programme"].choices] == [
        "---------",
        "Onboarding",
        "Older",
    ]


# --- Date range ------------------------------------------------------------------------
def at(zone: str, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold)


def sessions_at(**starts: datetime) -> None:
    for title, starts_at in starts.items():
        TrainingSessionFactory(title=title, starts_at=starts_at)


def titles_between(zone: str, date_from: date | None, date_to: date | None) -> set[str]:
    """What the list shows for the range in ``zone``, checked against the local-date
    comparison the selector used before (the database converting each start to a date)."""
    with timezone.override(zone):
        shown = {
            s.title
            for s in upcoming_sessions(filters=SessionFilters(date_from=date_from, date_to=date_to))
        }
        by_local_date = TrainingSession.objects.filter(
            status=TrainingSession.Status.PUBLISHED, starts_at__gt=timezone.now()
        )
        if date_from:
            by_local_date = by_local_date.filter(starts_at__date__gte=date_from)
        if date_to:
            by_local_date = by_local_date.filter(starts_at__date__lte=date_to)
        assert shown == {s.title for s in by_local_date}
    return shown


def test_a_range_takes_whole_local_days_from_midnight_to_2359():
    zone = "Asia/Kolkata"  # +05:30: a local day starts and ends mid-way through a UTC day
    sessions_at(
        before=at(zone, 2030, 6, 9, 23, 59),
        first=at(zone, 2030, 6, 10, 0, 0),
        last=at(zone, 2030, 6, 12, 23, 59, 59),
        after=at(zone, 2030, 6, 13, 0, 0),
    )

    assert titles_between(zone, date(2030, 6, 10), date(2030, 6, 12)) == {"first", "last"}
    assert titles_between(zone, date(2030, 6, 10), None) == {"first", "last", "after"}
    assert titles_between(zone, None, date(2030, 6, 12)) == {"before", "first", "last"}
    assert titles_between(zone, date(2030, 6, 13), date(2030, 6, 13)) == {"after"}


def test_the_range_follows_the_current_time_zone():
    sessions_at(evening=at("Europe/London", 2030, 6, 10, 23, 30))  # 11 June in Berlin

    assert titles_between("Europe/London", date(2030, 6, 10), date(2030, 6, 10)) == {"evening"}
    assert titles_between("Europe/Berlin", date(2030, 6, 10), date(2030, 6, 10)) == set()
    assert titles_between("Europe/Berlin", date(2030, 6, 11), date(2030, 6, 11)) == {"evening"}


def test_a_range_across_the_end_of_summer_time():
    zone = "Europe/London"  # 27 Oct 2030, 02:00 BST → 01:00 GMT
    sessions_at(
        sat_late=at(zone, 2030, 10, 26, 23, 59),  # 22:59 UTC
        sun_midnight=at(zone, 2030, 10, 27, 0, 0),  # 23:00 UTC on the 26th
        sun_1_30_bst=at(zone, 2030, 10, 27, 1, 30),
        sun_1_30_gmt=at(zone, 2030, 10, 27, 1, 30, fold=1),
        sun_late=at(zone, 2030, 10, 27, 23, 59),
        mon_midnight=at(zone, 2030, 10, 28, 0, 0),
    )
    sunday = {"sun_midnight", "sun_1_30_bst", "sun_1_30_gmt", "sun_late"}

    assert titles_between(zone, date(2030, 10, 27), date(2030, 10, 27)) == sunday
    assert titles_between(zone, None, date(2030, 10, 26)) == {"sat_late"}
    assert titles_between(zone, date(2030, 10, 26), date(2030, 10, 28)) == {
        "sat_late",
        *sunday,
        "mon_midnight",
    }


def test_a_range_starting_on_a_day_whose_midnight_is_skipped():
    zone = "America/Santiago"  # 8 Sep 2030: 00:00 -04 jumps to 01:00 -03
    sessions_at(
        sat_late=at(zone, 2030, 9, 7, 23, 59),
        sun_first=at(zone, 2030, 9, 8, 1, 0),
        sun_late=at(zone, 2030, 9, 8, 23, 59),
    )

    assert titles_between(zone, date(2030, 9, 8), None) == {"sun_first", "sun_late"}
    assert titles_between(zone, None, date(2030, 9, 7)) == {"sat_late"}


def test_a_range_ending_before_an_hour_repeated_at_midnight():
    zone = "America/Santiago"  # 6 Apr 2030: 24:00 -03 goes back to 23:00 -04
    sessions_at(
        sat_first_2330=at(zone, 2030, 4, 6, 23, 30),
        sat_second_2330=at(zone, 2030, 4, 6, 23, 30, fold=1),
        sun_midnight=at(zone, 2030, 4, 7, 0, 0),
    )

    assert titles_between(zone, None, date(2030, 4, 6)) == {"sat_first_2330", "sat_second_2330"}
    assert titles_between(zone, date(2030, 4, 7), None) == {"sun_midnight"}


def test_dates_at_the_ends_of_the_calendar_are_not_an_error(client, employee):
    sessions_at(pairing_next_week=timezone.now() + timedelta(days=7))

    # Midnight of 1 Jan year 1 in Tokyo, or of 31 Dec 9999 in New York, is outside what
    # Python can hold in UTC.
    with timezone.override("Asia/Tokyo"):
        widest = SessionFilters(date_from=date.min, date_to=date.max)
        assert [s.title for s in upcoming_sessions(filters=widest)] == ["pairing_next_week"]
    with timezone.override("America/New_York"):
        last_day = SessionFilters(date_from=date.max)
        assert not upcoming_sessions(filters=last_day).exists()
    client.force_login(employee)
    response = client.get("/sessions/", {"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert response.status_code == 200
    assert "pairing_next_week" in response.content.decode()


def test_filters_fold_away_until_one_is_in_use(client, employee):
    client.force_login(employee)

    folded = client.get("/sessions/").content.decode()
    unfolded = client.get("/sessions/", {"q": "sql", "format": "workshop", "has_seats": "on"})

    assert '<details class="session-filters mb-2">' in folded
    page = unfolded.content.decode()
    assert '<details class="session-filters mb-2" open>' in page
    assert "More filters (2 in use)" in page  # the search box stays outside the fold
