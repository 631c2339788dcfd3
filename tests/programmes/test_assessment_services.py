"""Recording assessments: history kept, the latest is current, verification remembered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from peertrain.accounts.services import user_update_skill_privacy
from peertrain.audit.models import AuditEvent
from programmes.errors import AssessmentError
from programmes.models import AssessmentSource, CurrentSkillLevel, SkillAssessment
from programmes.services import assessment_record

from ..factories import SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def skill():
    return SkillFactory(name="SQL")


def self_rate(user, skill, level, **kwargs):
    return assessment_record(
        user=user,
        skill=skill,
        level=level,
        source=AssessmentSource.SELF,
        assessed_by=user,
        **kwargs,
    )


def current(user, skill) -> CurrentSkillLevel:
    return CurrentSkillLevel.objects.get(user=user, skill=skill)


def test_history_is_kept_and_the_latest_is_current(employee, skill):
    start = timezone.now() - timedelta(days=10)
    self_rate(employee, skill, 1, at=start)
    self_rate(employee, skill, 2, at=start + timedelta(days=1))
    self_rate(employee, skill, 3, at=start + timedelta(days=2))

    levels = list(SkillAssessment.objects.filter(user=employee).values_list("level", flat=True))
    assert levels == [3, 2, 1]  # newest first, nothing overwritten
    assert current(employee, skill).level == 3
    assert current(employee, skill).source_label == "self-assessed"


def test_lead_verified_level_shows_as_verified(employee, lead, skill):
    assessment_record(
        user=employee, skill=skill, level=3, source=AssessmentSource.LEAD, assessed_by=lead
    )

    level = current(employee, skill)
    assert (level.level, level.source_label) == (3, "verified by team lead")
    assert AuditEvent.objects.filter(action="programmes.assessment.recorded").count() == 1


def test_self_assessment_after_a_verified_one_is_pending_verification(employee, lead, skill):
    now = timezone.now()
    assessment_record(
        user=employee,
        skill=skill,
        level=2,
        source=AssessmentSource.LEAD,
        assessed_by=lead,
        at=now - timedelta(days=3),
    )

    self_rate(employee, skill, 4, at=now)

    level = current(employee, skill)
    assert (level.level, level.verified_level) == (4, 2)
    assert level.pending_verification
    assert level.source_label == "self, pending verification"


def test_older_back_dated_assessment_joins_history_without_replacing_current(employee, skill):
    now = timezone.now()
    self_rate(employee, skill, 3, at=now)

    self_rate(employee, skill, 1, at=now - timedelta(days=30))

    assert SkillAssessment.objects.filter(user=employee, skill=skill).count() == 2
    level = current(employee, skill)
    assert (level.level, level.assessed_at) == (3, now)


@pytest.mark.parametrize("level", [-1, 5, 7])
def test_level_out_of_range_is_refused_and_saves_nothing(employee, skill, level):
    with pytest.raises(AssessmentError, match="from 0"):
        self_rate(employee, skill, level)

    assert not SkillAssessment.objects.exists()
    assert not CurrentSkillLevel.objects.exists()


def test_self_assessment_made_by_someone_else_is_refused(employee, other_employee, skill):
    with pytest.raises(AssessmentError, match="Only you can self-assess"):
        assessment_record(
            user=employee,
            skill=skill,
            level=4,
            source=AssessmentSource.SELF,
            assessed_by=other_employee,
        )

    assert not SkillAssessment.objects.exists()


def test_a_lead_assessment_recorded_as_self_is_refused(employee, lead, skill):
    with pytest.raises(AssessmentError):
        assessment_record(
            user=employee, skill=skill, level=4, source=AssessmentSource.LEAD, assessed_by=employee
        )

    assert not SkillAssessment.objects.exists()


def test_privacy_choices_are_saved_and_audited_once(employee):
    user_update_skill_privacy(user=employee, share_skill_levels=True, suggest_me_as_teacher=False)
    user_update_skill_privacy(user=employee, share_skill_levels=True, suggest_me_as_teacher=False)

    employee.refresh_from_db()
    assert (employee.share_skill_levels, employee.suggest_me_as_teacher) == (True, False)
    events = AuditEvent.objects.filter(action="accounts.skill_privacy.updated")
    assert [event.data for event in events] == [{"share_skill_levels": True}]
