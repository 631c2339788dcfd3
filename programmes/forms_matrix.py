"""Forms of the skills matrix, the gap list and team targets. They check shape only;
who may act on which team or person is the access helpers' job, the rules the services'."""

from django import forms

from peertrain.accounts.models import Team
from peertrain.core.limits import MAX_ID

from .forms import AssessmentNoteField, LevelField
from .models import Priority, Skill, SkillLevel

TARGET_LEVEL_CHOICES = SkillLevel.choices[1:]


class MatrixAssessForm(forms.Form):
    """A lead's assessment of a team member, from a matrix cell."""

    member = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    skill = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    level = LevelField()
    note = AssessmentNoteField(help_text="What you based it on, e.g. a project or review.")


class TargetForm(forms.Form):
    """A team's target in a skill: set it, or change its level or priority."""

    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("category", "name"),
        error_messages={"invalid_choice": "Choose a skill from the list."},
    )
    target_level = forms.TypedChoiceField(
        choices=TARGET_LEVEL_CHOICES,
        coerce=int,
        label="Target level",
        error_messages={"invalid_choice": "A target level is from 1 (aware) to 4 (can teach it)."},
    )
    priority = forms.TypedChoiceField(
        choices=Priority.choices,
        coerce=int,
        initial=Priority.MEDIUM,
        error_messages={"invalid_choice": "Priority is low, medium or high."},
    )


class GapFilterForm(forms.Form):
    """Filters of the organisation's gap list; a bad value is dropped, not fatal."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="All teams",
        label="Team",
        error_messages={"invalid_choice": "there is no such team."},
    )
    category = forms.ChoiceField(
        required=False,
        label="Skill category",
        error_messages={"invalid_choice": "there is no skill in that category."},
    )
    priority = forms.TypedChoiceField(
        choices=[("", "Any priority"), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label="Priority",
        error_messages={"invalid_choice": "priority is low, medium or high."},
    )

    show_met = forms.BooleanField(required=False, label="Show targets already met")

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All categories")] + [(c, c) for c in categories]

    def filters(self) -> dict:
        """The valid filters as ``gap_ranking`` keywords (call after ``is_valid``)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "teams": [data["team"]] if data.get("team") else None,
            "skill_category": data.get("category") or None,
            "priority": data.get("priority") or None,
            "include_met": bool(data.get("show_met")),
        }

    def rejected(self) -> list[str]:
        """A sentence for each filter that was ignored because its value was not valid."""
        return [
            f"Ignored the {self.fields[name].label.lower()} filter: {' '.join(errors)}"
            for name, errors in self.errors.items()
        ]
