from django import forms

from programmes.models import Programme, Skill

from .models import TrainingSession
from .selectors import SessionFilters


class SessionFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    skill = forms.ModelChoiceField(queryset=Skill.objects.all(), required=False)
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.filter(status=Programme.Status.ACTIVE), required=False
    )
    format = forms.ChoiceField(
        choices=[("", "Any format"), *TrainingSession.Format.choices], required=False
    )
    mode = forms.ChoiceField(
        label="Where",
        choices=[("", "Anywhere"), ("in_person", "In person"), ("remote", "Remote")],
        required=False,
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    has_seats = forms.BooleanField(label="Has free seats", required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The 'from' date is after the 'to' date.")
        return data

    def filters(self) -> SessionFilters:
        data = self.cleaned_data
        return SessionFilters(
            skill=data["skill"].pk if data.get("skill") else None,
            programme=data["programme"].pk if data.get("programme") else None,
            format=data.get("format") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            mode=data.get("mode") or None,
            has_seats=bool(data.get("has_seats")),
            q=data.get("q") or "",
        )
