import pytest

pytestmark = pytest.mark.django_db


def test_trainer_sees_status_and_certifications(client, trainer):
    client.force_login(trainer)

    response = client.get("/trainers/me/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Certified" in page
    assert trainer.trainer_profile.certifications.get().skill.name in page


def test_person_without_a_trainer_profile_gets_a_clear_404(client, employee):
    client.force_login(employee)

    response = client.get("/trainers/me/")

    assert response.status_code == 404
    assert "not on the trainer programme" in response.content.decode()


def test_anonymous_visitor_is_asked_to_sign_in(client):
    assert client.get("/trainers/me/").status_code == 302
