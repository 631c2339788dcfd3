from collections.abc import Iterable

from django import forms

from peertrain.core.forms import MultiLineField
from peertrain.core.limits import LONG_TEXT_MAX_LENGTH, MAX_ID
from peertrain.core.text import validate_single_line, validate_text
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


class NominatePrefill(forms.Form):
    """What a "Nominate" link carries in its query string: who and for which skill."""

    user = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    skill = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class NominationForm(forms.Form):
    """Put a colleague (or oneself) forward to teach a skill. The person comes as ``user``
    (from a "Nominate" link) or is typed as ``email``. ``next`` is where to go afterwards,
    not nomination data: peertrain.core.redirects reads it."""

    user = forms.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, widget=forms.HiddenInput
    )
    email = forms.EmailField(
        label="Their work email address",
        required=False,
        max_length=254,
        validators=[validate_single_line],
        help_text="Or your own, to put yourself forward.",
    )
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("name"),
        empty_label="Choose a skill",
        error_messages={"invalid_choice": "That isn't a skill. Choose one from the list."},
    )
    reason = forms.CharField(
        label="Why would they teach it well?",
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why they would teach it well."},
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("user") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "Give the work email address of the person you nominate.")
        return cleaned


class NominationDeclineForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TrainerBioForm(forms.Form):
    """What a trainer says about themselves; the rules are ``trainer_bio_update``'s."""

    bio = MultiLineField(
        label="Bio",
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        help_text="Plain text, shown on your card in the trainer directory: what you teach, "
        "how you like to teach, what to ask you about.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
