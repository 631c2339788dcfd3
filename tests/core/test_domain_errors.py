"""One domain error, one place that answers it: a 4xx page, an htmx alert, or a form error
beside its input. And no app invents an error type of its own beside it."""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from peertrain.core.errors import HTMX_ERROR_TARGET, DomainError, form_error

from .domain_error_urls import Busy, Refused

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.domain_error_urls")]
HTMX = {"HX-Request": "true"}
ROOT = Path(settings.BASE_DIR)


# --- The page ----------------------------------------------------------------------------
def test_a_refusal_is_a_page_with_its_status_and_message(client, employee):
    client.force_login(employee)

    response = client.get("/raise/refused/")

    assert response.status_code == 409
    page = response.content.decode()
    assert "<html" in page
    assert "That can&#x27;t happen &lt;b&gt;twice&lt;/b&gt;." in page  # escaped, never markup
    assert "Nothing was changed." in page
    assert "Retry-After" not in response


def test_a_bad_input_error_without_a_form_is_a_400_page(client, employee):
    client.force_login(employee)

    assert client.post("/raise/bad/").status_code == 400


def test_a_busy_refusal_says_when_to_try_again(client, employee):
    client.force_login(employee)

    response = client.post("/raise/busy/")

    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert "Too busy right now." in response.content.decode()


def test_the_way_back_is_the_page_the_person_came_from_when_it_is_ours(client, employee):
    client.force_login(employee)

    ours = client.post("/raise/refused/", headers={"Referer": "http://testserver/sessions/?q=1"})
    foreign = client.post("/raise/refused/", headers={"Referer": "https://evil.example/x"})
    none = client.post("/raise/refused/")
    posted_next = client.post(
        "/raise/refused/", {"next": "/skills/"}, headers={"Referer": "http://testserver/x"}
    )

    assert ours.context["back"] == "/sessions/?q=1"
    assert foreign.context["back"] == "/"
    assert none.context["back"] == "/"
    assert posted_next.context["back"] == "/skills/"


def test_any_other_exception_is_still_a_bug(client, employee):
    client.force_login(employee)

    with pytest.raises(ValueError, match="a bug"):
        client.get("/raise/bug/")


# --- The htmx partial --------------------------------------------------------------------
def test_an_htmx_refusal_is_an_alert_shown_over_the_page(client, employee):
    client.force_login(employee)

    response = client.post("/raise/refused/", headers=HTMX)

    assert response.status_code == 409
    alert = response.content.decode()
    assert "<html" not in alert
    assert 'role="alert"' in alert
    assert "That can&#x27;t happen &lt;b&gt;twice&lt;/b&gt;. Nothing was changed." in alert
    # The element the request targeted (a booking panel, a row) stays as it was.
    assert response["HX-Retarget"] == HTMX_ERROR_TARGET
    assert response["HX-Reswap"] == "innerHTML"


def test_every_page_has_the_region_htmx_refusals_land_in(client, employee):
    client.force_login(employee)

    page = client.get("/sessions/").content.decode()

    assert f'id="{HTMX_ERROR_TARGET[1:]}"' in page
    assert 'aria-live="assertive"' in page


def test_an_htmx_busy_refusal_keeps_retry_after(client, employee):
    client.force_login(employee)

    response = client.post("/raise/busy/", headers=HTMX)

    assert (response.status_code, response["Retry-After"]) == (503, "7")


# --- Form errors -------------------------------------------------------------------------
class NameForm(forms.Form):
    name = forms.CharField()
    domain_error_fields = {"title": "name"}  # the service says "title", the form "name"


def bound_form() -> NameForm:
    form = NameForm({"name": "Ada"})
    assert form.is_valid()
    return form


def test_a_form_error_shows_beside_its_field():
    form = bound_form()

    status = form_error(form, DomainError("Pick another name.", field="name"))

    assert status == 400
    assert form.errors == {"name": ["Pick another name."]}


def test_a_form_maps_the_services_field_name_to_its_own():
    form = bound_form()

    form_error(form, Refused("Taken already.", field="title"))

    assert form.errors == {"name": ["Taken already."]}


def test_a_refusal_beside_an_input_just_sent_is_a_bad_input():
    form = bound_form()

    assert form_error(form, Refused("Taken already.", field="name")) == 400


def test_an_error_about_no_field_of_the_form_shows_above_it_with_its_own_status():
    for error in (Refused("Refused as a whole."), Refused("Refused.", field="colour")):
        form = bound_form()

        status = form_error(form, error)

        assert status == 409
        assert form.non_field_errors() == [error.message]
        assert "name" not in form.errors


def test_a_403_or_503_stands_wherever_it_shows():
    class NotYours(DomainError):
        status_code = 403

    assert form_error(bound_form(), NotYours("Not yours.", field="name")) == 403
    assert form_error(bound_form(), Busy("Busy.")) == 503


# --- One error type ----------------------------------------------------------------------
def our_apps():
    """The apps of this repository outside the core (``peertrain``): the domain apps and
    whatever sits above them."""
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(ROOT) or "site-packages" in path.parts:
            continue  # Django's and third-party apps (a virtualenv may live in the checkout)
        if not config.name.startswith("peertrain"):
            yield config


def exception_classes(config):
    """Every exception class defined in the app's modules (its tests excepted)."""
    package = importlib.import_module(config.name)
    names = [config.name] + [
        info.name for info in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}.")
    ]
    for name in names:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == name:
                yield cls


def test_the_walk_sees_the_domain_apps_and_their_errors():
    labels = {config.label for config in our_apps()}
    found = {cls.__name__ for config in our_apps() for cls in exception_classes(config)}

    assert {"programmes", "trainers", "training"} <= labels
    assert {"BookingError", "SessionError", "AssessmentError", "ProgrammeError"} <= found


def test_every_error_outside_the_core_is_a_domain_error():
    strays = [
        f"{cls.__module__}.{cls.__qualname__}"
        for config in our_apps()
        for cls in exception_classes(config)
        if not issubclass(cls, DomainError)
    ]

    assert strays == []


def python_files():
    for top in ("peertrain", *(Path(config.path).name for config in our_apps())):
        yield from (ROOT / top).rglob("*.py")


def test_no_code_catches_http404_or_permission_denied_as_control_flow():
    """An access helper's 404/403 is the answer; a refusal to show on a form is a DomainError."""
    caught = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {
                    getattr(part, "id", getattr(part, "attr", None)) for part in ast.walk(node.type)
                }
                if names & {"Http404", "PermissionDenied"}:
                    caught.append(f"{path.relative_to(ROOT)}:{node.lineno}")

    assert caught == []
