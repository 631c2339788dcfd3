"""The home's "Called off" lists cancelled sessions still to come; My sessions keeps them a
month after their date (selectors_booking_states.CANCELLED_KEPT), the home doesn't."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.home.selectors.learner import learner_home
from sessions.models import TrainingSession
from sessions.services.booking import booking_create
from sessions.services.sessions import training_session_cancel

from ..factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def test_the_home_lists_only_cancelled_sessions_still_to_come(employee):
    coming = TrainingSessionFactory(title="Coming")
    gone = TrainingSessionFactory(title="Gone")
    for session in (coming, gone):
        booking_create(session=session, user=employee)
        training_session_cancel(session=session, by=session.lead_trainer)
    starts = timezone.now() - timedelta(days=3)
    TrainingSession.objects.filter(pk=gone.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=1)
    )

    home = learner_home(user=employee)

    assert [row.session.title for row in home.called_off] == ["Coming"]
