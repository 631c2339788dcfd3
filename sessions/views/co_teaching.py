"""Invitations to co-teach a session: the invitee answers, the lead takes them back.

Who: accepting and declining — the invited person, for their own invitation only (anyone
else has none here: 404). Withdrawing an invitation or removing a co-trainer — whoever
manages the session (its lead trainer, L&D staff), through ``training_session_for_manager``.
A refusal (``SessionError``) is answered by ``DomainErrorMiddleware`` (409).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from ..access import (
    co_trainer_for_manager,
    own_co_teaching_invitation,
    training_session_for_manager,
)
from ..models import CoTrainer
from ..services.co_trainers import co_trainer_accept, co_trainer_decline, co_trainer_withdraw


def _whole_series(request: HttpRequest) -> bool:
    return request.POST.get("whole_series") == "1"


@login_required
@require_POST
def co_trainer_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept my invitation to co-teach (``whole_series=1``: every date of its series I'm
    invited to). Who: the invited person only."""
    invitation = own_co_teaching_invitation(user=request.user, session_pk=pk)
    rows = co_trainer_accept(
        invitation=invitation, user=request.user, whole_series=_whole_series(request)
    )
    dates = f" ({len(rows)} dates)" if len(rows) > 1 else ""
    messages.success(
        request,
        f"You co-teach this session now{dates}. {invitation.session.lead_trainer} is told.",
    )
    return redirect("training:detail", pk=pk)


@login_required
@require_POST
def co_trainer_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline my invitation to co-teach (``whole_series=1``: every date of its series I'm
    invited to). Who: the invited person only."""
    invitation = own_co_teaching_invitation(user=request.user, session_pk=pk)
    rows = co_trainer_decline(
        invitation=invitation, user=request.user, whole_series=_whole_series(request)
    )
    count = len(rows)
    messages.info(
        request,
        f"You declined {count} invitation{pluralize(count)} to co-teach "
        f"{invitation.session.title}. {invitation.session.lead_trainer} is told.",
    )
    return redirect("training:mine")


@login_required
@require_POST
def co_trainer_withdraw_view(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    """Take back an invitation not answered yet, or stop an accepted co-trainer teaching
    the session; they are told. Who: the session's lead trainer, L&D staff."""
    session = training_session_for_manager(user=request.user, pk=pk)
    invitation = co_trainer_for_manager(session=session, person_id=person_id)
    was = co_trainer_withdraw(invitation=invitation, by=request.user)
    person = invitation.user
    if was == CoTrainer.State.ACCEPTED:
        messages.success(request, f"{person} no longer co-teaches this session; they are told.")
    else:
        messages.success(request, f"The invitation to {person} is withdrawn; they are told.")
    return redirect("training:detail", pk=pk)
