"""The rotation page (/sessions/<id>/rotation/): L&D see who could teach a session, fairest
first, in a flat number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ..factories import CertificationFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer):
    skill = trainer.trainer_profile.certifications.get().skill
    return TrainingSessionFactory(lead_trainer=trainer, skill=skill, title="Pivot tables")


def test_ld_sees_the_trainers_in_fair_order(client, ld_staff, session, trainer):
    busy = CertificationFactory(skill=session.skill, trainer__user__display_name="Busy Bea")
    TrainingSessionFactory(
        lead_trainer=busy.trainer.user,
        skill=session.skill,
        starts_at=timezone.now() - timedelta(days=5),
        status="completed",
    )
    CertificationFactory(skill=session.skill, trainer__user__display_name="Free Fin")
    client.force_login(ld_staff)

    page = client.get(f"/sessions/{session.pk}/rotation/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="rotation"' in html
    # Never taught first (Free Fin, then the lead by name), the one who taught lately last.
    assert html.index("Free Fin") < html.index(trainer.display_name) < html.index("Busy Bea")
    assert "leads it now" in html


def test_the_session_page_links_ld_to_it(client, ld_staff, session):
    client.force_login(ld_staff)

    page = client.get(f"/sessions/{session.pk}/")

    assert f'href="/sessions/{session.pk}/rotation/"' in page.content.decode()


@pytest.mark.parametrize("who", ["employee", "trainer", "other_trainer"])
def test_anyone_but_ld_is_refused(client, request, session, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(f"/sessions/{session.pk}/rotation/").status_code == 403


def test_sign_in_required(client, session):
    response = client.get(f"/sessions/{session.pk}/rotation/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_session_is_404_and_post_is_refused(client, ld_staff, session):
    client.force_login(ld_staff)

    assert client.get("/sessions/999999/rotation/").status_code == 404
    assert client.post(f"/sessions/{session.pk}/rotation/").status_code == 405


@pytest.mark.parametrize("trainers", [5, 200])
def test_queries_stay_flat_with_5_and_200_trainers(
    client, ld_staff, session, trainers, data_query_budget
):
    for _ in range(trainers):
        CertificationFactory(skill=session.skill)
    client.force_login(ld_staff)

    # Django's session, user, L&D (decorator, navigation), the session, the candidates
    with data_query_budget(6):
        page = client.get(f"/sessions/{session.pk}/rotation/")

    assert page.content.decode().count("<tr>") == trainers + 2  # header, the lead, the rest
