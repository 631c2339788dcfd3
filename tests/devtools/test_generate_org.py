"""``manage.py generate_org``: a made-up organisation for benchmarks, at a tiny size."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from peertrain.accounts.models import Team, User
from peertrain.audit.models import AuditEvent
from programmes.models import CurrentSkillLevel, Skill, SkillAssessment, SkillTarget
from programmes.services import assessment_record

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

TINY = ["--users", "40", "--teams", "6", "--skills", "20", "--assessments", "400"]
UNTIL = ["--until", "2026-01-01"]


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_org", *TINY, *UNTIL, "--force", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """The organisation by natural keys (ids differ between runs)."""
    return {
        "counts": [
            model.objects.count()
            for model in (User, Team, Skill, SkillTarget, SkillAssessment, CurrentSkillLevel)
        ],
        "teams": list(Team.objects.values_list("name", "parent__name", "lead__email")),
        "people": list(User.objects.values_list("email", "team__name", "is_active", "password")),
        "targets": list(
            SkillTarget.objects.values_list("team__name", "skill__name", "target_level", "priority")
        ),
        "history": list(
            SkillAssessment.objects.order_by(
                "created_at", "user__email", "skill__name"
            ).values_list(
                "user__email", "skill__name", "level", "source", "assessed_by__email", "created_at"
            )[:50]
        ),
    }


def forget_organisation() -> None:
    SkillAssessment.objects.all().delete()
    CurrentSkillLevel.objects.all().delete()
    SkillTarget.objects.all().delete()
    Skill.objects.all().delete()
    Team.objects.update(parent=None, lead=None)
    User.objects.all().delete()
    Team.objects.all().delete()


def test_same_seed_gives_the_same_organisation():
    generate("--seed", "7")
    first = snapshot()
    forget_organisation()

    generate("--seed", "7")

    assert snapshot() == first
    assert first["counts"][0:3] == [40, 6, 20]
    assert first["counts"][4] == 400


def test_another_seed_gives_another_organisation():
    generate("--seed", "7")
    first = snapshot()
    forget_organisation()

    generate("--seed", "8")

    assert snapshot()["people"] != first["people"]


def test_current_level_is_the_latest_assessment_per_person_and_skill():
    generate()

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.id FROM programmes_skillassessment a
            WHERE NOT EXISTS (
                SELECT 1 FROM programmes_skillassessment later
                WHERE later.user_id = a.user_id AND later.skill_id = a.skill_id
                  AND later.created_at > a.created_at)
            """
        )
        latest_ids = [row[0] for row in cursor.fetchall()]
    latest = list(
        SkillAssessment.objects.filter(pk__in=latest_ids)
        .order_by("user_id", "skill_id")
        .values_list("user_id", "skill_id", "level", "source", "created_at")
    )
    current = list(
        CurrentSkillLevel.objects.order_by("user_id", "skill_id").values_list(
            "user_id", "skill_id", "level", "source", "assessed_at"
        )
    )
    assert current == latest
    assert len(current) > 40  # people have several skills, most with some history


def test_current_levels_equal_what_assessment_record_leaves():
    """Replay the generated history through the service; the current-level table, including
    the remembered verified level, comes out the same."""
    generate()
    generated = current_level_rows()
    history = list(
        SkillAssessment.objects.select_related("user", "skill", "assessed_by").order_by(
            "created_at", "pk"
        )
    )
    SkillAssessment.objects.all().delete()
    CurrentSkillLevel.objects.all().delete()

    for old in history:
        assessment_record(
            user=old.user,
            skill=old.skill,
            level=old.level,
            source=old.source,
            assessed_by=old.assessed_by,
            note=old.note,
            at=old.created_at,
        )

    assert current_level_rows() == generated
    assert any(row[5] is not None for row in generated)  # some levels were verified


def current_level_rows() -> list[tuple]:
    return list(
        CurrentSkillLevel.objects.order_by("user__email", "skill__name").values_list(
            "user__email",
            "skill__name",
            "level",
            "source",
            "assessed_at",
            "verified_level",
            "verified_source",
        )
    )


def test_organisation_looks_like_a_real_one():
    generate()

    assert Team.objects.filter(parent__isnull=False).exists()  # some sub-teams
    for team in Team.objects.exclude(lead=None).select_related("lead"):
        assert team.lead.team_id == team.pk
    for team in Team.objects.all():
        assert 15 <= team.skill_targets.count() <= 20  # 15-30, at most the 20 skills
    emails = list(User.objects.values_list("email", flat=True))
    assert all(email.endswith(("@example.com", "@example.org")) for email in emails)
    assert not any(user.has_usable_password() for user in User.objects.all())
    assert not AuditEvent.objects.exists()  # bulk inserts, no audit noise


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("generate_org", *TINY, stdout=StringIO())

    assert not User.objects.exists()


def test_refuses_to_add_to_an_organisation_with_people(settings):
    settings.DEBUG = True
    UserFactory.create_batch(26)

    with pytest.raises(CommandError, match="26 people"):
        call_command("generate_org", *TINY, stdout=StringIO())

    assert User.objects.count() == 26


def test_prints_timings(settings):
    settings.DEBUG = True

    out = StringIO()
    call_command("generate_org", *TINY, stdout=out)

    assert "history" in out.getvalue()
    assert "Done in" in out.getvalue()
