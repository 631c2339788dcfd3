"""Taking attendance (the session's trainers) and checking in (attendees)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peertrain.core.durations import duration_words

from ..access import attendee_for_sheet, training_session_for_trainer, training_session_for_viewer
from ..errors import CheckInCodeInvalid
from ..forms_attendance import AttendanceMarkForm, CheckInForm
from ..models import Attendance, TrainingSession
from ..qr import qr_svg
from ..selectors import active_booking_of, attendance_of, attendance_sheet, attendance_summary
from ..services.attendance import (
    CODE_PERIOD,
    attendance_approve_walk_in,
    attendance_mark,
    attendance_self_check_in,
    check_in_code,
    check_in_refusal,
    check_in_ticket,
    check_in_window,
)

# The code rotates every 30 s and the previous one is still accepted, so a screen
# refreshed every 20 s never shows a code that has stopped working.
REFRESH_SECONDS = 20
HTMX_STOP_POLLING = 286
# One-tap buttons: (status, label, Bootstrap colour). Colour is never the only signal.
MARKS = [
    (Attendance.Status.PRESENT, "Present", "success"),
    (Attendance.Status.LATE, "Late", "warning"),
    (Attendance.Status.ABSENT, "Absent", "danger"),
    (Attendance.Status.EXCUSED, "Excused", "secondary"),
]


def _code_panel(request: HttpRequest, session: TrainingSession) -> dict:
    now = timezone.now()
    window = check_in_window(session, at=now)
    context = {
        "session": session,
        "refresh_seconds": REFRESH_SECONDS,
        "check_in_open": window.open,
        "check_in_over": window.over,
        "check_in_opens_at": window.opens_at,
        "check_in_opens_before": duration_words(window.opens_before),
        "code_period": duration_words(CODE_PERIOD),
    }
    if context["check_in_open"]:
        code = check_in_code(session, at=now)
        path = reverse("training:check_in", args=[session.pk])
        url = request.build_absolute_uri(f"{path}?{urlencode({'code': code})}")
        context |= {
            "code": code,
            "check_in_page": request.build_absolute_uri(path),
            "check_in_url": url,
            "qr": qr_svg(url, title=f"QR code to check in to {session.title}"),
        }
    return context


def _sheet_context(session: TrainingSession, rows) -> dict:
    return {
        "session": session,
        "marks": MARKS,
        "can_mark": session.takes_attendance,
        "summary": attendance_summary(rows),
    }


def _sheet_page(
    request: HttpRequest, session: TrainingSession, *, error: str = "", status: int = 200
) -> HttpResponse:
    rows = attendance_sheet(session=session)
    context = _sheet_context(session, rows) | _code_panel(request, session)
    context |= {
        "pending": [row for row in rows if row.awaits_approval],
        "rows": [row for row in rows if not row.awaits_approval],
        "error": error,
    }
    return render(request, "training/attendance.html", context, status=status)


@require_GET
@login_required
def attendance_sheet_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The roster with one-tap present / late / absent / excused, walk-ins to approve and
    the check-in code. Who: the session's lead trainer and co-trainers, and L&D staff."""
    session = training_session_for_trainer(user=request.user, pk=pk)
    return _sheet_page(request, session)


def _row_answer(
    request: HttpRequest,
    session: TrainingSession,
    person_id: int,
    *,
    done: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """Without JavaScript: post/redirect/get (or the whole sheet with the error, 4xx).
    With htmx: the person's row and, out of band, the refreshed counts."""
    if not request.htmx:
        if error:
            return _sheet_page(request, session, error=error, status=status)
        messages.success(request, done)
        sheet = reverse("training:attendance", args=[session.pk])
        return redirect(f"{sheet}#attendee-{person_id}")
    rows = attendance_sheet(session=session)
    row = next((row for row in rows if row.person.pk == person_id), None)
    if row is None:
        context = {"error": error or "This person isn't on the sheet."}
        return render(request, "training/_attendance_error.html", context, status=status)
    context = _sheet_context(session, rows) | {"row": row, "error": error}
    return render(request, "training/_attendance_update.html", context, status=status)


@require_POST
@login_required
def attendance_mark_view(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    """Record one person as present, late, absent or excused. Who: as the sheet."""
    session = training_session_for_trainer(user=request.user, pk=pk)
    attendee = attendee_for_sheet(person_id=person_id)
    form = AttendanceMarkForm(request.POST)
    if not form.is_valid():
        return _row_answer(request, session, person_id, error=form.errors["status"][0], status=400)
    attendance = attendance_mark(
        session=session, attendee=attendee, status=form.cleaned_data["status"], by=request.user
    )
    done = f"{attendee}: {attendance.get_status_display().lower()}."
    return _row_answer(request, session, person_id, done=done)


@require_POST
@login_required
def attendance_approve_view(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    """Accept a walk-in who checked in without a seat. Who: as the sheet."""
    session = training_session_for_trainer(user=request.user, pk=pk)
    attendance = attendance_of(session=session, user_id=person_id)
    if attendance is None:
        raise Http404("This person hasn't checked in to this session.")
    attendance_approve_walk_in(attendance=attendance, by=request.user)
    done = f"{attendance.user} is approved as a walk-in."
    return _row_answer(request, session, person_id, done=done)


@require_GET
@login_required
def check_in_code_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The current check-in code and its QR code, big enough for a projector; htmx polls
    this every few seconds so the code rotates on screen. Who: as the sheet."""
    session = training_session_for_trainer(user=request.user, pk=pk)
    context = _code_panel(request, session)
    if request.htmx:
        status = HTMX_STOP_POLLING if context["check_in_over"] else 200
        return render(request, "training/_check_in_code.html", context, status=status)
    return render(request, "training/check_in_code.html", context)


def _check_in_page(
    request: HttpRequest,
    session: TrainingSession,
    form: CheckInForm,
    *,
    record: Attendance | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "session": session,
        "form": form,
        "error": error,
        "record": record if record and record.checked_in_at else None,
        "refusal": check_in_refusal(session=session, user=request.user),
        "booking": active_booking_of(session=session, user=request.user),
    }
    return render(request, "training/check_in.html", context, status=status)


def _code_refused(
    request: HttpRequest, session: TrainingSession, error: CheckInCodeInvalid
) -> HttpResponse:
    """A wrong or rotated code: the page again, with an empty box to type the new one in.
    (Other refusals, too many tries among them, are DomainErrorMiddleware's.)"""
    form = CheckInForm()
    return _check_in_page(request, session, form, error=error.message, status=error.status_code)


@require_http_methods(["GET", "POST"])
@login_required
def check_in_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Check myself in with the code on the trainer's screen (the QR code lands here with
    it filled in). Who: any signed-in person; without a seat, as a walk-in the trainer
    approves. Only while check-in is open (``check_in_window``)."""
    session = training_session_for_viewer(user=request.user, pk=pk)
    if request.method == "POST":
        return _check_in_post(request, session)
    code = request.GET.get("code", "").replace(" ", "")[:20]
    record = attendance_of(session=session, user_id=request.user.pk)
    if record is not None and record.checked_in_at is not None:
        return _check_in_page(request, session, CheckInForm(), record=record)
    if check_in_refusal(session=session, user=request.user):
        return _check_in_page(request, session, CheckInForm(), status=409)
    if not code:
        return _check_in_page(request, session, CheckInForm())
    try:
        ticket = check_in_ticket(session=session, user=request.user, code=code)
    except CheckInCodeInvalid as error:
        return _code_refused(request, session, error)
    form = CheckInForm(initial={"code": code, "ticket": ticket})
    return _check_in_page(request, session, form)


def _check_in_post(request: HttpRequest, session: TrainingSession) -> HttpResponse:
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _check_in_page(request, session, form, status=400)
    try:
        attendance = attendance_self_check_in(
            session=session,
            user=request.user,
            code=form.cleaned_data["code"],
            ticket=form.cleaned_data["ticket"],
        )
    except CheckInCodeInvalid as error:
        return _code_refused(request, session, error)
    if attendance.walk_in and attendance.walk_in_approved_at is None:
        messages.info(
            request,
            "You're checked in as a walk-in: you had no seat, so the trainer will confirm "
            "you're here.",
        )
    else:
        messages.success(request, "You're checked in. Welcome!")
    return redirect("training:check_in", pk=session.pk)
