"""Forms for proposing, changing and cancelling sessions. They check the shape of the input
only (a date is a date, an address an address); the rules (certification, seats, times
that follow each other and lie ahead, a place to meet once it is published) live in
``sessions.services.sessions``, whose refusal ``form_error`` shows beside its input."""

import re
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.utils import timezone

from peertrain.accounts.models import User
from peertrain.core.forms import MultiLineField, OneLineField
from peertrain.core.limits import validate_date_window
from peertrain.core.text import validate_single_line
from peertrain.core.timezones import zone_named
from programmes.models import Programme, Skill

from .models import CoTrainer, TrainingSession
from .selectors import co_trainer_rows_of
from .services.sessions import EDITABLE_FIELDS

MAX_CO_TRAINERS = 5
MAX_SEATS = 1000
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# Where a service error about a series belongs on the form.
SERIES_FIELDS = {"every_weeks": "repeat_every_weeks", "until": "repeat_until"}


class ZonedDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read and shown in the session's time zone (not the
    viewer's), so a trainer's 10:00 is 10:00 where the session happens. A time a clock
    change skips or repeats is refused with a message rather than guessed."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    default_validators = [validate_date_window]
    zone = ZoneInfo("UTC")

    def to_python(self, value):
        with timezone.override(self.zone):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(self.zone):
            return super().prepare_value(value)


def parse_emails(raw: str) -> list[str]:
    return list(dict.fromkeys(part.lower() for part in re.split(r"[\s,;]+", raw) if part))


def _column_length(name: str) -> int:
    """A text field's limit is its column's: longer input would fail in the database."""
    return TrainingSession._meta.get_field(name).max_length


class SessionForm(forms.Form):
    """The fields a session's lead trainer fills in, proposing or changing it."""

    title = OneLineField(max_length=_column_length("title"))
    description = MultiLineField(
        required=False,
        max_length=_column_length("description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What people will be able to do afterwards, and what to bring.",
    )
    format = forms.ChoiceField(choices=TrainingSession.Format.choices)
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(),
        required=False,
        empty_label="Not part of a programme",
    )
    starts_at = ZonedDateTimeField(label="Starts")
    ends_at = ZonedDateTimeField(label="Ends")
    location = OneLineField(
        label="Room or address",
        max_length=_column_length("location"),
        required=False,
        help_text="For people coming in.",
    )
    video_url = forms.URLField(
        label="Video-call link",
        required=False,
        assume_scheme="https",
        max_length=_column_length("video_url"),
        validators=[validate_single_line],
        help_text="Shown only to people with a seat.",
    )
    capacity = forms.IntegerField(label="Seats", min_value=1, max_value=MAX_SEATS)
    booking_deadline = ZonedDateTimeField(
        label="Booking closes",
        required=False,
        help_text="Leave empty to take bookings until the start.",
    )
    waitlist_open = forms.BooleanField(
        label="When it's full, let people join a waitlist", required=False, initial=True
    )
    co_trainers = OneLineField(
        label="Co-trainers",
        required=False,
        max_length=1000,
        help_text=(
            "Colleagues certified in the skill who teach with you: their email addresses, "
            "separated by commas. Each is asked, and counts as a trainer once they accept."
        ),
    )

    def __init__(self, *args, zone: str, programme: Programme | None = None, **kw):
        super().__init__(*args, **kw)
        self.zone_name = zone
        for name in ("starts_at", "ends_at", "booking_deadline"):
            # A session's zone name isn't validated by its model; an unknown one reads as
            # UTC so the form still opens instead of failing.
            self.fields[name].zone = zone_named(zone) or ZoneInfo("UTC")
            self.fields[name].help_text = " ".join(
                filter(None, [self.fields[name].help_text, f"Time in {zone}."])
            )
        # Active programmes, plus the one the session already belongs to.
        current = Q(pk=programme.pk) if programme else Q(pk__in=[])
        self.fields["programme"].queryset = Programme.objects.filter(
            Q(status=Programme.Status.ACTIVE) | current
        ).order_by("title")

    def clean_co_trainers(self) -> list[User]:
        emails = parse_emails(self.cleaned_data["co_trainers"])
        invalid = [email for email in emails if not _is_email(email)]
        if invalid:
            raise ValidationError(f"These aren't email addresses: {', '.join(invalid)}.")
        if len(emails) > MAX_CO_TRAINERS:
            raise ValidationError(f"At most {MAX_CO_TRAINERS} co-trainers, please.")
        # Who may be asked (certified, active, not the lead) is the services' rule; a
        # refusal comes back beside this field.
        found = {user.email.lower(): user for user in User.objects.filter(email__in=emails)}
        unknown = [email for email in emails if email not in found]
        if unknown:
            raise ValidationError(
                f"Nobody here signs in with {', '.join(unknown)}. Check the spelling."
            )
        return [found[email] for email in emails]

    def training_session_fields(self) -> dict:
        """The inputs the services take under the same names: the session's editable
        fields (``EDITABLE_FIELDS``) this form has."""
        return {name: self.cleaned_data[name] for name in training_session_field_names(self)}


def training_session_field_names(form: forms.Form) -> list[str]:
    return [name for name in EDITABLE_FIELDS if name in form.base_fields]


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


class SessionProposeForm(SessionForm):
    """A new session for one of the trainer's skills, once or every few weeks."""

    domain_error_fields = SERIES_FIELDS  # read by peertrain.core.errors.form_error

    skill = forms.ModelChoiceField(
        queryset=Skill.objects.none(),
        empty_label="Choose one of your skills",
        help_text="You can propose sessions for the skills you're certified in.",
    )
    repeat_every_weeks = forms.TypedChoiceField(
        label="Repeat",
        coerce=int,
        choices=[
            (0, "Doesn't repeat"),
            (1, "Every week"),
            (2, "Every 2 weeks"),
            (3, "Every 3 weeks"),
            (4, "Every 4 weeks"),
        ],
        initial=0,
        empty_value=0,
        required=False,
    )
    repeat_until = forms.DateField(
        label="Last session on or before",
        required=False,
        validators=[validate_date_window],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Each session of a series can be moved or cancelled on its own later.",
    )

    field_order = ["skill", "title"]

    def __init__(self, *args, skills: QuerySet[Skill], **kw):
        super().__init__(*args, **kw)
        self.fields["skill"].queryset = skills

    def clean(self):
        data = super().clean()
        every, until = data.get("repeat_every_weeks"), data.get("repeat_until")
        if every and not until:
            self.add_error("repeat_until", "Choose the date of the last session.")
        if until and not every and "repeat_every_weeks" not in self.errors:
            self.add_error("repeat_every_weeks", "Choose how often it repeats, or clear the date.")
        return data


class SessionEditForm(SessionForm):
    """Change a session; times are read and shown in the session's own time zone."""

    def __init__(self, *args, session: TrainingSession, **kw):
        self.session = session
        # Everyone asked, with their answer, for the page; the field lists those invited
        # or teaching (someone who declined is invited anew by adding them again).
        self.co_trainer_rows = co_trainer_rows_of(session=session)
        self.co_trainers_before = [
            row.user for row in self.co_trainer_rows if row.state != CoTrainer.State.DECLINED
        ]
        initial = {name: getattr(session, name) for name in training_session_field_names(self)}
        initial["co_trainers"] = ", ".join(co.email for co in self.co_trainers_before)
        super().__init__(
            *args,
            initial=initial,
            zone=session.time_zone,
            programme=session.programme,
            **kw,
        )

    def changes(self) -> tuple[dict, list[User] | None]:
        """(changed session fields, new co-trainers or None when they are unchanged)."""
        changed = {
            name: value
            for name, value in self.training_session_fields().items()
            if value != getattr(self.session, name)
        }
        co_trainers = self.cleaned_data["co_trainers"]
        before = {co.pk for co in self.co_trainers_before}
        return changed, (None if {co.pk for co in co_trainers} == before else co_trainers)


class CancelSessionForm(forms.Form):
    reason = MultiLineField(
        label="Reason (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Added to the message everyone booked or waiting receives.",
    )
