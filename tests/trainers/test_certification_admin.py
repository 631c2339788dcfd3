"""L&D certify people in the admin; every change there is audited like one in the app."""

import pytest

from peertrain.audit.models import AuditEvent
from trainers.models import Certification, TrainerProfile

from ..factories import CertificationFactory, SkillFactory, TrainerProfileFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/trainers/certification/add/"


def actions(actor) -> list[str]:
    return list(
        AuditEvent.objects.filter(actor=actor, action__startswith="trainers.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_issuing_a_certification_is_audited_and_names_the_issuer(client, ld_staff):
    profile = TrainerProfileFactory()
    skill = SkillFactory()
    client.force_login(ld_staff)

    response = client.post(
        ADD,
        {
            "trainer": profile.pk,
            "skill": skill.pk,
            "issued_at_0": "2026-11-01",
            "issued_at_1": "09:00:00",
            "expires_at_0": "",
            "expires_at_1": "",
            "issued_by": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    certification = Certification.objects.get(trainer=profile, skill=skill)
    assert certification.issued_by == ld_staff
    event = AuditEvent.objects.get(action="trainers.certification.issued")
    assert (event.actor, event.object_id) == (ld_staff, str(certification.pk))
    assert event.data["skill"] == skill.slug


def test_changing_and_revoking_a_certification_are_audited(client, ld_staff):
    certification = CertificationFactory()
    client.force_login(ld_staff)
    change = f"/admin/trainers/certification/{certification.pk}/change/"

    client.post(
        change,
        {
            "trainer": certification.trainer.pk,
            "skill": certification.skill.pk,
            "issued_at_0": "2026-11-01",
            "issued_at_1": "09:00:00",
            "expires_at_0": "2027-11-01",
            "expires_at_1": "09:00:00",
            "issued_by": "",
        },
    )
    client.post(f"/admin/trainers/certification/{certification.pk}/delete/", {"post": "yes"})

    assert actions(ld_staff) == ["trainers.certification.changed", "trainers.certification.revoked"]
    assert not Certification.objects.exists()
    revoked = AuditEvent.objects.get(action="trainers.certification.revoked")
    assert revoked.data["expires_at"].startswith("2027-11-01")


def test_pausing_a_trainer_in_the_admin_is_audited(client, ld_staff):
    certification = CertificationFactory()
    profile = certification.trainer
    client.force_login(ld_staff)
    prefix = "certifications"

    response = client.post(
        f"/admin/trainers/trainerprofile/{profile.pk}/change/",
        {
            "user": profile.user.pk,
            "bio": "",
            "status": TrainerProfile.Status.PAUSED,
            "nominated_by": "",
            "monthly_session_cap": profile.monthly_session_cap,
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-id": certification.pk,
            f"{prefix}-0-trainer": profile.pk,
            f"{prefix}-0-skill": certification.skill.pk,
            f"{prefix}-0-issued_at_0": "2026-11-01",
            f"{prefix}-0-issued_at_1": "09:00:00",
            f"{prefix}-0-expires_at_0": "",
            f"{prefix}-0-expires_at_1": "",
            f"{prefix}-0-issued_by": "",
            f"{prefix}-0-DELETE": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    profile.refresh_from_db()
    assert profile.status == TrainerProfile.Status.PAUSED
    assert actions(ld_staff) == [
        "trainers.profile.changed",
        "trainers.profile.status_changed",
        "trainers.certification.revoked",
    ]
    assert not Certification.objects.exists()


def test_taking_someone_off_the_programme_revokes_their_certifications_first(client, ld_staff):
    certification = CertificationFactory()
    profile = certification.trainer
    client.force_login(ld_staff)

    client.post(f"/admin/trainers/trainerprofile/{profile.pk}/delete/", {"post": "yes"})

    assert not TrainerProfile.objects.exists()
    assert actions(ld_staff) == ["trainers.certification.revoked", "trainers.profile.deleted"]


def test_bulk_deletes_of_profiles_and_certifications_are_audited_row_by_row(client, ld_staff):
    certifications = CertificationFactory.create_batch(2)
    profiles = TrainerProfileFactory.create_batch(2)
    client.force_login(ld_staff)

    for model, rows in (("certification", certifications), ("trainerprofile", profiles)):
        response = client.post(
            f"/admin/trainers/{model}/",
            {
                "action": "delete_selected",
                "_selected_action": [row.pk for row in rows],
                "post": "yes",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]

    assert not Certification.objects.exists()
    assert TrainerProfile.objects.count() == 2  # the certified ones' profiles stay
    assert actions(ld_staff) == [
        "trainers.certification.revoked",
        "trainers.certification.revoked",
        "trainers.profile.deleted",
        "trainers.profile.deleted",
    ]
