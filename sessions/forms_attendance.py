"""Forms for taking attendance and checking in. They check shape only; rules live in
services/attendance.py."""

from django import forms

from peertrain.core.forms import OneLineField

from .models import Attendance


class AttendanceMarkForm(forms.Form):
    status = forms.ChoiceField(
        choices=Attendance.Status.choices,
        error_messages={
            "required": "Choose present, late, absent or excused.",
            "invalid_choice": "Choose present, late, absent or excused.",
        },
    )


class CheckInForm(forms.Form):
    code = OneLineField(
        label="Check-in code",
        max_length=20,
        required=False,
        help_text="The 6 digits on the trainer's screen.",
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "class": "form-control form-control-lg check-in-code-input",
            }
        ),
    )
    # Issued by the check-in page for a good code, so the code may rotate before Confirm.
    ticket = OneLineField(required=False, max_length=300, widget=forms.HiddenInput)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        if code and not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("Enter the 6-digit code shown on the trainer's screen.")
        return code

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("code") and not data.get("ticket"):
            self.add_error("code", "Enter the 6-digit code shown on the trainer's screen.")
        return data
