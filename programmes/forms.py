"""Forms for the skill and programme pages. They check input and say what is wrong; the
rules themselves live in ``services``."""

from itertools import groupby

from django import forms
from django.db.models import Q

from peertrain.accounts.models import Team, User
from peertrain.accounts.selectors import leads_a_team
from peertrain.core.forms import MultiLineField, OneLineField
from peertrain.core.limits import validate_date_window

from .errors import LEVEL_ERROR
from .models import Programme, Skill, SkillAssessment, SkillLevel

SKILL_ERROR = "Choose a skill from the list."
# A browser date picker only takes ISO dates, whatever the site's display format.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _grouped_skill_choices(skills: list[Skill]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Skills as ``(category, [(id, name), …])`` groups, in the order given."""
    return [
        (category, [(str(skill.pk), skill.name) for skill in group])
        for category, group in groupby(skills, key=lambda skill: skill.category)
    ]


class LevelField(forms.TypedChoiceField):
    """A skill level, 0 to 4, wherever someone gives one (rating oneself, a lead's or a
    trainer's assessment); anything else is refused in one wording. Pages draw it with
    ``programmes/_level_radios.html`` or crispy's radio buttons."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Level")
        super().__init__(
            choices=SkillLevel.choices,
            coerce=int,
            error_messages={"required": LEVEL_ERROR, "invalid_choice": LEVEL_ERROR},
            **kwargs,
        )


class AssessmentNoteField(OneLineField):
    """What an assessment is based on: one optional line, as long as the history keeps it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Note (optional)")
        max_length = SkillAssessment._meta.get_field("note").max_length
        super().__init__(max_length=max_length, required=False, **kwargs)


class SkillRatingForm(forms.Form):
    """Rate yourself in one skill."""

    skill = forms.ChoiceField(
        label="Skill",
        error_messages={"required": SKILL_ERROR, "invalid_choice": SKILL_ERROR},
    )
    level = LevelField(label="Your level", widget=forms.RadioSelect)
    note = AssessmentNoteField(
        label="Anything to add? (optional)",
        help_text="For example where you used it last. Your lead sees this.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = {str(skill.pk): skill for skill in Skill.objects.order_by("category", "name")}
        self.fields["skill"].choices = [
            ("", "Choose a skill…"),
            *_grouped_skill_choices(list(self.skills.values())),
        ]

    def clean_skill(self) -> Skill:
        return self.skills[self.cleaned_data["skill"]]


class ProgrammeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Programme.Status.choices],
        error_messages={"invalid_choice": "Filter by draft, active or closed."},
    )


class ProgrammeForm(forms.Form):
    """A programme's fields for L&D. Skills and teams are checkboxes grouped for reading."""

    title = OneLineField(max_length=200)
    goals = MultiLineField(
        max_length=Programme._meta.get_field("goals").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What people should be able to do afterwards.",
    )
    skills = forms.MultipleChoiceField(
        label="Skills covered",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Pick at least one skill the programme covers.",
            "invalid_choice": "Pick skills from the list.",
        },
    )
    audience_teams = forms.MultipleChoiceField(
        label="Audience teams",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Pick at least one team the programme is for.",
            "invalid_choice": "Pick teams from the list.",
        },
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        empty_label="Choose who runs it…",
        help_text="L&D staff and team leads.",
        error_messages={"invalid_choice": "Choose an owner from the list."},
    )
    starts_on = forms.DateField(
        label="Starts on", widget=DATE_INPUT, validators=[validate_date_window]
    )
    ends_on = forms.DateField(
        label="Ends on (optional)",
        required=False,
        widget=DATE_INPUT,
        validators=[validate_date_window],
    )
    status = forms.ChoiceField(
        choices=Programme.Status.choices,
        help_text="Only active programmes are shown to their audience.",
        error_messages={"invalid_choice": "Choose draft, active or closed."},
    )

    def __init__(self, *args, programme: Programme | None = None, **kwargs):
        if programme is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": programme.title,
                "goals": programme.goals,
                "skills": [str(pk) for pk in programme.skills.values_list("pk", flat=True)],
                "audience_teams": [
                    str(pk) for pk in programme.audience_teams.values_list("pk", flat=True)
                ],
                "owner": programme.owner_id,
                "starts_on": programme.starts_on,
                "ends_on": programme.ends_on,
                "status": programme.status,
            }
        super().__init__(*args, **kwargs)
        self.skill_objects = {
            str(skill.pk): skill for skill in Skill.objects.order_by("category", "name")
        }
        self.skill_groups = _grouped_skill_choices(list(self.skill_objects.values()))
        self.fields["skills"].choices = self.skill_groups
        self.team_objects = {str(team.pk): team for team in Team.objects.order_by("name")}
        self.fields["audience_teams"].choices = [
            (pk, team.name) for pk, team in self.team_objects.items()
        ]
        may_own = Q(is_staff=True) | leads_a_team()
        if programme is not None:
            may_own |= Q(pk=programme.owner_id)  # keep the current owner choosable
        self.fields["owner"].queryset = User.objects.filter(may_own, is_active=True).order_by(
            "display_name"
        )

    def clean_skills(self) -> list[Skill]:
        return [self.skill_objects[pk] for pk in self.cleaned_data["skills"]]

    def clean_audience_teams(self) -> list[Team]:
        return [self.team_objects[pk] for pk in self.cleaned_data["audience_teams"]]

    def programme_fields(self) -> dict:
        """The plain fields, as ``programme_save`` takes them."""
        return {
            name: self.cleaned_data[name]
            for name in ("title", "goals", "owner", "starts_on", "ends_on", "status")
        }
