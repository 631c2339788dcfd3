from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import certifications_of, trainer_profile_for


@require_GET
@login_required
def my_trainer_profile(request: HttpRequest) -> HttpResponse:
    """My trainer status and certifications. Who: anyone with a trainer profile."""
    profile = trainer_profile_for(user=request.user)
    if profile is None:
        raise Http404("You are not on the trainer programme yet.")
    context = {"profile": profile, "certifications": certifications_of(profile=profile)}
    return render(request, "trainers/me.html", context)
