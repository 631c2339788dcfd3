"""One "back to where you were" rule for every form: follow ``next`` only within the site."""

import pytest
from django.test import RequestFactory

from peertrain.core.redirects import safe_next_url

FALLBACK = "/fallback/"


@pytest.fixture
def rf():
    return RequestFactory()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_on_site_path_is_followed(rf, method):
    request = getattr(rf, method)("/form/", {"next": "/skills/gaps/?priority=3"})

    assert safe_next_url(request, FALLBACK) == "/skills/gaps/?priority=3"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/skills/gaps/",
        "javascript:alert(1)",
        "",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_off_site_or_empty_next_is_ignored(rf, method, target):
    request = getattr(rf, method)("/form/", {"next": target})

    assert safe_next_url(request, FALLBACK) == FALLBACK


def test_without_next_the_fallback_is_used(rf):
    assert safe_next_url(rf.post("/form/"), FALLBACK) == FALLBACK


def test_a_secure_page_never_sends_people_on_to_plain_http(rf):
    same_host = "http://testserver/skills/gaps/"

    assert safe_next_url(rf.get("/form/", {"next": same_host}, secure=True), FALLBACK) == FALLBACK
    assert safe_next_url(rf.get("/form/", {"next": same_host}), FALLBACK) == same_host


# --- Each place that sends people back uses it --------------------------------------------------
@pytest.mark.django_db
def test_admin_sign_in_follows_an_on_site_next_only(client, ld_staff):
    client.force_login(ld_staff)

    assert client.get("/admin/login/", {"next": "/admin/programmes/skill/"})["Location"] == (
        "/admin/programmes/skill/"
    )
    assert client.get("/admin/login/", {"next": "https://evil.example/"})["Location"] == "/admin/"
    insecure = client.get("/admin/login/", {"next": "http://testserver/x/"}, secure=True)
    assert insecure["Location"] == "/admin/"
