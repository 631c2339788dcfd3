"""Values to post: for each field, either what a person would type (so the request gets
past the form and into the services) or junk of every kind, or nothing at all."""

import os
from datetime import timedelta

from django.apps import apps
from django.utils import timezone
from hypothesis import strategies as st

from .world import World

MISSING = object()
FULL = os.environ.get("FUZZ_SIZE") == "full"

ODD_STRINGS = [
    "",
    " ",
    "0",
    "-1",
    "abc",
    "1e9",
    "NaN",
    "null",
    "None",
    "99999999999999999999",
    "9" * 40,
    "-9223372036854775809",
    "\u0661\u0662\u0663",  # Arabic-Indic digits: int() takes them
    "\uff11\uff12",  # full-width digits
    "\x00",
    "a\x00b",
    "Evil\r\nBcc: x@evil.example",
    "\t",
    "\u2028",
    "\ud7ff\ue000",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2024-02-30",
    "2024-13-01T25:61",
    "../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "'; DROP TABLE training_trainingsession; --",
    "%00",
    "=cmd|' /C calc'!A0",
]

junk = st.one_of(
    st.sampled_from(ODD_STRINGS),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
    st.builds(
        lambda piece, count: piece * count,
        st.sampled_from(["x", "é", "\n", "😀", "9"]),
        # Past every column and text limit (5,000); the full run goes far past.
        st.integers(min_value=201, max_value=120_000 if FULL else 12_000),
    ),
)


def _near_future(days: int, hour: int) -> str:
    day = timezone.localdate() + timedelta(days=days)
    return f"{day}T{hour:02d}:00"


def plausible(kind: str, world: World) -> st.SearchStrategy:
    """What someone would type into a field of this kind."""
    head, _, rest = kind.partition(":")
    objects = world.objects
    if head == "id":
        return st.just(str(_object(rest, world).pk))
    if head == "ids":
        return st.just([str(_object(rest, world).pk)])
    if head == "admin":
        model = apps.get_model(rest)
        row = world.admin_objects.get(model) or model.objects.order_by("pk").first()
        return st.just(str(row.pk) if row else "1")
    if head == "choice":
        return st.sampled_from(rest.split("|"))
    if head == "int":
        low, high = (int(part) for part in rest.split(":"))
        return st.integers(min_value=low, max_value=high).map(str)
    emails = [user.email for user in world.users.values() if user]
    printable = st.characters(categories=["L", "N", "P", "S", "Zs"])
    simple = {
        "text": st.one_of(
            st.sampled_from(["Window functions", "Café crème ✓", "R&D <team>"]),
            st.text(printable, min_size=1, max_size=60),
            _of_length("W", st.sampled_from(LIMITS)),
        ),
        "longtext": st.one_of(
            st.sampled_from(["Bring a laptop.", "Line one\r\nLine two\n\n- a list"]),
            _of_length("L", st.sampled_from([4999, 5000, 5001, 20_000])),
        ),
        "bool": st.sampled_from(["on", "true", ""]),
        "date": st.integers(min_value=-400, max_value=800).map(
            lambda days: str(timezone.localdate() + timedelta(days=days))
        ),
        "datetime": st.builds(
            _near_future, st.integers(min_value=-2, max_value=60), st.integers(0, 23)
        ),
        "email": st.one_of(
            st.sampled_from([*emails, "nobody@example.com"]),
            _of_length("a", st.sampled_from([64, 65, 241, 242, 300])).map(
                lambda local: f"{local}@example.com"
            ),
        ),
        "emails": st.sampled_from(["", objects["colleague"].email, ", ".join(emails[:2])]),
        # Valid links of every length, past the column's 200 characters too.
        "url": st.one_of(
            st.sampled_from(["https://meet.example.com/abc", "meet.example.com/x"]),
            _of_length("a", st.sampled_from([n - 25 for n in (199, 200, 201, 255, 400)])).map(
                lambda path: "https://meet.example.com/" + path
            ),
        ),
        "next": st.sampled_from(["/sessions/", "/skills/gaps/", "abc", "-1", "0"]),
        "password": st.sampled_from(["correct horse battery staple", "short", "x" * 300]),
        "code": st.sampled_from(["123456", "000000", "12 34 56"]),
    }
    return simple[head]


# Lengths either side of the columns' limits (80, 120, 150, 200, 254, 500 characters): text
# of exactly these lengths finds a form that lets through one more than its column takes.
LIMITS = [79, 80, 81, 119, 120, 121, 149, 150, 151, 199, 200, 201, 254, 255, 499, 500, 501]


def _of_length(piece: str, lengths: st.SearchStrategy) -> st.SearchStrategy:
    return lengths.map(lambda count: piece * count)


def _object(name: str, world: World):
    return world.users.get(name) or world.objects[name]


def typical(kind: str, world: World):
    """The value a person would most likely send: a body made of these gets past the form,
    so changing one field of it tests what lies behind the form (services, the database)."""
    base, optional = kind.rstrip("?"), kind.endswith("?")
    if optional:
        return ""
    head, _, rest = base.partition(":")
    today = timezone.localdate()
    if head == "id":
        return str(_object(rest, world).pk)
    if head == "ids":
        return [str(_object(rest, world).pk)]
    if head == "admin":
        model = apps.get_model(rest)
        row = world.admin_objects.get(model) or model.objects.order_by("pk").first()
        return str(row.pk) if row else ""
    if head == "choice":
        return rest.split("|")[0]
    if head == "int":
        low, high = (int(part) for part in rest.split(":"))
        return str(min(max(low, 1), high))
    if head == "date":
        return str(today + timedelta(days=120 if rest == "end" else 30))
    if head == "datetime":  # start and end of a session in two weeks; bookings close before
        return {"end": _near_future(14, 11), "deadline": _near_future(13, 9)}.get(
            rest, _near_future(14, 10)
        )
    constants = {
        "text": "Window functions",
        "longtext": "Bring a laptop.",
        "bool": "on",
        "email": world.objects["employee"].email,
        "emails": "",
        "url": "https://meet.example.com/abc",
        "next": "/sessions/",
        "password": "correct horse battery staple",
        "code": "123456",
    }
    return constants[head]


def _mutation(kind: str, world: World) -> st.SearchStrategy:
    # Plausible values twice as often as each other kind: they get past the form's other
    # checks, where a length or a date at the edge of what is allowed meets the services.
    plausible_value = plausible(kind.rstrip("?"), world)
    return st.one_of(
        plausible_value, plausible_value, junk, st.just(MISSING), st.lists(junk, max_size=3)
    )


@st.composite
def post_data(draw, fields: dict[str, str], world: World, focus: str | None = None) -> dict:
    """A POST body: what a person would send with the ``focus`` field changed (missing,
    another plausible value, junk, several values); without a focus, every field drawn on
    its own. Sometimes a field nobody asked for comes along."""
    body = {name: typical(kind, world) for name, kind in fields.items()}
    for name in [focus] if focus else sorted(fields):
        value = draw(_mutation(fields[name], world))
        if value is MISSING:
            body.pop(name, None)
        else:
            body[name] = value
    extra = draw(
        st.dictionaries(
            st.sampled_from(["id", "pk", "user", "_save", "csrfmiddlewaretoken"]), junk, max_size=1
        )
    )
    return {**extra, **body}
