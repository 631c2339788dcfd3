from typing import cast

from django import forms

from .channels import channels
from .kinds import kinds

SEPARATOR = "@"


def choice_value(kind: str, channel: str) -> str:
    return f"{kind}{SEPARATOR}{channel}"


class PreferencesForm(forms.Form):
    """The switches of the preferences page: one checkbox per optional kind and channel,
    ticked for "send me this". Anything else posted (a locked kind, a made-up one) is a
    form error, not a silent change."""

    on = forms.MultipleChoiceField(
        label="Messages", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        switches = cast(forms.MultipleChoiceField, self.fields["on"])
        switches.choices = [
            (choice_value(kind.code, channel.code), f"{kind.label} ({channel.label})")
            for kind in kinds().values()
            if kind.optional
            for channel in channels()
        ]

    def wanted(self) -> set[tuple[str, str]]:
        pairs = (value.split(SEPARATOR, 1) for value in self.cleaned_data["on"])
        return {(kind, channel) for kind, channel in pairs}
