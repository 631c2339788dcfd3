""" "I want to learn this": employees ask for a skill; L&D staff see the demand."""

import re

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
from ..selectors import interests_of, skill_demand
from ..selectors_demand import WANT_TO_LEARN_TEMPLATE, learning_offer
from ..services.demand import interest_register, interest_withdraw

SLOT = re.compile(r"[a-z0-9]{1,20}")


def _back_to(request: HttpRequest) -> str:
    """Where the button was pressed (a page of ours), else my list of wanted skills. Worked
    out before anything is saved, so a bad ``next`` can never fail a request after a write."""
    return safe_next_url(request, reverse("training:wanted"))


def _slot(request: HttpRequest) -> str:
    """The page's tag for this copy of the action (several on one page); anything odd is
    dropped, never echoed."""
    slot = request.POST.get("slot", "") or request.GET.get("slot", "")
    return slot if SLOT.fullmatch(slot) else ""


def _answer(request: HttpRequest, skill: Skill, message: str = "") -> HttpResponse:
    """The action in its state now, for htmx to put where the button was."""
    context = {
        "skill": skill,
        "offer": learning_offer(user=request.user, skill=skill),
        "message": message,
        "next": _back_to(request),
        "slot": _slot(request),
    }
    return render(request, WANT_TO_LEARN_TEMPLATE, context)


@require_GET
@login_required
def interest_button_view(request: HttpRequest, skill_id: int) -> HttpResponse:
    """The "I want to learn this" action in its current state, for a page that can't know
    it. Who: any signed-in person, about themselves."""
    return _answer(request, skill_to_learn(pk=skill_id))


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
        return _answer(request, skill, message)
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
        return _answer(request, skill, message)
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
