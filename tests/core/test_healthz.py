import pytest

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_database_and_broker_are_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_names_the_broker_when_it_is_unreachable(client, broker_unreachable):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert body["database"]["ok"] is True


def test_pages_still_render_while_the_broker_is_down(client, employee, broker_unreachable):
    client.force_login(employee)

    assert client.get("/").status_code == 200
    assert client.get("/accounts/login/").status_code == 302  # signed in already → home


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
