"""A new app reacts to a lower app's event by adding a handler only: tests/event_app
subscribes to ``training.session.completed`` in its ready(), as feedback, recognition or the
dashboard will, and nothing in sessions knows it exists. Its message is a kind it declares
and templates it ships: no code of its own builds text or touches the outbox."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import AppConfig
from django.utils import timezone

import tests.event_app
from peertrain.audit.events import EventHandlerFailed, subscribe, unsubscribe
from peertrain.notifications.models import Notification
from sessions.models import TrainingSession
from sessions.services.attendance import attendance_mark
from sessions.services.booking import booking_create
from sessions.services.sessions import training_session_complete
from tests.event_app import handlers
from tests.event_app.apps import EventAppConfig

from ..factories import TrainingSessionFactory, UserFactory


@pytest.fixture
def event_app(settings):
    """The app starting up: Django calls its ready() once the registry is loaded, and finds
    its templates in its templates/ folder (as APP_DIRS does for an installed app)."""
    engine = settings.TEMPLATES[0]
    app_templates = Path(tests.event_app.__file__).parent / "templates"
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], app_templates]}]
    config = EventAppConfig("tests.event_app", tests.event_app)
    assert isinstance(config, AppConfig)
    config.ready()
    handlers.SEEN_IN_TRANSACTION.clear()
    yield config
    unsubscribe("training.session.completed", handlers.thank_the_trainer)


def held_session() -> TrainingSession:
    session = TrainingSessionFactory(capacity=5)
    came, stayed_away = UserFactory.create_batch(2)
    for person in (came, stayed_away):
        booking_create(session=session, user=person)
    start = timezone.now() - timedelta(hours=2)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    session.refresh_from_db()
    attendance_mark(session=session, attendee=came, status="present", by=session.lead_trainer)
    return session


def thanks(session):
    return Notification.objects.filter(kind="event_app.thanks", object_id=str(session.pk))


@pytest.mark.django_db(transaction=True)
def test_the_new_apps_handler_runs_in_the_completions_transaction(event_app):
    session = held_session()

    training_session_complete(session=session, by=session.lead_trainer)

    assert handlers.SEEN_IN_TRANSACTION == [True]
    (note,) = thanks(session)
    assert note.recipient == session.lead_trainer
    assert note.subject == f"Thank you for teaching {session.title}"
    assert note.body == "1 colleagues came."
    assert "<strong>" in note.body_html
    # The training app's own handler ran beside it: the attendee was asked for feedback.
    assert Notification.objects.filter(kind="training.feedback.requested").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_new_apps_writes_roll_back_with_the_completion(event_app):
    session = held_session()

    def after_it(event):
        raise RuntimeError("a later handler fails")

    subscribe("training.session.completed", after_it, order=500)
    try:
        with pytest.raises(EventHandlerFailed):
            training_session_complete(session=session, by=session.lead_trainer)
    finally:
        unsubscribe("training.session.completed", after_it)

    assert handlers.SEEN_IN_TRANSACTION == [True]  # it ran, and its row went with the rest
    assert not thanks(session).exists()
    assert TrainingSession.objects.get(pk=session.pk).status == "published"


@pytest.mark.django_db
def test_without_the_new_app_completion_is_unchanged():
    session = held_session()

    asked = training_session_complete(session=session, by=session.lead_trainer)

    assert asked == 1
    assert not thanks(session).exists()
