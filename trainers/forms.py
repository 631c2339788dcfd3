from collections.abc import Iterable

from django import forms

from peertrain.core.limits import MAX_ID
from peertrain.core.text import validate_single_line
from programmes.forms import AssessmentNoteField, LevelField
from programmes.models import Skill


class TrainerAssessForm(forms.Form):
    """A trainer's verified assessment of someone, in a skill the trainer is certified in."""

    email = forms.EmailField(
        label="Their email address", max_length=254, validators=[validate_single_line]
    )
    # A number, not a model choice: which skills are allowed is the access helper's call,
    # so a skill outside the trainer's certifications is refused (403), not "invalid".
    skill = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.Select)
    level = LevelField()
    note = AssessmentNoteField(
        help_text="What you based it on, e.g. the session or task you observed."
    )

    def __init__(self, *args, skills: Iterable[Skill], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].widget.choices = [(skill.pk, skill.name) for skill in skills]


class NominateForm(forms.Form):
    # ``next`` is where to go afterwards, not nomination data: peertrain.core.redirects reads it.
    user = forms.IntegerField(min_value=1, max_value=MAX_ID)
    skill = forms.IntegerField(min_value=1, max_value=MAX_ID)
