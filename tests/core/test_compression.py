import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_gzipped_for_browsers_that_ask(client, employee):
    client.force_login(employee)

    response = client.get("/sessions/", headers={"Accept-Encoding": "gzip, deflate, br"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Upcoming sessions" in gzip.decompress(response.content).decode()


def test_pages_are_plain_for_clients_that_dont(client, employee):
    client.force_login(employee)

    response = client.get("/sessions/")

    assert not response.has_header("Content-Encoding")
    assert "Upcoming sessions" in response.content.decode()
