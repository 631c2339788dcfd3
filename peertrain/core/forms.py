"""Form fields for text people type, carrying the core's input rules (``peertrain.core.text``),
so a form can't forget them: every one-line text input refuses control characters, every
multi-line one keeps only line breaks and tabs. A test walks every form to check it."""

from django import forms

from .text import validate_single_line, validate_text


class OneLineField(forms.CharField):
    """A title, a name, a place, a code: one line of text."""

    default_validators = [validate_single_line]


class MultiLineField(forms.CharField):
    """A description or a message: several lines, in a text area."""

    widget = forms.Textarea
    default_validators = [validate_text]
