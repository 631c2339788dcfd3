"""/account/notifications/: people choose which optional messages they get; transactional
ones are shown, locked. Each person sees and changes their own choices only."""

import pytest

from peertrain.notifications.kinds import kinds
from peertrain.notifications.models import NotificationPreference

URL = "/account/notifications/"
FEEDBACK = "training.feedback.requested"
REMINDER = "training.reminder.24h"

pytestmark = pytest.mark.django_db


def all_optional_except(*codes: str) -> list[str]:
    return [
        f"{code}@email" for code, kind in kinds().items() if kind.optional and code not in codes
    ]


def off_for(user) -> set[str]:
    return set(
        NotificationPreference.objects.filter(user=user, enabled=False).values_list(
            "kind", flat=True
        )
    )


def is_on(page: str, kind: str) -> bool:
    """Whether the switch for ``kind`` by email is rendered ticked."""
    rest_of_tag = page.split(f'value="{kind}@email"', 1)[1].split(">", 1)[0]
    return "checked" in rest_of_tag


def test_signing_in_is_required(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_lists_switches_and_the_locked_kinds(client, employee):
    client.force_login(employee)

    page = client.get(URL).content.decode()

    assert "Feedback requests after a session" in page
    assert f'value="{FEEDBACK}@email"' in page
    always = page.split('data-testid="always-sent"', 1)[1]
    assert "A seat was given to you from the waitlist" in always
    assert "A session you&#x27;re booked on was cancelled" in always
    assert always.count("Account emails") == 1  # one line for every account mail
    assert 'value="training.booking.promoted@email"' not in page  # locked: no switch


def test_the_account_menu_links_to_it(client, employee):
    client.force_login(employee)

    assert f'href="{URL}"' in client.get("/").content.decode()


def test_switching_a_kind_off_and_on_again(client, employee):
    client.force_login(employee)

    response = client.post(URL, {"on": all_optional_except(FEEDBACK, REMINDER)})
    assert response.status_code == 302
    assert off_for(employee) == {FEEDBACK, REMINDER}
    page = client.get(URL).content.decode()
    assert "Your notification choices are saved." in page
    assert not is_on(page, FEEDBACK)
    assert is_on(page, "training.seat.offered")

    client.post(URL, {"on": all_optional_except(REMINDER)})
    assert off_for(employee) == {REMINDER}


def test_a_locked_kind_posted_is_refused_and_nothing_is_saved(client, employee):
    client.force_login(employee)

    response = client.post(
        URL, {"on": [*all_optional_except(FEEDBACK), "account.password_reset_key@email"]}
    )

    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert "is not one of the available choices" in response.content.decode()
    assert off_for(employee) == set()


def test_nobody_can_change_someone_elses_choices(client, employee, other_employee):
    client.force_login(other_employee)

    client.post(URL, {"on": [], "user": employee.pk, "user_id": employee.pk})

    assert off_for(employee) == set()
    assert FEEDBACK in off_for(other_employee)
    client.force_login(employee)
    page = client.get(URL).content.decode()
    assert is_on(page, FEEDBACK)


def test_other_methods_are_refused(client, employee):
    client.force_login(employee)

    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


@pytest.mark.parametrize("switched_off", [0, 8])
def test_query_count_is_flat(client, employee, data_query_budget, switched_off):
    optional = [code for code, kind in kinds().items() if kind.optional]
    client.force_login(employee)
    client.post(URL, {"on": all_optional_except(*optional[:switched_off])})

    # session, user, the person's choices, the navigation's role checks
    with data_query_budget(5):
        assert client.get(URL).status_code == 200
