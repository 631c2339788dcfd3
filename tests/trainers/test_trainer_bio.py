"""A trainer's bio: written by the trainer on /trainers/me/, shown in the directory."""

import pytest

from peertrain.audit.models import AuditEvent
from peertrain.core.limits import LONG_TEXT_MAX_LENGTH
from trainers.errors import TrainerBioError
from trainers.services import trainer_bio_update

pytestmark = pytest.mark.django_db
URL = "/trainers/me/bio/"


def bio_of(user) -> str:
    user.trainer_profile.refresh_from_db()
    return user.trainer_profile.bio


# --- the service --------------------------------------------------------------------------
def test_trainer_saves_their_bio_trimmed_and_audited(trainer):
    profile = trainer.trainer_profile

    trainer_bio_update(profile=profile, bio="  Ask me about testing.\nAnd SQL.  ", by=trainer)

    assert bio_of(trainer) == "Ask me about testing.\nAnd SQL."
    event = AuditEvent.objects.get(action="trainers.profile.bio_updated")
    assert event.actor == trainer
    assert event.data == {"user": trainer.pk, "length_before": 0, "length": 30}


def test_an_unchanged_bio_records_nothing(trainer):
    trainer_bio_update(profile=trainer.trainer_profile, bio="", by=trainer)

    assert not AuditEvent.objects.filter(action="trainers.profile.bio_updated").exists()


def test_another_trainer_cannot_change_someone_elses_bio(trainer, other_trainer):
    with pytest.raises(TrainerBioError) as refused:
        trainer_bio_update(profile=trainer.trainer_profile, bio="Hijacked", by=other_trainer)

    assert refused.value.status_code == 403
    assert bio_of(trainer) == ""
    assert not AuditEvent.objects.filter(action="trainers.profile.bio_updated").exists()


@pytest.mark.parametrize(
    ("bio", "says"),
    [
        ("x" * (LONG_TEXT_MAX_LENGTH + 1), f"{LONG_TEXT_MAX_LENGTH} characters or fewer"),
        ("bell\x07", "control characters"),
    ],
)
def test_bad_bio_is_refused_and_nothing_saved(trainer, bio, says):
    with pytest.raises(TrainerBioError) as refused:
        trainer_bio_update(profile=trainer.trainer_profile, bio=bio, by=trainer)

    assert refused.value.status_code == 400
    assert refused.value.field == "bio"
    assert says in refused.value.message
    assert bio_of(trainer) == ""


# --- the page -----------------------------------------------------------------------------
def test_my_trainer_profile_offers_the_bio_form_filled_in(client, trainer):
    trainer_bio_update(profile=trainer.trainer_profile, bio="Pairing fan.", by=trainer)
    client.force_login(trainer)

    page = client.get("/trainers/me/").content.decode()

    assert f'action="{URL}"' in page
    assert "Pairing fan.</textarea>" in page


def test_trainer_saves_their_bio_and_the_directory_shows_it(client, trainer, employee):
    client.force_login(trainer)

    response = client.post(URL, {"bio": "Ask me about pytest."})

    assert response.status_code == 302
    assert response["Location"] == "/trainers/me/"
    assert bio_of(trainer) == "Ask me about pytest."
    client.force_login(employee)
    assert "Ask me about pytest." in client.get("/trainers/").content.decode()


@pytest.mark.parametrize("bio", ["x" * (LONG_TEXT_MAX_LENGTH + 1), "null\x00byte", "esc\x1b[0m"])
def test_bad_bio_is_a_400_beside_the_field_and_nothing_saved(client, trainer, bio):
    trainer_bio_update(profile=trainer.trainer_profile, bio="Kept.", by=trainer)
    client.force_login(trainer)

    response = client.post(URL, {"bio": bio})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error_1_id_bio"' in page  # the message beside the field
    assert bio_of(trainer) == "Kept."


def test_a_post_changes_only_the_signed_in_trainers_bio(client, trainer, other_trainer):
    client.force_login(other_trainer)

    response = client.post(URL, {"bio": "Mine.", "user": trainer.pk, "profile": trainer.pk})

    assert response.status_code == 302
    assert bio_of(trainer) == ""
    assert bio_of(other_trainer) == "Mine."


def test_someone_without_a_trainer_profile_gets_a_404(client, employee):
    client.force_login(employee)

    response = client.post(URL, {"bio": "I teach too."})

    assert response.status_code == 404
    assert "not on the trainer programme" in response.content.decode()


def test_anonymous_visitor_is_asked_to_sign_in(client):
    response = client.post(URL, {"bio": "Hello"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_get_is_refused(client, trainer):
    client.force_login(trainer)

    assert client.get(URL).status_code == 405
