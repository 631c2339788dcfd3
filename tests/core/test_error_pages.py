"""With DEBUG off, every error page is PeerTrain's own: the layout and its navigation, what
happened in plain words, a way back home, and never a stack trace, a setting or the URL list.
The 400 and 500 pages are drawn without a request or the database (a failing database may be
why they are shown)."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings

from peertrain.core.views import server_error

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.core.error_page_urls"),
]
LEAKS = ["Traceback", "secret_internal_detail", "ZeroDivisionError", "DEBUG", "URLconf"]


@pytest.fixture
def browser():
    """A client that gets the error page a browser would, instead of the exception."""
    with override_settings(DEBUG=False):
        yield Client(raise_request_exception=False)


def assert_our_page(response, status: int, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert 'class="navbar-brand fw-semibold" href="/"' in page  # the product's layout
    assert "/static/css/peertrain.css" in page
    assert heading in page
    assert 'data-testid="way-back"' in page
    assert '<a class="btn btn-primary" href="/">Back to my home</a>' in page
    assert [leak for leak in LEAKS if leak in page] == []
    return page


def test_a_wrong_address_is_our_not_found_page_without_the_url_list(browser, employee):
    browser.force_login(employee)

    page = assert_our_page(browser.get("/no/such/page/"), 404, "Nothing here")

    assert "<title>Not found · PeerTrain</title>" in page
    assert "doesn't exist, or you can't see it" in page
    assert "fail/&lt;str:kind&gt;" not in page
    assert "Resolver404" not in page
    assert 'data-testid="main-nav"' in page  # a signed-in person keeps their navigation


def test_a_missing_object_says_what_is_missing(browser, employee):
    browser.force_login(employee)

    page = assert_our_page(browser.get("/fail/not-found/"), 404, "Nothing here")

    assert "No such session." in page


def test_a_missing_row_does_not_name_the_model(browser, employee):
    browser.force_login(employee)

    page = assert_our_page(browser.get("/fail/no-object/"), 404, "Nothing here")

    assert "TrainingSession" not in page
    assert "doesn't exist, or you can't see it" in page


def test_a_refusal_is_our_forbidden_page_with_its_reason(browser, employee):
    browser.force_login(employee)

    page = assert_our_page(browser.get("/fail/forbidden/"), 403, "You can't open this page")

    assert "<title>Not allowed · PeerTrain</title>" in page
    assert "The skills matrix is for team leads and L&amp;D staff." in page
    assert 'data-testid="main-nav"' in page


def test_a_malformed_request_is_our_bad_request_page(browser, employee):
    browser.force_login(employee)

    page = assert_our_page(browser.get("/fail/bad-request/"), 400, "didn't make sense")

    assert "<title>Bad request · PeerTrain</title>" in page
    assert "sessionid" not in page


def test_a_bug_is_our_server_error_page_without_a_stack_trace(browser, employee):
    browser.force_login(employee)

    page = assert_our_page(browser.get("/fail/bug/"), 500, "Something went wrong on our side")

    assert "<title>Something went wrong · PeerTrain</title>" in page


def test_signed_out_people_get_the_same_pages(browser):
    assert_our_page(browser.get("/no/such/page/"), 404, "Nothing here")
    assert_our_page(browser.get("/fail/bug/"), 500, "Something went wrong on our side")


def test_the_server_error_page_needs_no_database_and_no_request_context(
    django_assert_num_queries,
):
    """What draws the 500 page runs no query, so a broken database can't break it too, and it
    reads nothing the context processors would give (the signed-in user, the navigation)."""
    request = RequestFactory().get("/anything/")  # no session, no user: middleware never ran

    def refuse(*args):
        raise AssertionError("the 500 page touched the database")

    with django_assert_num_queries(0), connection.execute_wrapper(refuse):
        response = server_error(request)

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_an_expired_form_is_our_page_too(employee):
    """A form sent from a stale page (or with cookies off) fails Django's CSRF check."""
    with override_settings(DEBUG=False):
        browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
        browser.force_login(employee)

        response = browser.post("/account/profile/privacy/")
        page = assert_our_page(response, 403, "That form had expired")

    assert "<title>Form expired · PeerTrain</title>" in page
    assert "CSRF verification failed" not in page
