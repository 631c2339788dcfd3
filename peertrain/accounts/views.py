from allauth.account.views import LoginView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peertrain.core.errors import form_error
from peertrain.core.redirects import safe_next_url

from .decorators import team_lead_required
from .forms import ProfileForm, SkillPrivacyForm
from .http import AuthenticatedHttpRequest
from .models import Team
from .selectors import team_rosters
from .services import ProfileError, user_update_profile, user_update_skill_privacy
from .sign_in_limits import THROTTLED_CODES


@require_GET
@team_lead_required
def my_team(request: AuthenticatedHttpRequest, *, teams: list[Team]) -> HttpResponse:
    """The teams I lead, sub-teams included, and who is in them. Who: team leads only."""
    return render(request, "accounts/my_team.html", {"rosters": team_rosters(teams=teams)})


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My name, job title, time zone and language, who may see my levels, and the way to my
    notification choices. Who: any signed-in person, about themselves only -- no address
    names another person, and a POST changes the person signed in."""
    if request.method == "GET":
        return _profile_page(request, ProfileForm.for_user(request.user))
    form = ProfileForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            user_update_profile(user=request.user, **form.cleaned_data)
        except ProfileError as error:
            status = form_error(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("profile:edit")
    return _profile_page(request, form, status=status)


def _profile_page(
    request: AuthenticatedHttpRequest, form: ProfileForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "privacy_form": SkillPrivacyForm.for_user(request.user),
    }
    return render(request, "accounts/profile.html", context, status=status)


@require_POST
@login_required
def skill_privacy(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save who may see my levels, from my profile or my skills page (``next`` says which).
    Who: any signed-in person, about themselves."""
    form = SkillPrivacyForm(request.POST)
    form.is_valid()  # two optional checkboxes: any input is valid
    user_update_skill_privacy(
        user=request.user,
        share_skill_levels=form.cleaned_data["share_skill_levels"],
        suggest_me_as_teacher=form.cleaned_data["suggest_me_as_teacher"],
    )
    notice = "Your privacy choices are saved."
    if request.htmx:
        context = {
            "privacy_form": SkillPrivacyForm.for_user(request.user),
            "privacy_notice": notice,
            "privacy_next": safe_next_url(request, reverse("profile:edit")),
        }
        return render(request, "accounts/_skill_privacy.html", context)
    messages.success(request, notice)
    return redirect(safe_next_url(request, reverse("profile:edit")))


class SignInView(LoginView):
    """allauth's sign-in page, answering 429 (with Retry-After) when too many failed attempts
    lock it, instead of 200 with the message. Who: anyone."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        throttled = [
            error
            for error in form.non_field_errors().as_data()
            if error.code in THROTTLED_CODES and error.params
        ]
        if throttled:
            response.status_code = 429
            response["Retry-After"] = str(throttled[0].params["retry_after"])
        return response
