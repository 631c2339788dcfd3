"""Nominations: anyone nominates (/trainers/nominate/), the people concerned answer
(/trainers/nominations/), L&D decide in the review workspace (/trainers/review/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peertrain.accounts.decorators import ld_staff_required
from peertrain.accounts.models import User
from peertrain.core.errors import DomainError, form_error
from peertrain.core.redirects import safe_next_url

from .access import (
    nomination_about,
    nomination_for_review,
    nomination_made_by,
    trainer_for_review,
)
from .errors import NominationError, UnknownAssessee
from .forms import NominatePrefill, NominationDeclineForm, NominationForm
from .models import Nomination, TrainerProfile
from .ports import session_records
from .selectors_nominations import (
    nominations_about,
    nominations_made_by,
    open_nominations_for_review,
    trainers_for_review,
)
from .services_nominations import (
    nomination_accept,
    nomination_agree,
    nomination_decline,
    nomination_make,
    nomination_withdraw,
)
from .transitions import trainer_resume, trainer_status_change

# One answer for an unknown address and a deactivated account, so the form can't be used to
# find out who has an account.
NO_SUCH_COLLEAGUE = "Nobody signs in with {email}. Check it is their work email address."


def _prefilled(request: HttpRequest) -> tuple[User | None, dict]:
    """The person and skill a "Nominate" link names (``?user=``, ``?skill=``)."""
    prefill = NominatePrefill(request.GET)
    if not prefill.is_valid():
        raise NominationError("That nomination link is broken. Choose the person and skill here.")
    user_id, skill_id = prefill.cleaned_data["user"], prefill.cleaned_data["skill"]
    nominee = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user_id and nominee is None:
        raise Http404("No such person.")
    return nominee, {"user": user_id, "skill": skill_id}


def _nominee(form: NominationForm) -> User:
    user_id, email = form.cleaned_data["user"], form.cleaned_data["email"]
    if user_id:  # an inactive person is the service's to refuse, with its message
        nominee = User.objects.filter(pk=user_id).first()
        if nominee is None:
            raise Http404("No such person.")
        return nominee
    nominee = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if nominee is None:
        raise UnknownAssessee(NO_SUCH_COLLEAGUE.format(email=email), field="email")
    return nominee


@require_http_methods(["GET", "POST"])
@login_required
def nominate(request: HttpRequest) -> HttpResponse:
    """Put a colleague (or yourself) forward to teach a skill, with a reason.
    Who: anyone signed in."""
    if request.method == "GET":
        nominee, initial = _prefilled(request)
        form = NominationForm(initial=initial)
        context = {"form": form, "nominee": nominee, "next": safe_next_url(request, "")}
        return render(request, "trainers/nominate.html", context)
    form = NominationForm(request.POST)
    nominee = None
    if form.is_valid():
        try:
            nominee = _nominee(form)
            nomination = nomination_make(
                nominee=nominee,
                skill=form.cleaned_data["skill"],
                nominated_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            status = form_error(form, error)
        else:
            messages.success(request, _made_message(nomination, by=request.user))
            return redirect(safe_next_url(request, reverse("trainers:nominations")))
    else:
        status = 400
    if nominee is None and form.cleaned_data.get("user"):
        nominee = User.objects.filter(pk=form.cleaned_data["user"]).first()
    context = {"form": form, "nominee": nominee, "next": safe_next_url(request, "")}
    return render(request, "trainers/nominate.html", context, status=status)


def _made_message(nomination: Nomination, *, by: User) -> str:
    if nomination.nominee == by:
        return f"You put yourself forward to teach {nomination.skill}. L&D will review it."
    return (
        f"Thank you: {nomination.nominee} is nominated to teach {nomination.skill}. "
        "They are asked whether they'd like to, then L&D review it."
    )


@require_GET
@login_required
def my_nominations(request: HttpRequest) -> HttpResponse:
    """Nominations about me (to agree to or decline) and those I made (to withdraw while
    open). Who: anyone signed in; each sees only their own."""
    about, about_more = nominations_about(user=request.user)
    made, made_more = nominations_made_by(user=request.user)
    context = {
        "about": about,
        "about_more": about_more,
        "made": made,
        "made_more": made_more,
        "decline_form": NominationDeclineForm(),
    }
    return render(request, "trainers/nominations.html", context)


def _reason(request: HttpRequest) -> str:
    form = NominationDeclineForm(request.POST)
    if not form.is_valid():
        raise NominationError(" ".join(form.errors["reason"]), field="reason")
    return form.cleaned_data["reason"]


@require_POST
@login_required
def nomination_agree_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Say yes to being considered as a trainer. Who: the nominee."""
    nomination = nomination_agree(
        nomination=nomination_about(user=request.user, pk=pk), by=request.user
    )
    messages.success(
        request, f"Thank you. L&D will review your nomination to teach {nomination.skill}."
    )
    return redirect("trainers:nominations")


@require_POST
@login_required
def nomination_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline a nomination, with a reason if you like. Who: the nominee."""
    nomination = nomination_about(user=request.user, pk=pk)
    nomination = nomination_decline(nomination=nomination, by=request.user, reason=_reason(request))
    messages.info(request, f"Declined: you won't be asked to teach {nomination.skill} for now.")
    return redirect("trainers:nominations")


@require_POST
@login_required
def nomination_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back an open nomination. Who: whoever made it."""
    nomination = nomination_made_by(user=request.user, pk=pk)
    nomination = nomination_withdraw(nomination=nomination, by=request.user)
    messages.info(request, f"Withdrawn: your nomination of {nomination.nominee}.")
    return redirect("trainers:nominations")


@require_GET
@ld_staff_required
def review(request: HttpRequest) -> HttpResponse:
    """The L&D review workspace: open nominations with the nominee's levels in the skill,
    who nominated them and why, the sessions they attended and taught; everyone on the
    programme with pause and resume. Who: L&D staff."""
    nominations, nominations_more = open_nominations_for_review()
    trainers, trainers_more = trainers_for_review()
    records = session_records(user_ids=sorted({n.nominee_id for n in nominations}))
    context = {
        "rows": [(nomination, records[nomination.nominee_id]) for nomination in nominations],
        "nominations_more": nominations_more,
        "trainers": trainers,
        "trainers_more": trainers_more,
        "decline_form": NominationDeclineForm(),
    }
    return render(request, "trainers/review.html", context)


@require_POST
@ld_staff_required
def review_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a nominee as a candidate trainer. Who: L&D staff."""
    nomination = nomination_accept(nomination=nomination_for_review(pk=pk), by=request.user)
    messages.success(
        request, f"{nomination.nominee} is a candidate trainer for {nomination.skill}."
    )
    return redirect("trainers:review")


@require_POST
@ld_staff_required
def review_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline a nomination with a reason the nominee and nominator are told.
    Who: L&D staff."""
    nomination = nomination_for_review(pk=pk)
    nomination = nomination_decline(nomination=nomination, by=request.user, reason=_reason(request))
    messages.info(request, f"Declined: {nomination.nominee} for {nomination.skill}.")
    return redirect("trainers:review")


@require_POST
@ld_staff_required
def trainer_pause(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause a trainer (they teach nothing new until resumed). Who: L&D staff."""
    profile = trainer_for_review(pk=pk)
    trainer_status_change(profile=profile, to=TrainerProfile.Status.PAUSED, by=request.user)
    messages.info(request, f"{profile.user} is paused.")
    return redirect("trainers:review")


@require_POST
@ld_staff_required
def trainer_resume_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Resume a paused trainer where they were. Who: L&D staff."""
    profile = trainer_resume(profile=trainer_for_review(pk=pk), by=request.user)
    messages.success(request, f"{profile.user} is {profile.get_status_display().lower()} again.")
    return redirect("trainers:review")
