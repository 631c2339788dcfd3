"""Trainers propose and run their sessions; L&D staff can step in.

Who manages a session (edit, publish, cancel, mark completed): its lead trainer and L&D
staff, through ``training_session_for_manager``. Co-trainers see the session, drafts
included, but don't manage it, so one person answers for each change attendees are told
about. Anyone else gets 403 (404 for a draft they may not even see). A refusal
(``SessionError``) shows beside the form's input it is about, or is answered by
``DomainErrorMiddleware`` (409).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods, require_POST

from peertrain.core.errors import form_error
from trainers.access import certified_or_lapsed_skills_for

from ..access import series_for_manager, training_session_for_manager
from ..errors import SessionError
from ..forms_manage import CancelSessionForm, SessionEditForm, SessionProposeForm
from ..selectors import series_occurrences
from ..services.sessions import (
    training_series_create,
    training_series_publish,
    training_session_cancel,
    training_session_change_is_announced,
    training_session_complete,
    training_session_create,
    training_session_publish,
    training_session_update,
)


def _bound(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def training_session_create_view(request: HttpRequest) -> HttpResponse:
    """Propose a session, or a series every few weeks, saved as draft(s). Times are read in
    the trainer's own time zone, which becomes the session's.
    Who: trainers, for the skills they're certified in; a trainer whose certifications all
    lapsed (expired, or teaching paused) is refused with the page saying why."""
    skills, lapsed = certified_or_lapsed_skills_for(user=request.user)
    if not skills:
        context = {"form": None, "lapsed": lapsed, "editing": False}
        return render(request, "training/session_form.html", context, status=403)
    zone = request.user.time_zone
    form = SessionProposeForm(_bound(request), skills=skills, zone=zone)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            return _propose(request, form, zone=zone)
        except SessionError as error:
            status = form_error(form, error)
    context = {"form": form, "zone": zone, "editing": False, "lapsed": lapsed}
    return render(request, "training/session_form.html", context, status=status)


def _propose(request: HttpRequest, form: SessionProposeForm, *, zone: str) -> HttpResponse:
    data = form.cleaned_data
    fields = {
        **form.training_session_fields(),
        "skill": data["skill"],
        "co_trainers": data["co_trainers"],
        "time_zone": zone,
    }
    if not data["repeat_every_weeks"]:
        session = training_session_create(trainer=request.user, **fields)
        messages.success(request, "Saved as a draft. Publish it when you're ready for bookings.")
        return redirect("training:detail", pk=session.pk)
    series = training_series_create(
        trainer=request.user,
        every_weeks=data["repeat_every_weeks"],
        until=data["repeat_until"],
        **fields,
    )
    count = series.occurrences.count()
    messages.success(
        request,
        f"{count} session{pluralize(count)} saved as drafts. "
        "Publish them when you're ready for bookings.",
    )
    return redirect("training:series", pk=series.pk)


@login_required
@require_http_methods(["GET", "POST"])
def training_session_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a session; moving it tells the people booked. Who: its lead trainer, L&D."""
    session = training_session_for_manager(user=request.user, pk=pk)
    form = SessionEditForm(_bound(request), session=session)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        changes, co_trainers = form.changes()
        if not changes and co_trainers is None:
            messages.info(request, "Nothing changed.")
            return redirect("training:detail", pk=session.pk)
        told = training_session_change_is_announced(session=session, changes=changes)
        try:
            session = training_session_update(
                session=session, by=request.user, co_trainers=co_trainers, **changes
            )
        except SessionError as error:
            status = form_error(form, error)
        else:
            messages.success(
                request, "Changes saved." + (" People booked are told." if told else "")
            )
            return redirect("training:detail", pk=session.pk)
    context = {"form": form, "session": session, "zone": session.time_zone, "editing": True}
    return render(request, "training/session_form.html", context, status=status)


@login_required
@require_POST
def training_session_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a draft for booking. Who: its lead trainer, L&D staff."""
    session = training_session_for_manager(user=request.user, pk=pk)
    training_session_publish(session=session, by=request.user)
    messages.success(
        request, "Published: people can book it now. Anyone who asked for this skill is told."
    )
    return redirect("training:detail", pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def training_session_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a session, after a confirmation page (no JavaScript needed); everyone booked
    or waiting is told. Who: its lead trainer, L&D staff."""
    session = training_session_for_manager(user=request.user, pk=pk)
    form = CancelSessionForm(_bound(request))
    if form.is_bound and form.is_valid():
        training_session_cancel(
            session=session, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "The session is cancelled. Everyone booked or waiting is told.")
        return redirect("training:detail", pk=session.pk)
    context = {"form": form, "session": session}
    status = 400 if form.is_bound else 200
    return render(request, "training/manage_cancel.html", context, status=status)


@login_required
@require_POST
def training_session_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a session held: no-shows are recorded, attendees asked for feedback.
    Who: its lead trainer, L&D staff."""
    session = training_session_for_manager(user=request.user, pk=pk)
    asked = training_session_complete(session=session, by=request.user)
    messages.success(
        request,
        f"Marked completed. {asked} attendee{pluralize(asked)} asked for feedback; "
        "anyone booked who wasn't marked present is recorded absent.",
    )
    return redirect("training:detail", pk=session.pk)


@login_required
@require_http_methods(["GET"])
def training_series_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A series' sessions; each is moved or cancelled on its own page.
    Who: the series' lead trainer, L&D staff."""
    series = series_for_manager(user=request.user, pk=pk)
    occurrences = series_occurrences(series=series)
    drafts = sum(1 for occurrence in occurrences if occurrence.status == "draft")
    context = {"series": series, "occurrences": occurrences, "drafts": drafts}
    return render(request, "training/manage_series.html", context)


@login_required
@require_POST
def training_series_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish every draft session of a series still to come, all or none.
    Who: the series' lead trainer, L&D staff."""
    series = series_for_manager(user=request.user, pk=pk)
    count = training_series_publish(series=series, by=request.user)
    if count:
        messages.success(request, f"Published {count} session{pluralize(count)}.")
    else:
        messages.info(request, "There were no drafts still to come.")
    return redirect("training:series", pk=series.pk)
