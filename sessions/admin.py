"""L&D's admin for sessions, series, bookings and attendance.

Every write goes through the sessions services, so the admin obeys what the app obeys: a
booking made here takes a seat or a waitlist place under the session's lock, a cancelled one
gives its seat to the next person waiting, a session is published, cancelled or completed
with its notices and events. A service's refusal shows on the form with nothing saved
(``ServiceModelAdmin``); a bulk status action names each refused row and why, and does the
others. Nothing here deletes a session, booking or attendance: they are history (cancel
instead).
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from peertrain.core.admin import ReadOnlyModelAdmin, ServiceModelAdmin
from peertrain.core.errors import DomainError

from .forms_manage import MAX_SEATS
from .models import Attendance, Booking, TrainingSeries, TrainingSession
from .services.attendance import attendance_mark
from .services.booking import booking_cancel, booking_create
from .services.sessions import (
    EDITABLE_FIELDS,
    training_session_cancel,
    training_session_complete,
    training_session_create,
    training_session_publish,
    training_session_update,
)

# What a new session needs besides the fields that can change later.
CREATE_ONLY_FIELDS = ("skill", "lead_trainer")
COUNTERS = ("status", "confirmed_count", "waitlist_count", "series", "created_at", "updated_at")


def _each(request: HttpRequest, rows: QuerySet, action: Callable[..., object], done: str) -> None:
    """Run ``action`` on each selected row on its own; say how many it did and, for each
    refusal, why (one refused row doesn't undo the others)."""
    succeeded = 0
    for row in rows:
        try:
            action(row)
        except DomainError as refusal:
            messages.error(request, f"{row}: {refusal.message}")
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, f"{succeeded} {done}.")


class TrainingSessionAdminForm(forms.ModelForm):
    # The app's session form takes the same bounds (the service holds the rest).
    capacity = forms.IntegerField(label="Seats", min_value=1, max_value=MAX_SEATS)


@admin.register(TrainingSession)
class TrainingSessionAdmin(ServiceModelAdmin):
    form = TrainingSessionAdminForm
    list_display = (
        "title",
        "skill",
        "lead_trainer",
        "starts_at",
        "status",
        "confirmed_count",
        "capacity",
        "waitlist_count",
    )
    list_filter = ("status", "format", "skill__category", "programme")
    search_fields = ("title", "skill__name", "lead_trainer__email", "lead_trainer__display_name")
    list_select_related = ("skill", "lead_trainer")
    autocomplete_fields = ("skill", "lead_trainer", "programme")
    date_hierarchy = "starts_at"
    ordering = ("-starts_at",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ("publish_sessions", "cancel_sessions", "complete_sessions")

    def get_fields(self, request, obj=None):
        return (*CREATE_ONLY_FIELDS, *EDITABLE_FIELDS, *(COUNTERS if obj else ()))

    def get_readonly_fields(self, request, obj=None):
        return (*CREATE_ONLY_FIELDS, *COUNTERS) if obj else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        if change:
            changed = {name: fields[name] for name in form.changed_data if name in fields}
            saved = training_session_update(session=obj, by=request.user, **changed)
        else:
            saved = training_session_create(
                trainer=form.cleaned_data["lead_trainer"],
                skill=form.cleaned_data["skill"],
                **fields,
            )
        obj.pk = saved.pk

    @admin.action(description="Publish the selected drafts", permissions=["change"])
    def publish_sessions(self, request, queryset):
        def publish(session):
            training_session_publish(session=session, by=request.user)

        _each(request, queryset, publish, "published")

    @admin.action(
        description="Cancel the selected sessions (everyone booked is told)",
        permissions=["change"],
    )
    def cancel_sessions(self, request, queryset):
        def cancel(session):
            training_session_cancel(session=session, by=request.user)

        _each(request, queryset, cancel, "cancelled")

    @admin.action(description="Mark the selected sessions held", permissions=["change"])
    def complete_sessions(self, request, queryset):
        def complete(session):
            training_session_complete(session=session, by=request.user)

        _each(request, queryset, complete, "marked held")


class SessionsOfSeries(admin.TabularInline):
    model = TrainingSession
    fields = ("title", "starts_at", "status", "confirmed_count", "capacity")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrainingSeries)
class TrainingSeriesAdmin(ReadOnlyModelAdmin):
    """Read-only: a series is created and changed from the session pages, date by date."""

    list_display = ("title", "lead_trainer", "every_weeks", "until")
    search_fields = ("title", "lead_trainer__email", "lead_trainer__display_name")
    list_select_related = ("lead_trainer",)
    inlines = (SessionsOfSeries,)


class BookingAdminForm(forms.ModelForm):
    class Meta:
        model = Booking
        fields = ("session", "user")

    def validate_unique(self):
        """The service decides whether this person may book (and says why not, beside the
        form); a cancelled booking may be booked again, which the form's own check of the
        one-active-booking constraint would word as a duplicate."""


@admin.register(Booking)
class BookingAdmin(ServiceModelAdmin):
    """Booking someone here is the app's booking (a seat, else the waitlist; they are told,
    as when a lead books them); a booking changes only by being cancelled."""

    form = BookingAdminForm
    list_display = ("user", "session", "status", "waitlist_position", "booked_by", "created_at")
    list_filter = ("status", "session__status", "session__skill__category")
    search_fields = ("user__email", "user__display_name", "session__title")
    list_select_related = ("user", "session", "booked_by")
    autocomplete_fields = ("session", "user")
    date_hierarchy = "created_at"
    actions = ("cancel_bookings",)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("session", "user", "status", "waitlist_position", "booked_by", "cancelled_at")

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) or ("session", "user")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # every field is read-only once booked; cancelling is the action below
        booking = booking_create(session=obj.session, user=obj.user, booked_by=request.user)
        obj.pk = booking.pk
        obj.status = booking.status

    @admin.action(
        description="Cancel the selected bookings (a freed seat goes to the waitlist)",
        permissions=["change"],
    )
    def cancel_bookings(self, request, queryset):
        def cancel(booking):
            booking_cancel(booking=booking, by=request.user)

        _each(request, queryset.select_related("session", "user"), cancel, "cancelled")


class AttendanceAdminForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ("status",)


@admin.register(Attendance)
class AttendanceAdmin(ServiceModelAdmin):
    """Attendance is taken on the session's roster; here L&D can correct one record."""

    form = AttendanceAdminForm
    list_display = ("user", "session", "status", "walk_in", "checked_in_at", "recorded_by")
    list_filter = ("status", "walk_in", "session__skill__category")
    search_fields = ("user__email", "user__display_name", "session__title")
    list_select_related = ("user", "session", "recorded_by")
    readonly_fields = ("session", "user", "walk_in", "checked_in_at", "recorded_by")
    fields = ("session", "user", "status", "walk_in", "checked_in_at", "recorded_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        attendance_mark(
            session=obj.session,
            attendee=obj.user,
            status=form.cleaned_data["status"],
            by=request.user,
        )
