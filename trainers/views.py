from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peertrain.accounts.decorators import ld_staff_required
from peertrain.accounts.models import User
from peertrain.accounts.selectors import request_user_is_ld_staff
from peertrain.core.pagination import PageWithoutCount
from peertrain.core.redirects import safe_next_url
from programmes.models import AssessmentSource, Skill
from programmes.services import AssessmentError, assessment_record

from .access import certified_skills_for, person_by_email, skill_for_trainer
from .forms import NominateForm, TrainerAssessForm
from .invitations import invitations_to_teach
from .selectors import (
    SkillFilterError,
    certifications_of,
    directory_skill,
    directory_skills,
    trainer_directory,
    trainer_pipeline,
    trainer_profile_for,
)
from .services import NominationError, trainer_nominate

DIRECTORY_PAGE_SIZE = 50


@require_GET
@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """Peer trainers: who can teach what today, by name, filterable by skill (``?skill=``).
    Who: any signed-in person; the "On the way" section (people not teaching yet): L&D staff."""
    skills = directory_skills()
    context = {"skills": skills, "is_ld_staff": request_user_is_ld_staff(request)}
    try:
        skill = directory_skill(skill_id=request.GET.get("skill", ""), choices=skills)
    except SkillFilterError as exc:
        context |= {"error": str(exc), "page": None}
        return render(request, "trainers/directory.html", context, status=400)
    trainers = trainer_directory(skill=skill)
    page = PageWithoutCount(trainers, number=request.GET.get("page"), size=DIRECTORY_PAGE_SIZE)
    context |= {"skill": skill, "page": page}
    if context["is_ld_staff"]:
        context["pipeline"], context["pipeline_more"] = trainer_pipeline()
    return render(request, "trainers/directory.html", context)


@require_GET
@login_required
def my_trainer_profile(request: HttpRequest) -> HttpResponse:
    """My trainer status, certifications and invitations to teach waiting for my answer.
    Who: anyone with a trainer profile."""
    profile = trainer_profile_for(user=request.user)
    if profile is None:
        raise Http404("You are not on the trainer programme yet.")
    context = {
        "profile": profile,
        "certifications": certifications_of(profile=profile),
        "invitations": invitations_to_teach(user=request.user),
    }
    return render(request, "trainers/me.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def trainer_assess(request: HttpRequest) -> HttpResponse:
    """Record a trainer-verified level for anyone, in a skill the trainer is certified in.
    Who: trainers with a valid certification; refused for other skills."""
    skills = certified_skills_for(user=request.user)
    form = TrainerAssessForm(request.POST or None, skills=skills)
    if request.method == "GET":
        return render(request, "trainers/assess.html", {"form": form})
    if not form.is_valid():
        return render(request, "trainers/assess.html", {"form": form}, status=400)
    try:
        # The skill first: refusing it must not depend on whether the email has an account.
        skill = skill_for_trainer(skills=skills, skill_id=form.cleaned_data["skill"])
        person = person_by_email(email=form.cleaned_data["email"])
        assessment_record(
            user=person,
            skill=skill,
            level=form.cleaned_data["level"],
            source=AssessmentSource.TRAINER,
            assessed_by=request.user,
            note=form.cleaned_data["note"],
        )
    except (Http404, PermissionDenied, AssessmentError) as exc:
        # Keep what was typed and say what is wrong, with the matching status.
        form.add_error(None, str(exc))
        status = {Http404: 404, PermissionDenied: 403}.get(type(exc), 400)
        return render(request, "trainers/assess.html", {"form": form}, status=status)
    messages.success(
        request,
        f"Recorded {person} at level {form.cleaned_data['level']} in {skill}, "
        "verified by you as trainer.",
    )
    return redirect("trainers:assess")


@require_POST
@ld_staff_required
def nominate(request: HttpRequest) -> HttpResponse:
    """Record a suggestion that someone becomes a trainer for a skill (the full nomination
    workflow comes later). Who: L&D staff."""
    back = safe_next_url(request, reverse("skills:gaps"))
    form = NominateForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, "Choose a person and a skill to nominate them for.", back)
    person = User.objects.filter(pk=form.cleaned_data["user"], is_active=True).first()
    skill = Skill.objects.filter(pk=form.cleaned_data["skill"]).first()
    if person is None or skill is None:
        raise Http404("No such person." if person is None else "No such skill.")
    try:
        profile, created = trainer_nominate(user=person, skill=skill, nominated_by=request.user)
    except NominationError as exc:
        return _bad_request(request, str(exc), back)
    if created:
        text = f"Nomination recorded: {person} for {skill}. L&D will follow up with {person}."
    else:
        text = (
            f"{person} is already on the trainer programme "
            f"({profile.get_status_display().lower()}); their status stays as it is."
        )
    if request.htmx:
        context = {"created": created, "text": text, "person": person}
        return render(request, "trainers/_nominated.html", context)
    messages.add_message(request, messages.SUCCESS if created else messages.INFO, text)
    return redirect(back)


def _bad_request(request: HttpRequest, text: str, back: str) -> HttpResponse:
    return render(request, "trainers/bad_request.html", {"text": text, "back": back}, status=400)
