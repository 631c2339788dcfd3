"""Drop four foreign-key indexes that repeat the leading column of a composite index
(one_current_level, current_level_by_skill, assessment_history, one_target_per_team_skill).

Only the indexes go: the state change is Django's AlterField(db_index=False), but on the
database a plain DROP INDEX, because AlterField would drop and re-validate each foreign key
(PostgreSQL) or rebuild each table (SQLite). The index names are Django's own, the same on
both backends.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (table, column, index name Django gave the foreign key's index)
INDEXES = [
    ("programmes_currentskilllevel", "skill_id", "programmes_currentskilllevel_skill_id_eb7da8ad"),
    ("programmes_currentskilllevel", "user_id", "programmes_currentskilllevel_user_id_224f5789"),
    ("programmes_skillassessment", "user_id", "programmes_skillassessment_user_id_410d6e92"),
    ("programmes_skilltarget", "team_id", "programmes_skilltarget_team_id_e42f3c60"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_skill_privacy_choices"),
        ("programmes", "0004_ld_staff_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for table, column, name in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="currentskilllevel",
                    name="skill",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="current_levels",
                        to="programmes.skill",
                    ),
                ),
                migrations.AlterField(
                    model_name="currentskilllevel",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="current_skill_levels",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="skillassessment",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="skill_assessments",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="skilltarget",
                    name="team",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="skill_targets",
                        to="accounts.team",
                    ),
                ),
            ],
        )
    ]
