"""Control characters: refused in what people type, flattened out of every email subject.

A session titled "Evil\\r\\nBcc: x@evil.example" made every email about it fail with
BadHeaderError until its outbox row was given up on: the mail was lost, silently.
"""

import importlib

import pytest
from django.apps import apps
from django.core import mail

from peertrain.accounts.models import Team
from peertrain.core.text import one_line, validate_single_line, validate_text
from peertrain.notifications.models import Notification
from peertrain.notifications.services import notification_deliver, notification_record
from programmes.models import Programme, SkillAssessment
from sessions.models import TrainingSession
from sessions.services.booking import booking_create

from ..factories import SkillFactory, TrainingSessionFactory
from ..programmes.test_programme_views import programme_data
from ..training.test_manage_views import edit_data, proposal

pytestmark = pytest.mark.django_db

INJECTION = "Evil\r\nBcc: x@evil.example"
ONE_LINE_REFUSED = [
    INJECTION,
    "Tab\there",
    "Bell\x07",
    "Escape\x1b[31m",
    "Next\x85line",
    "A\u2028B",
]


# --- The rules --------------------------------------------------------------------------
@pytest.mark.parametrize("value", ONE_LINE_REFUSED)
def test_one_line_refuses_control_characters_and_line_separators(value):
    with pytest.raises(Exception, match="one line"):
        validate_single_line(value)


@pytest.mark.parametrize("value", ["Café crème — 10 €", "日本語のタイトル", "Emoji 🚀 ok", ""])
def test_one_line_accepts_any_printable_text(value):
    validate_single_line(value)


def test_several_lines_keep_line_breaks_and_tabs_but_not_other_control_characters():
    validate_text("First line\r\nSecond\tline\n")

    with pytest.raises(Exception, match="U\\+0007"):
        validate_text("Ring\x07 the bell")


def test_one_line_flattens_breaks_to_a_space_and_drops_other_control_characters():
    assert one_line(INJECTION) == "Evil Bcc: x@evil.example"
    assert one_line("  A\tB\u2028C\x00D\x1b ") == "A B CD"


# --- Refused at input, beside the field ----------------------------------------------------
def test_a_session_title_with_a_line_break_is_refused_beside_the_field(client, trainer):
    skill = trainer.trainer_profile.certifications.get().skill
    client.force_login(trainer)

    response = client.post("/sessions/new/", proposal(skill, title=INJECTION))

    assert response.status_code == 400
    assert "one line" in str(response.context["form"].errors["title"])
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize("field", ["title", "location", "co_trainers"])
def test_editing_a_session_refuses_control_characters_in_one_line_fields(client, trainer, field):
    skill = trainer.trainer_profile.certifications.get().skill
    session = TrainingSessionFactory(lead_trainer=trainer, skill=skill, title="Kept")
    client.force_login(trainer)

    response = client.post(f"/sessions/{session.pk}/edit/", edit_data(session, **{field: "A\nB"}))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    session.refresh_from_db()
    assert session.title == "Kept"


def test_a_description_keeps_its_line_breaks_but_not_a_bell(client, trainer):
    skill = trainer.trainer_profile.certifications.get().skill
    client.force_login(trainer)

    refused = client.post("/sessions/new/", proposal(skill, description="Bring\x07 a laptop"))
    accepted = client.post("/sessions/new/", proposal(skill, description="Bring:\r\n- a laptop"))

    assert refused.status_code == 400
    assert "description" in refused.context["form"].errors
    assert accepted.status_code == 302
    assert TrainingSession.objects.get().description == "Bring:\r\n- a laptop"


def test_a_programme_title_with_a_line_break_is_refused(client, ld_staff, team):
    skills = [SkillFactory()]
    client.force_login(ld_staff)

    response = client.post(
        "/programmes/new/", programme_data(skills, [team], ld_staff, title=INJECTION)
    )

    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert not Programme.objects.exists()


def test_a_self_assessment_note_with_a_control_character_is_refused(client, employee):
    skill = SkillFactory()
    client.force_login(employee)

    response = client.post("/skills/rate/", {"skill": skill.pk, "level": 2, "note": "a\x1bb"})

    assert response.status_code == 400
    assert not SkillAssessment.objects.exists()


def test_the_admin_refuses_a_team_name_with_a_line_break(client, ld_staff):
    client.force_login(ld_staff)

    response = client.post("/admin/accounts/team/add/", {"name": INJECTION})

    assert response.status_code == 400  # the admin shows its form again, with the error
    assert "name" in response.context["adminform"].form.errors
    assert not Team.objects.exists()


def test_the_admin_refuses_a_display_name_with_a_line_break(client, ld_staff, employee):
    client.force_login(ld_staff)
    url = f"/admin/accounts/user/{employee.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"display_name": INJECTION, "date_joined_0": "2026-01-01", "date_joined_1": "09:00"}
    data.pop("groups", None)
    data.pop("user_permissions", None)

    response = client.post(url, data)

    assert "display_name" in response.context["adminform"].form.errors
    employee.refresh_from_db()
    assert employee.display_name == "Eli Moreno"


# --- Flattened out of subjects -------------------------------------------------------------
def test_a_session_saved_before_the_rule_still_gets_its_emails_sent(employee):
    """The title is in the database already (saved before titles were checked): booking it
    still sends the booking email, with the title on one line and no extra recipient."""
    session = TrainingSessionFactory(title=INJECTION)

    booking_create(session=session, user=employee)
    notification = Notification.objects.get(recipient=employee)
    sent = notification_deliver(notification_id=notification.pk)

    assert sent is True
    assert notification.subject == "Booked: Evil Bcc: x@evil.example"
    (message,) = mail.outbox
    assert message.subject == "Booked: Evil Bcc: x@evil.example"
    assert message.recipients() == [employee.email]
    assert "\n" not in message.message()["Subject"]


def test_every_recorded_subject_is_one_line_whoever_rendered_it(employee):
    notification = notification_record(
        recipient=employee,
        address=employee.email,
        kind="test.injection",
        unique_key="test:injection",
        subject=f"Hello\r\nBcc: x@evil.example\x00 {'x' * 300}",
        body="Body lines\nstay as they are.",
    )

    notification.refresh_from_db()
    assert notification.subject.startswith("Hello Bcc: x@evil.example x")
    assert len(notification.subject) == 255
    assert notification.body == "Body lines\nstay as they are."


def test_unsent_rows_recorded_before_the_fix_are_flattened_by_the_migration(employee):
    unsent = Notification.objects.create(
        address=employee.email,
        kind="test.old",
        unique_key="old:unsent",
        subject=INJECTION,
        body="Old",
        next_attempt_at="2026-01-01T00:00Z",
    )
    migration = importlib.import_module("peertrain.notifications.migrations.0003_one_line_subjects")

    migration.flatten_unsent_subjects(apps, None)

    unsent.refresh_from_db()
    assert unsent.subject == "Evil Bcc: x@evil.example"
    assert notification_deliver(notification_id=unsent.pk) is True
