import pytest
from django.core.management import CommandError, call_command

from peertrain.accounts.models import Team, User
from programmes.models import Skill
from trainers.models import Certification, TrainerProfile

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "users": sorted(
            User.objects.values_list("email", "display_name", "team__name", "is_staff")
        ),
        "teams": sorted(Team.objects.values_list("name", "lead__email", "parent__name")),
        "skills": sorted(Skill.objects.values_list("slug", "category")),
        "trainers": sorted(TrainerProfile.objects.values_list("user__email", "status")),
        "certifications": sorted(
            Certification.objects.values_list("trainer__user__email", "skill__slug", "issued_at")
        ),
        "ld_group": sorted(User.objects.filter(groups__name="L&D staff").values_list("email")),
    }


def test_seed_demo_twice_leaves_the_same_data(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = snapshot()

    call_command("seed_demo")

    assert snapshot() == first
    assert {"ld@example.com", "trainer@example.com", "lead@example.com"} <= {
        email for email, *_ in first["users"]
    }


def test_demo_accounts_can_sign_in_with_the_documented_password(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")

    for email in ["ld@example.com", "trainer@example.com", "lead@example.com"]:
        assert client.login(username=email, password="peertrain-demo")


def test_seed_demo_gives_each_account_its_role(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    from peertrain.home.roles import roles_of

    assert roles_of(User.objects.get(email="ld@example.com")).is_ld_staff
    assert roles_of(User.objects.get(email="trainer@example.com")).is_trainer
    assert roles_of(User.objects.get(email="lead@example.com")).is_team_lead
    employee = roles_of(User.objects.get(email="employee@example.com"))
    assert not employee.is_trainer
    assert not employee.is_team_lead
    assert not employee.is_ld_staff


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_can_be_forced(settings):
    settings.DEBUG = False

    call_command("seed_demo", "--force")

    assert User.objects.filter(email="employee@example.com").exists()
