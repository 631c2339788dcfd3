""" "I want to learn this": employees ask for a skill; L&D staff see the demand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from peertrain.accounts.decorators import ld_staff_required
from peertrain.core.redirects import safe_next_url
from programmes.models import Skill

from ..access import skill_to_learn
from ..selectors import interests_of, skill_demand, wants_to_learn
from ..services.demand import interest_register, interest_withdraw


def _back_to(request: HttpRequest) -> str:
    """Where the button was pressed (a page of ours), else my list of wanted skills. Worked
    out before anything is saved, so a bad ``next`` can never fail a request after a write."""
    return safe_next_url(request, reverse("training:wanted"))


def _button(request: HttpRequest, skill: Skill, *, interested: bool, message: str = ""):
    context = {"skill": skill, "interested": interested, "message": message}
    return render(request, "training/_demand_button.html", context)


@require_GET
@login_required
def interest_button_view(request: HttpRequest, skill_id: int) -> HttpResponse:
    """The "I want to learn this" button in its current state, fetched by htmx where a page
    can't know it. Who: any signed-in person, about themselves."""
    skill = skill_to_learn(pk=skill_id)
    return _button(request, skill, interested=wants_to_learn(user=request.user, skill=skill))


@require_POST
@login_required
def interest_register_view(request: HttpRequest, skill_id: int) -> HttpResponse:
    """Say I want to learn a skill; I'm told first when a session for it is published.
    Who: any signed-in person, for themselves."""
    skill = skill_to_learn(pk=skill_id)
    back = _back_to(request)
    _, created = interest_register(user=request.user, skill=skill)
    if created:
        message = f"Noted: you'll hear first when a session on {skill} is published."
    else:
        message = f"You're already on the list for {skill}."
    if request.htmx:
        return _button(request, skill, interested=True, message=message)
    messages.success(request, message)
    return redirect(back)


@require_POST
@login_required
def interest_withdraw_view(request: HttpRequest, skill_id: int) -> HttpResponse:
    """Take back "I want to learn this". Who: any signed-in person, for themselves."""
    skill = skill_to_learn(pk=skill_id)
    back = _back_to(request)
    if interest_withdraw(user=request.user, skill=skill):
        message = f"You're off the list for {skill}."
    else:
        message = f"You weren't on the list for {skill}; nothing changed."
    if request.htmx:
        return _button(request, skill, interested=False, message=message)
    messages.success(request, message)
    return redirect(back)


@require_GET
@login_required
def wanted_skills_view(request: HttpRequest) -> HttpResponse:
    """The skills I asked to learn, and whether a session is coming. Who: any signed-in
    person, their own list only."""
    return render(
        request, "training/demand_wanted.html", {"interests": interests_of(user=request.user)}
    )


@require_GET
@ld_staff_required
def skill_demand_view(request: HttpRequest) -> HttpResponse:
    """Demand per skill, most wanted first: who to find a trainer for. Who: L&D staff."""
    return render(request, "training/demand.html", {"skills": skill_demand()})
