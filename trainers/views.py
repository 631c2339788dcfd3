from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peertrain.accounts.models import User
from peertrain.accounts.selectors import request_user_is_ld_staff
from peertrain.core.errors import DomainError, form_error
from peertrain.core.pagination import PageWithoutCount
from programmes.models import AssessmentSource, Skill
from programmes.ports import LearningOffer, learning_offers_for
from programmes.services import assessment_record

from .access import certified_skills_for, person_by_email, skill_for_trainer
from .errors import SkillFilterError, TrainerBioError
from .forms import TrainerAssessForm, TrainerBioForm
from .models import TrainerProfile
from .ports import invitations_to_teach, sessions_run
from .selectors import (
    certifications_of,
    directory_skill,
    directory_skills,
    trainer_directory,
    trainer_pipeline,
    trainer_profile_for,
)
from .services import trainer_bio_update

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
    except SkillFilterError as error:  # shown above the filter, which stays usable
        context |= {"error": error.message, "page": None}
        return render(request, "trainers/directory.html", context, status=error.status_code)
    trainers = trainer_directory(skill=skill)
    page = PageWithoutCount(trainers, number=request.GET.get("page"), size=DIRECTORY_PAGE_SIZE)
    context |= {"skill": skill, "page": page}
    context["offer"] = _offer_learning(request.user, skill=skill, trainers=page.object_list)
    run = sessions_run(user_ids=[profile.user_id for profile in page.object_list])
    for profile in page.object_list:
        profile.sessions_run = run[profile.user_id]
    if context["is_ld_staff"]:
        context["pipeline"], context["pipeline_more"] = trainer_pipeline()
    return render(request, "trainers/directory.html", context)


def _offer_learning(user: User, *, skill: Skill | None, trainers) -> LearningOffer | None:
    """ "I want to learn this" on each skill a trainer teaches (``certification.offer``),
    and for the chosen ``skill``, which is returned. One query for the page."""
    teaching = [certification for trainer in trainers for certification in trainer.teaching]
    skill_ids = {certification.skill_id for certification in teaching}
    if skill is not None:
        skill_ids.add(skill.pk)
    offers = learning_offers_for(user=user, skill_ids=sorted(skill_ids))
    for certification in teaching:
        certification.offer = offers.get(certification.skill_id)
    return offers.get(skill.pk) if skill is not None else None


@require_GET
@login_required
def my_trainer_profile(request: HttpRequest) -> HttpResponse:
    """My trainer status, certifications and invitations to teach waiting for my answer.
    Who: anyone with a trainer profile."""
    profile = _my_profile(request.user)
    return _my_profile_page(request, profile, TrainerBioForm(initial={"bio": profile.bio}))


@require_POST
@login_required
def my_trainer_bio(request: HttpRequest) -> HttpResponse:
    """Change my bio, shown in the directory. Who: anyone with a trainer profile, for their
    own only -- the address names nobody, so a POST changes the person signed in's bio."""
    profile = _my_profile(request.user)
    form = TrainerBioForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            trainer_bio_update(profile=profile, bio=form.cleaned_data["bio"], by=request.user)
        except TrainerBioError as error:
            status = form_error(form, error)
        else:
            messages.success(request, "Your bio is saved; the trainer directory shows it.")
            return redirect("trainers:me")
    return _my_profile_page(request, profile, form, status=status)


def _my_profile(user: User) -> TrainerProfile:
    profile = trainer_profile_for(user=user)
    if profile is None:
        raise Http404("You are not on the trainer programme yet.")
    return profile


def _my_profile_page(
    request: HttpRequest, profile: TrainerProfile, form: TrainerBioForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "profile": profile,
        "bio_form": form,
        "certifications": certifications_of(profile=profile),
        "invitations": invitations_to_teach(user=request.user),
    }
    return render(request, "trainers/me.html", context, status=status)


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
    except DomainError as error:
        # Keep what was typed and say what is wrong, with the matching status.
        status = form_error(form, error)
        return render(request, "trainers/assess.html", {"form": form}, status=status)
    messages.success(
        request,
        f"Recorded {person} at level {form.cleaned_data['level']} in {skill}, "
        "verified by you as trainer.",
    )
    return redirect("trainers:assess")
