"""The sessions app tells "my gaps" which upcoming sessions teach each skill."""

import pytest

from programmes.models import Priority
from programmes.services import target_set

from ..factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def test_my_gaps_recommend_upcoming_sessions_for_the_skill(client, employee, ld_staff):
    session = TrainingSessionFactory(title="SQL joins, gently")
    target_set(
        team=employee.team,
        skill=session.skill,
        target_level=3,
        priority=Priority.HIGH,
        by=ld_staff,
    )
    TrainingSessionFactory(skill=session.skill, title="Old draft", status="draft")
    client.force_login(employee)

    page = client.get("/skills/").content.decode()

    assert "SQL joins, gently" in page
    assert f'href="/sessions/{session.pk}/"' in page
    assert "Old draft" not in page
