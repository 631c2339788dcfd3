"""Generated input to every URL that takes a POST, as each role: never a 5xx, and a refusal
(a 4xx, or a form shown again with its errors) changes no row.

The routes come from the URLconf (``endpoints.all_routes``), so a new one is fuzzed as soon
as it exists; one that takes POST without a field list in ``endpoints.FIELDS`` fails. Each
example posts the same body as anonymous, employee, trainer, team lead and L&D staff, each
inside a savepoint that is rolled back, so examples don't see each other's writes.

Size: ``FUZZ_SIZE=full`` (``make fuzz``) changes one field at a time, 25 random examples each,
then all fields at once; the default keeps ``make test`` quick with 3 fixed (derandomized)
examples per route of every field drawn at once.
"""

import os

import pytest
from django import forms
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .endpoints import FIELDS, Route, admin_fields, all_routes, url_of
from .strategies import post_data
from .world import ROLES, build_world

pytestmark = pytest.mark.django_db

FULL = os.environ.get("FUZZ_SIZE") == "full"
# Full: examples per field of each route, and for all fields at once. Small: all at once.
EXAMPLES = 25 if FULL else 3

# Faults found by this test that belong to another engineer's change; each names its fault.
# Remove an entry once the fix has landed (strict: a fixed one fails until it is removed).
KNOWN_FAULTS: dict[str, str] = {}

# Rows that anonymous visitors may create: signing up, asking for a password reset.
ANONYMOUS_WRITES = ("account_", "socialaccount_", "microsoft_", "openid_connect_")
# The request's own bookkeeping, not data: the session row changes on every sign-in.
IGNORED_TABLES = ("django_session",)


def _table_fingerprint_sql() -> str:
    """One query that reads every table whole, as text, for comparing before and after.
    (Built from the models' own table and column names, quoted: no input reaches it.)"""
    from django.apps import apps

    quote = connection.ops.quote_name
    parts = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in IGNORED_TABLES or model._meta.proxy or not model._meta.managed:
            continue
        columns = [field.column for field in model._meta.local_concrete_fields]
        if connection.vendor == "postgresql":
            row = (
                "concat_ws('|', "
                + ", ".join(f"coalesce({quote(c)}::text, '∅')" for c in columns)
                + ")"
            )
            expression = f"(SELECT string_agg({row}, chr(30) ORDER BY {row}) FROM {quote(table)})"  # noqa: S608
        else:
            row = " || '|' || ".join(f"quote({quote(c)})" for c in columns)
            expression = (
                f"(SELECT group_concat(r, char(30)) FROM "  # noqa: S608
                f"(SELECT {row} AS r FROM {quote(table)} ORDER BY r))"
            )
        parts.append(f"{expression} AS {quote(table)}")
    return "SELECT " + ", ".join(parts)


class Snapshot:
    def __init__(self):
        self.sql = _table_fingerprint_sql()

    def take(self) -> dict[str, str | None]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            values = cursor.fetchone()
            names = [column[0] for column in cursor.description]
        return dict(zip(names, values, strict=True))


def _shows_form_errors(response) -> bool:
    """A page that shows a bound form again with its errors (the admin answers 200)."""
    contexts = response.context or []
    for context in contexts if isinstance(contexts, list) else [contexts]:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            form = getattr(value, "form", value)  # the admin wraps its form
            if isinstance(form, forms.BaseForm) and form.is_bound and form.errors:
                return True
            if isinstance(value, forms.BaseFormSet) and value.is_bound and not value.is_valid():
                return True
    return False


def _fields_for(route: Route, world) -> dict[str, str] | None:
    if route.redirect_only:
        return {}
    if route.is_admin:
        return admin_fields(route, world)
    return FIELDS.get(route.label)


def _params(route: Route):
    marks = []
    if route.label in KNOWN_FAULTS:
        marks.append(pytest.mark.xfail(reason=KNOWN_FAULTS[route.label], strict=True))
    return pytest.param(route, id=route.label, marks=marks)


def _post(client: Client, url: str, data: dict, htmx: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data, headers=headers)


def _check(route: Route, role: str, user, url: str, data: dict, htmx: bool, snapshot) -> None:
    with transaction.atomic():
        client = Client()
        if user is not None:
            client.force_login(user)
        before = snapshot.take()
        response = _post(client, url, data, htmx)
        status = response.status_code
        assert status < 500, f"{role} POST {url} {data!r} → {status}"
        refused = status >= 400 or _shows_form_errors(response)
        anonymous_may_write = route.label.startswith(ANONYMOUS_WRITES)
        if refused or (user is None and not anonymous_may_write):
            after = snapshot.take()
            changed = sorted(name for name in before if before[name] != after[name])
            assert changed == [], (
                f"{role} POST {url} → {status} (refused) but changed {changed}: {data!r}"
            )
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for all routes, inside a transaction rolled back at the end (each test's
    own transaction nests in it, as Django's TestCase does with setUpTestData)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.parametrize("route", [_params(route) for route in all_routes()])
def test_post_never_fails_and_a_refusal_saves_nothing(world, route: Route):
    cache.clear()  # sign-in rate limits from earlier examples must not decide the answer
    url = url_of(route, world)
    snapshot = Snapshot()
    ld_staff = world.users["ld_staff"]

    # Does it take POST at all? As L&D staff, who may use the most; a 405 means no.
    with transaction.atomic():
        probe = Client()
        probe.force_login(ld_staff)
        takes_post = probe.post(url).status_code != 405
        transaction.set_rollback(True)
    if not takes_post:
        for role in ROLES:
            _check(route, role, world.users[role], url, {}, False, snapshot)
        return

    fields = _fields_for(route, world)
    assert fields is not None, (
        f"{route.label} ({route.route}) takes POST: list its fields in tests/fuzz/endpoints.py"
    )

    # Full size: each field on its own, the rest as a person would send them (so the request
    # gets past the form's other checks), then everything drawn at once. Small: the latter.
    for focus in [*sorted(fields), None] if FULL else [None]:
        _fuzz(route, world, url, snapshot, fields, focus)
    cache.clear()


def _fuzz(route, world, url, snapshot, fields, focus) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=not FULL,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=post_data(fields, world, focus), htmx=st.booleans())
    def posting(data, htmx):
        for role in ROLES:
            _check(route, role, world.users[role], url, data, htmx, snapshot)

    posting()
