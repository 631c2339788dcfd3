"""My profile (/account/profile/): name, job title, time zone, language, skill privacy, and
the way to my notification choices -- always my own."""

import zoneinfo
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peertrain.accounts.services import ProfileError, user_update_profile
from peertrain.audit.models import AuditEvent

from ..factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db

PROFILE = "/account/profile/"
PRIVACY = "/account/profile/privacy/"


def profile_input(**overrides) -> dict[str, str]:
    values = {
        "display_name": "Eli M.",
        "job_title": "Data analyst",
        "time_zone": "Asia/Tokyo",
        "language": "en-gb",
    }
    return {**values, **overrides}


@pytest.fixture
def signed_in(client, employee):
    client.force_login(employee)
    return client


# --- The page --------------------------------------------------------------------------------
def test_profile_page_shows_my_own_details(signed_in, employee):
    employee.job_title = "Data analyst"
    employee.save()

    response = signed_in.get(PROFILE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>My profile · PeerTrain</title>" in page
    assert 'value="Eli Moreno"' in page
    assert 'value="Data analyst"' in page
    assert 'value="Europe/London"' in page
    assert '<option value="America/New_York"></option>' in page  # the searchable list
    assert 'list="time-zone-names"' in page
    assert '<option value="en-gb" selected>English</option>' in page
    assert 'data-testid="privacy-form"' in page


def test_account_menu_offers_my_profile_first(signed_in):
    page = signed_in.get("/").content.decode()
    menu = page[page.index('data-testid="account-menu"') :]

    assert menu.index(f'href="{PROFILE}"') < menu.index('href="/accounts/password/change/"')


def test_profile_needs_a_signed_in_person(client):
    for response in (client.get(PROFILE), client.post(PROFILE, profile_input())):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_profile_refuses_other_methods(signed_in):
    assert signed_in.put(PROFILE).status_code == 405
    assert signed_in.delete(PROFILE).status_code == 405


def test_no_profile_address_names_a_person():
    """Each profile URL is about whoever is signed in: none takes an id."""
    from peertrain.accounts import profile_urls

    assert [pattern.pattern.converters for pattern in profile_urls.urlpatterns] == [{}, {}]


def test_profile_page_queries_stay_flat(signed_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert signed_in.get(PROFILE).status_code == 200


# --- Saving ----------------------------------------------------------------------------------
def test_saving_my_profile_changes_my_account(signed_in, employee):
    response = signed_in.post(PROFILE, profile_input())

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    employee.refresh_from_db()
    assert (employee.display_name, employee.job_title) == ("Eli M.", "Data analyst")
    assert (employee.time_zone, employee.language) == ("Asia/Tokyo", "en-gb")
    assert "Your profile is saved." in signed_in.get(PROFILE).content.decode()


def test_a_post_changes_only_the_person_signed_in(signed_in, employee, other_employee):
    """Extra fields naming someone else are ignored: the form has no such input."""
    signed_in.post(PROFILE, {**profile_input(), "user": other_employee.pk, "id": other_employee.pk})

    other_employee.refresh_from_db()
    assert other_employee.display_name == "Olu Adeyemi"
    assert other_employee.time_zone == "Europe/London"
    employee.refresh_from_db()
    assert employee.time_zone == "Asia/Tokyo"


def test_an_unknown_time_zone_is_refused_beside_its_field(signed_in, employee):
    response = signed_in.post(PROFILE, profile_input(time_zone="Mars/Olympus_Mons"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "is not a time zone we know" in page
    assert 'id="error_1_id_time_zone"' in page  # crispy's error under the input
    employee.refresh_from_db()
    assert (employee.display_name, employee.time_zone) == ("Eli Moreno", "Europe/London")


def test_a_too_long_name_is_refused_beside_its_field(signed_in, employee):
    response = signed_in.post(PROFILE, profile_input(display_name="x" * 151))

    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 150 characters" in page
    assert 'id="error_1_id_display_name"' in page
    employee.refresh_from_db()
    assert (employee.display_name, employee.time_zone) == ("Eli Moreno", "Europe/London")


@pytest.mark.parametrize(
    ("field", "value"),
    [("language", "fr"), ("time_zone", ""), ("job_title", "two\nlines"), ("time_zone", "Europe")],
)
def test_bad_input_is_a_400_and_saves_nothing(signed_in, employee, field, value):
    response = signed_in.post(PROFILE, profile_input(**{field: value}))

    assert response.status_code == 400
    employee.refresh_from_db()
    assert employee.display_name == "Eli Moreno"
    assert not AuditEvent.objects.filter(action="accounts.profile.updated").exists()


def test_the_service_refuses_what_a_form_might_let_through(employee):
    with pytest.raises(ProfileError) as refusal:
        user_update_profile(
            user=employee, display_name="Eli", job_title="", time_zone="UTC+1", language="en-gb"
        )
    assert refusal.value.field == "time_zone"

    with pytest.raises(ProfileError) as refusal:
        user_update_profile(
            user=employee, display_name="Eli", job_title="", time_zone="UTC", language="xx"
        )
    assert refusal.value.field == "language"
    employee.refresh_from_db()
    assert employee.display_name == "Eli Moreno"


def test_a_change_is_audited_with_what_changed_and_saving_again_adds_nothing(employee):
    for _ in range(2):
        user_update_profile(
            user=employee,
            display_name="Eli Moreno",
            job_title=employee.job_title,
            time_zone="America/New_York",
            language="en-gb",
        )

    [event] = AuditEvent.objects.filter(action="accounts.profile.updated")
    assert event.actor == employee
    assert event.data == {"changed": {"time_zone": ["Europe/London", "America/New_York"]}}


def test_language_is_stored_and_pages_are_served_in_it(signed_in, employee):
    signed_in.post(PROFILE, profile_input(language="en-gb"))

    employee.refresh_from_db()
    assert employee.language == "en-gb"
    response = signed_in.get(PROFILE)
    assert response["Content-Language"] == "en-gb"
    assert '<html lang="en-gb">' in response.content.decode()


def test_a_language_the_site_no_longer_offers_falls_back_to_the_sites(signed_in, employee):
    employee.language = "de"  # offered once, say, then withdrawn
    employee.save()

    assert signed_in.get(PROFILE)["Content-Language"] == "en-gb"


# --- Times in my time zone --------------------------------------------------------------------
def test_my_time_zone_change_shows_in_session_times(signed_in, employee):
    session = TrainingSessionFactory(starts_at=datetime(2031, 1, 15, 12, 0, tzinfo=UTC))
    detail = f"/sessions/{session.pk}/"
    assert "12:00" in signed_in.get(detail).content.decode()  # London in January: UTC

    signed_in.post(PROFILE, profile_input(time_zone="Asia/Tokyo"))

    page = signed_in.get(detail).content.decode()
    assert "Wednesday 15 January 2031, 21:00" in page
    assert "(your time, JST)" in page


def test_my_profile_says_what_time_it_is_in_my_zone(signed_in, employee):
    signed_in.post(PROFILE, profile_input(time_zone="Pacific/Kiritimati"))  # UTC+14
    kiritimati = zoneinfo.ZoneInfo("Pacific/Kiritimati")
    before = timezone.now().astimezone(kiritimati)
    page = signed_in.get(PROFILE).content.decode()
    after = timezone.now().astimezone(kiritimati)

    assert "Saved time zone: Pacific/Kiritimati" in page
    assert f"it is {before:%H}:" in page or f"it is {after:%H}:" in page


# --- Skill privacy: the same form and service as on my skills page ------------------------------
def test_privacy_from_my_profile_saves_and_comes_back_to_my_profile(signed_in, employee):
    response = signed_in.post(
        PRIVACY, {"share_skill_levels": "on", "suggest_me_as_teacher": "on", "next": PROFILE}
    )

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    employee.refresh_from_db()
    assert employee.share_skill_levels
    assert employee.suggest_me_as_teacher
    [event] = AuditEvent.objects.filter(action="accounts.skill_privacy.updated")
    assert event.data == {"share_skill_levels": True, "suggest_me_as_teacher": True}


def test_privacy_from_my_skills_page_goes_back_there(signed_in):
    skills_page = signed_in.get("/skills/").content.decode()
    assert 'name="next" value="/skills/"' in skills_page

    response = signed_in.post(PRIVACY, {"share_skill_levels": "on", "next": "/skills/"})

    assert response["Location"] == "/skills/"


def test_privacy_never_sends_me_off_site(signed_in):
    response = signed_in.post(PRIVACY, {"next": "https://evil.example/"})

    assert response["Location"] == PROFILE


# --- Notifications ---------------------------------------------------------------------------
def test_profile_links_to_notification_preferences(signed_in):
    page = signed_in.get(PROFILE).content.decode()

    assert reverse("notifications:preferences") == "/account/notifications/"
    assert 'href="/account/notifications/" data-testid="notification-preferences"' in page
    assert signed_in.get("/account/notifications/").status_code == 200
