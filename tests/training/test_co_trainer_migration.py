"""The move from a plain list of co-trainers to invitations with a state keeps everyone
already listed as an accepted co-trainer, and L&D staff may view the new rows."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from peertrain.accounts.ld_staff import LD_STAFF_GROUP

BEFORE = [("training", "0003_text_without_control_characters")]
AFTER = [("training", "0006_ld_staff_cotrainer_permissions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_co_trainers_listed_before_become_accepted_ones():
    old = migrate(BEFORE)
    try:
        user_model = old.get_model("accounts", "User")
        lead = user_model.objects.create(email="lead@x.test", display_name="Lead")
        co = user_model.objects.create(email="co@x.test", display_name="Co")
        skill = old.get_model("programmes", "Skill").objects.create(name="SQL", slug="sql")
        start = timezone.now() + timedelta(days=3)
        session = old.get_model("training", "TrainingSession").objects.create(
            skill=skill,
            title="Joins",
            lead_trainer=lead,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            capacity=5,
        )
        session.co_trainers.add(co)

        new = migrate(AFTER)

        row = new.get_model("training", "CoTrainer").objects.get()
        assert (row.session_id, row.user_id, row.state) == (session.pk, co.pk, "accepted")
        assert row.invited_by_id == lead.pk
        assert row.answered_at is not None
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_ld_staff_may_view_but_not_write_co_trainer_rows(db):
    group = Group.objects.get(name=LD_STAFF_GROUP)
    codenames = set(
        group.permissions.filter(content_type__app_label="training").values_list(
            "codename", flat=True
        )
    )

    assert "view_cotrainer" in codenames
    assert not {"add_cotrainer", "change_cotrainer", "delete_cotrainer"} & codenames
