"""Every admin form that picks a related row by id (autocomplete or raw id) answers junk ids
with a form error, never a 500: posted (the form is drawn again with the bad value), given
as an initial value in the query string (ignored), or typed into the autocomplete search.

The cases are worked out from the admin site's registry, so a ModelAdmin added later is
walked too.
"""

import re

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from peertrain.core.admin import AdminInputMixin, SafeWidgetsMixin

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

# Not a number, a NUL byte (PostgreSQL refuses it in any text), a number of the wrong kind, a
# number with no row, one beyond any column; a list (many-to-many fields) with a bad member.
JUNK_IDS = ["abc", "1\x00", "1.5", "99999999999999999999", "1,abc"]
# A number with no row: a valid id of the wrong row, refused by the form's own check.
ABSENT_ID = "-1"
JUNK_TERMS = ["\x00", "a\x00b", "%_'--"]
SELECTED_OPTION = re.compile(r"<option[^>]*\bselected\b")


def id_fields(owner) -> list[str]:
    return [*owner.autocomplete_fields, *owner.raw_id_fields]


def is_many(model, name: str) -> bool:
    return isinstance(model._meta.get_field(name), models.ManyToManyField)


def form_cases():
    """(admin, field) for the fields of each registered ModelAdmin's own form."""
    for model, model_admin in admin.site._registry.items():
        for name in id_fields(model_admin):
            yield pytest.param(model_admin, name, id=f"{model._meta.label}.{name}")


def inline_cases():
    """(admin, inline, field) for the id fields of each registered ModelAdmin's inlines."""
    for model, model_admin in admin.site._registry.items():
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            for name in id_fields(inline):
                label = f"{model._meta.label}>{inline.model._meta.label}.{name}"
                yield pytest.param(model_admin, inline, name, id=label)


def autocomplete_cases():
    for model, model_admin in admin.site._registry.items():
        owners = [model_admin, *(cls(model, admin.site) for cls in model_admin.inlines)]
        for owner in owners:
            for name in owner.autocomplete_fields:
                source = owner.model._meta
                label = f"{source.label}.{name}"
                yield pytest.param(source.app_label, source.model_name, name, id=label)


def add_url(model_admin) -> str:
    opts = model_admin.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_add")


def request_by(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def test_the_walk_finds_the_fields_the_faults_were_reported_on():
    found = {param.id for param in form_cases()}

    assert {"accounts.Team.lead", "accounts.Team.parent", "accounts.User.team"} <= found
    assert any(param.id.startswith("trainers.TrainerProfile>") for param in inline_cases())


@pytest.mark.parametrize(("model_admin", "name"), list(form_cases()))
def test_a_junk_id_posted_to_an_add_form_is_a_form_error(superuser_client, model_admin, name):
    before = model_admin.model.objects.count()

    for junk in [*JUNK_IDS, ABSENT_ID]:
        value = junk.split(",") if is_many(model_admin.model, name) else junk
        response = superuser_client.post(add_url(model_admin), {name: value})

        assert response.status_code == 400, junk
        assert name in response.context["adminform"].form.errors, junk
    assert model_admin.model.objects.count() == before


@pytest.mark.parametrize(("model_admin", "name"), list(form_cases()))
def test_a_junk_initial_id_in_the_query_string_is_ignored(superuser_client, model_admin, name):
    for junk in [*JUNK_IDS, ABSENT_ID]:
        response = superuser_client.get(add_url(model_admin), {name: junk})

        assert response.status_code == 200, junk
        widget = str(response.context["adminform"].form[name])
        assert not SELECTED_OPTION.search(widget), junk


@pytest.mark.parametrize(("model_admin", "inline", "name"), list(inline_cases()))
def test_a_junk_id_posted_in_an_inline_is_a_form_error(
    superuser_client, superuser, model_admin, inline, name
):
    prefix = inline.get_formset(request_by(superuser)).get_default_prefix()
    management = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }

    for junk in [*JUNK_IDS, ABSENT_ID]:
        value = junk.split(",") if is_many(inline.model, name) else junk
        response = superuser_client.post(
            add_url(model_admin), {**management, f"{prefix}-0-{name}": value}
        )

        assert response.status_code == 400, junk
        inline_errors = [
            form.errors
            for formset in response.context["inline_admin_formsets"]
            for form in formset.formset.forms
        ]
        assert any(name in errors for errors in inline_errors), junk
    assert not inline.model.objects.exists()


@pytest.mark.parametrize(("app_label", "model_name", "field_name"), list(autocomplete_cases()))
def test_the_autocomplete_search_answers_junk(superuser_client, app_label, model_name, field_name):
    for term in JUNK_TERMS:
        response = superuser_client.get(
            reverse("admin:autocomplete"),
            {"app_label": app_label, "model_name": model_name, "field_name": field_name}
            | {"term": term},
        )

        assert response.status_code == 200, term
        assert isinstance(response.json()["results"], list), term


def changelist_cases():
    for model, model_admin in admin.site._registry.items():
        yield pytest.param(model_admin, id=model._meta.label)


@pytest.mark.parametrize("model_admin", list(changelist_cases()))
def test_a_bulk_action_on_junk_row_ids_is_refused_with_a_message(
    superuser_client, superuser, model_admin
):
    opts = model_admin.model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    before = model_admin.model.objects.count()
    can_delete = "delete_selected" in model_admin.get_actions(request_by(superuser))

    for junk in JUNK_IDS:
        response = superuser_client.post(
            changelist,
            {"action": "delete_selected", "_selected_action": junk.split(","), "post": "yes"},
            follow=True,
        )

        assert response.status_code == 200, junk
        if can_delete:  # else there are no actions, and the post is just the list again
            assert "select them again" in response.content.decode(), junk
    assert model_admin.model.objects.count() == before


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/team/add/?parent=abc",
        "/admin/accounts/user/add/?team=abc",
        "/admin/programmes/programme/add/?skills=abc,1",
    ],
)
def test_the_reported_pages_open_for_ld_staff(client, ld_staff, url):
    client.force_login(ld_staff)

    assert client.get(url).status_code == 200


def test_the_reported_post_is_a_form_error_for_ld_staff(client, ld_staff):
    client.force_login(ld_staff)

    response = client.post("/admin/accounts/team/add/", {"name": "Ops", "lead": "abc"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not response.context["adminform"].form.is_valid()


def test_every_admin_uses_the_junk_proof_base():
    """Ours are written on it; Django's and allauth's are given it at start-up."""
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AdminInputMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, SafeWidgetsMixin) or not inline.autocomplete_fields, inline
