"""Pages for trainers ask one question, ``certified_skills_for``: may this person teach a
skill today? Proposing a session and verifying a level must let in and refuse the same
people, with the same answer; a copy of the rule that drifted would fail here."""

from datetime import timedelta

import pytest
from django.utils import timezone

from trainers.access import NOT_A_TRAINER

pytestmark = pytest.mark.django_db

TRAINER_PAGES = {"propose a session": "/sessions/new/", "verify a level": "/trainers/assess/"}


def expire(trainer):
    trainer.trainer_profile.certifications.update(
        issued_at=timezone.now() - timedelta(days=400),
        expires_at=timezone.now() - timedelta(days=1),
    )


def pause(trainer):
    profile = trainer.trainer_profile
    profile.status = profile.Status.PAUSED
    profile.save()


@pytest.mark.parametrize("page", TRAINER_PAGES.values(), ids=TRAINER_PAGES.keys())
def test_a_certified_trainer_may_use_every_trainer_page(client, trainer, page):
    client.force_login(trainer)

    response = client.get(page)

    assert response.status_code == 200
    skill = trainer.trainer_profile.certifications.get().skill
    assert f'<option value="{skill.pk}"' in response.content.decode()


@pytest.mark.parametrize("page", TRAINER_PAGES.values(), ids=TRAINER_PAGES.keys())
@pytest.mark.parametrize("change", [expire, pause], ids=["expired", "paused"])
def test_a_trainer_who_may_not_teach_today_is_refused_by_every_trainer_page(
    client, trainer, page, change
):
    change(trainer)
    client.force_login(trainer)

    response = client.get(page)

    assert response.status_code == 403
    html = response.content.decode().replace("&amp;", "&")
    if page == "/sessions/new/":  # the propose page says what lapsed (test_teaching_eligibility)
        assert 'data-testid="lapsed-certifications"' in html
        assert 'data-testid="session-form"' not in html
    else:
        assert NOT_A_TRAINER in html


@pytest.mark.parametrize("page", TRAINER_PAGES.values(), ids=TRAINER_PAGES.keys())
@pytest.mark.parametrize("who", ["employee", "lead", "ld_staff"])
def test_people_certified_in_nothing_are_refused_by_every_trainer_page(client, request, page, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(page)

    assert response.status_code == 403
    assert NOT_A_TRAINER in response.content.decode().replace("&amp;", "&")
