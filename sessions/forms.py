from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from peertrain.core.forms import OneLineField
from programmes.models import Programme, Skill

from .models import TrainingSession
from .selectors import SessionFilters


class _LoadedChoiceIterator(ModelChoiceIterator):
    """Options from the rows the field loaded, so rendering them costs no further query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.rows()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows())


class LoadedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that loads its queryset once per form and validates the choice
    against those rows: the options shown and the check that a choice exists share one
    query, where ModelChoiceField runs a second to fetch the chosen row. Matches on the
    primary key (no ``to_field_name``); meant for short option lists."""

    iterator = _LoadedChoiceIterator

    def _set_queryset(self, queryset):
        self._rows = None  # Each form gets a fresh copy of the field (deepcopy), so per form.
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def rows(self) -> list:
        if self._rows is None:
            self._rows = list(self.queryset)
        return self._rows

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        if isinstance(value, self.queryset.model):
            value = value.pk
        try:
            # Parsed as ModelChoiceField's lookup would parse it, so " 5 " still means 5.
            key = self.queryset.model._meta.pk.to_python(value)
        except ValidationError:
            key = None  # malformed: matches no row
        for obj in self.rows():
            if obj.pk == key:
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )


class SessionFilterForm(forms.Form):
    q = OneLineField(label="Search", required=False, max_length=100)
    skill = LoadedModelChoiceField(queryset=Skill.objects.all(), required=False)
    programme = LoadedModelChoiceField(
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

    @property
    def refinements(self) -> list:
        """Every filter but the search box, as bound fields (the page folds them away)."""
        return [self[name] for name in self.fields if name != "q"]

    @property
    def refinements_in_use(self) -> int:
        """How many of ``refinements`` the person asked for (what they typed, valid or not)."""
        if not self.is_bound:
            return 0
        return sum(1 for field in self.refinements if field.value() not in (None, "", False))

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
