"""Rotation: who could teach a session, in the fair order (read only for now; L&D ask the
trainer themselves). Who: L&D staff."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peertrain.accounts.decorators import ld_staff_required

from ..access import training_session_for_ld_staff
from ..selectors_teaching import ROTATION_WINDOW, rotation_candidates


@require_GET
@ld_staff_required
def training_session_rotation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainers who may take this session, fairest first, with why they are where
    they are. The session's own lead is marked; the session doesn't count against them."""
    session = training_session_for_ld_staff(pk=pk)
    candidates = rotation_candidates(
        skill=session.skill,
        starts_at=session.starts_at,
        time_zone=session.time_zone,
        ignoring_session=session.pk,
    )
    context = {"session": session, "candidates": candidates, "window": ROTATION_WINDOW.days}
    return render(request, "training/rotation.html", context)
