"""My skills: rate myself, see my levels and their history, my gaps, my privacy choices
(the form is the profile's, peertrain.accounts);
and another person's levels where they may be seen."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from peertrain.accounts.forms import SkillPrivacyForm
from peertrain.accounts.models import User
from peertrain.core.errors import form_error

from ..access import person_for_level_viewer
from ..errors import AssessmentError
from ..forms import SkillRatingForm
from ..models import AssessmentSource, CurrentSkillLevel, Priority, Skill
from ..ports import LearningOffer, learning_offers_for, sessions_teaching
from ..selectors import (
    MyGap,
    assessment_history,
    colleagues_who_know,
    current_levels_of,
    my_gaps,
    team_has_targets,
)
from ..services import assessment_record


@dataclass(frozen=True)
class GapRow:
    gap: MyGap
    colleagues: list[CurrentSkillLevel]
    sessions: list
    offer: LearningOffer | None  # "I want to learn this", shown when no session is coming

    @property
    def priority_label(self) -> str:
        return Priority(self.gap.priority).label


def _panel_context(user: User, form: SkillRatingForm, notice: str = "") -> dict:
    gaps = my_gaps(user=user)
    colleagues = colleagues_who_know(skills=[gap.skill for gap in gaps], exclude=user)
    skill_ids = [gap.skill.pk for gap in gaps]
    sessions = sessions_teaching(skill_ids)
    offers = learning_offers_for(user=user, skill_ids=skill_ids)
    return {
        "form": form,
        "notice": notice,
        "team": user.team,
        "gap_rows": [
            GapRow(
                gap=gap,
                colleagues=colleagues[gap.skill.pk],
                sessions=sessions[gap.skill.pk],
                offer=offers.get(gap.skill.pk),
            )
            for gap in gaps
        ],
        "team_has_targets": bool(gaps) or team_has_targets(team_id=user.team_id),
        "levels": current_levels_of(user=user),
    }


def _render_page(request: HttpRequest, form: SkillRatingForm, status: int = 200) -> HttpResponse:
    """The whole page, or for htmx only the panel the rating form replaces."""
    context = _panel_context(request.user, form)
    if request.htmx:
        return render(request, "programmes/_my_skills_panel.html", context, status=status)
    context["privacy_form"] = SkillPrivacyForm.for_user(request.user)
    return render(request, "programmes/my_skills.html", context, status=status)


@require_GET
@login_required
def my_skills(request: HttpRequest) -> HttpResponse:
    """Who: any signed-in person, about themselves."""
    form = SkillRatingForm(initial={"skill": request.GET.get("skill", "")})
    return _render_page(request, form)


@require_POST
@login_required
def rate(request: HttpRequest) -> HttpResponse:
    """Record a self-assessment. Who: any signed-in person, about themselves."""
    form = SkillRatingForm(request.POST)
    if form.is_valid():
        skill, level = form.cleaned_data["skill"], form.cleaned_data["level"]
        try:
            assessment_record(
                user=request.user,
                skill=skill,
                level=level,
                source=AssessmentSource.SELF,
                assessed_by=request.user,
                note=form.cleaned_data["note"],
            )
        except AssessmentError as error:
            form_error(form, error)
        else:
            notice = f"Saved: {skill.name} at level {level}."
            if request.htmx:
                context = _panel_context(request.user, SkillRatingForm(), notice=notice)
                return render(request, "programmes/_my_skills_panel.html", context)
            messages.success(request, notice)
            return redirect("skills:mine")
    return _render_page(request, form, status=400)


@require_GET
@login_required
def history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every assessment of one of my skills. Who: any signed-in person, about themselves."""
    skill = get_object_or_404(Skill, slug=slug)
    current = next(
        (level for level in current_levels_of(user=request.user) if level.skill_id == skill.pk),
        None,
    )
    context = {
        "skill": skill,
        "current": current,
        "assessments": assessment_history(user=request.user, skill=skill),
    }
    return render(request, "programmes/my_skill_history.html", context)


@require_GET
@login_required
def person_levels(request: HttpRequest, user_id: int) -> HttpResponse:
    """A person's current levels. Who: they, their lead(s), L&D staff, or anyone if shared."""
    person = person_for_level_viewer(viewer=request.user, person_id=user_id)
    context = {"person": person, "levels": current_levels_of(user=person)}
    return render(request, "programmes/my_person_levels.html", context)
