"""Ids in URLs are bounded to what a database id holds: a 20-digit id is a 404, never an
overflow in the database driver (a 500)."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", f"/sessions/{HUGE}/book/"),
        ("post", f"/sessions/{HUGE}/cancel/"),
        ("post", f"/sessions/{HUGE}/claim/"),
        ("get", f"/sessions/{HUGE}/"),
        ("post", f"/sessions/1/attendance/{HUGE}/approve/"),
        ("post", f"/sessions/1/attendance/{HUGE}/"),
        ("post", f"/sessions/interest/{HUGE}/"),
        ("get", f"/skills/people/{HUGE}/"),
        ("get", f"/programmes/{HUGE}/"),
    ],
)
def test_a_huge_id_is_not_found(client, employee, method, path):
    client.force_login(employee)

    assert getattr(client, method)(path).status_code == 404


def test_the_largest_id_a_url_takes_is_still_answered(client, employee):
    client.force_login(employee)

    assert client.get("/sessions/999999999999999999/").status_code == 404


def test_a_calendar_feed_token_with_odd_characters_is_not_found(client):
    assert client.get("/sessions/calendar/%00.ics").status_code == 404
