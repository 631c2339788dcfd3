"""Every session page and action asks an anonymous visitor to sign in, and changes nothing."""

import pytest

from sessions.models import Booking, LearningInterest, TrainingSession

from ..factories import SkillFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    return TrainingSessionFactory(capacity=3)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/sessions/"),
        ("get", "/sessions/mine/"),
        ("get", "/sessions/{pk}/"),
        ("get", "/sessions/{pk}/calendar.ics"),
        ("post", "/sessions/{pk}/book/"),
        ("post", "/sessions/{pk}/cancel/"),
        ("post", "/sessions/{pk}/claim/"),
        ("get", "/sessions/{pk}/attendance/"),
        ("post", "/sessions/{pk}/attendance/1/"),
        ("post", "/sessions/{pk}/attendance/1/approve/"),
        ("get", "/sessions/{pk}/check-in/"),
        ("get", "/sessions/{pk}/check-in/code/"),
        ("post", "/sessions/interest/{skill}/"),
        ("post", "/sessions/interest/{skill}/withdraw/"),
        ("get", "/sessions/interest/{skill}/button/"),
        ("get", "/sessions/wanted/"),
        ("get", "/sessions/demand/"),
        ("get", "/sessions/new/"),
        ("get", "/sessions/{pk}/edit/"),
        ("post", "/sessions/{pk}/publish/"),
        ("post", "/sessions/{pk}/cancel-session/"),
        ("post", "/sessions/{pk}/complete/"),
        ("get", "/sessions/{pk}/book-member/"),
        ("post", "/sessions/calendar/reset/"),
    ],
)
def test_anonymous_visitors_are_asked_to_sign_in(client, session, method, path):
    skill = SkillFactory()
    url = path.format(pk=session.pk, skill=skill.pk)
    status_before = TrainingSession.objects.get(pk=session.pk).status

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert TrainingSession.objects.get(pk=session.pk).status == status_before
    assert not Booking.objects.exists()
    assert not LearningInterest.objects.exists()


@pytest.mark.parametrize("path", ["/sessions/series/{pk}/", "/sessions/series/{pk}/publish/"])
def test_anonymous_visitors_are_asked_to_sign_in_for_a_series(client, trainer, path):
    from sessions.models import TrainingSeries

    series = TrainingSeries.objects.create(
        title="Weekly", lead_trainer=trainer, every_weeks=1, until="2027-01-01"
    )
    method = client.post if path.endswith("publish/") else client.get

    response = method(path.format(pk=series.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
