"""The team skills matrix: a heatmap for team leads and L&D, assessments from its cells,
and its CSV export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from peertrain.accounts.models import User
from peertrain.core.csv import csv_response
from peertrain.core.errors import form_error

from ..access import member_for_lead, team_for_viewer, teams_visible_to
from ..errors import AssessmentError
from ..exports import MATRIX_HEADER, matrix_rows
from ..forms_matrix import MatrixAssessForm
from ..models import AssessmentSource, CurrentSkillLevel, Skill
from ..selectors import SINGLE_POINT_RULE
from ..selectors_matrix import current_level, matrix_cell, team_matrix
from ..services import assessment_record


def matrix_url(team_id: int | None) -> str:
    url = reverse("skills:matrix")
    return f"{url}?team={team_id}" if team_id else url


@require_GET
@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    """Members by targeted skills of one team. Who: a team lead for the teams they lead and
    their sub-teams; L&D staff for any team."""
    teams = teams_visible_to(user=request.user)
    team = team_for_viewer(user=request.user, team_id=request.GET.get("team"), teams=teams)
    context = {
        "matrix": team_matrix(team=team),
        "teams": teams,
        "single_point_rule": SINGLE_POINT_RULE,
    }
    return render(request, "programmes/matrix.html", context)


@require_GET
@login_required
def matrix_export(request: HttpRequest) -> HttpResponse:
    """The matrix as CSV, one row per (member, skill). Who: as for the matrix."""
    team = team_for_viewer(user=request.user, team_id=request.GET.get("team"))
    rows = matrix_rows(team_matrix(team=team))
    return csv_response(name=f"skills-matrix-{team.name}", header=MATRIX_HEADER, rows=rows)


def _skill_or_404(skill_id) -> Skill:
    try:
        return Skill.objects.get(pk=int(skill_id))
    except (Skill.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404("No such skill.") from exc


@require_http_methods(["GET", "POST"])
@login_required
def matrix_assess(request: HttpRequest) -> HttpResponse:
    """Record a lead's assessment of a team member (source "lead"). Who: a team lead for
    people in the teams they lead and sub-teams; L&D staff for anyone. GET shows the form
    (in the cell for htmx), POST records it."""
    if request.method == "POST":
        return _assess(request)
    member = member_for_lead(lead=request.user, member_id=request.GET.get("member"))
    skill = _skill_or_404(request.GET.get("skill"))
    current = current_level(user=member, skill_id=skill.pk)
    form = MatrixAssessForm(
        initial={"member": member.pk, "skill": skill.pk, "level": current and current.level}
    )
    return _assess_form(request, form, member=member, skill=skill, current=current)


def _assess(request: HttpRequest) -> HttpResponse:
    form = MatrixAssessForm(request.POST)
    if not form.is_valid():
        return _assess_form(request, form, status=400)
    member = member_for_lead(lead=request.user, member_id=form.cleaned_data["member"])
    skill = _skill_or_404(form.cleaned_data["skill"])
    level = form.cleaned_data["level"]
    try:
        assessment_record(
            user=member,
            skill=skill,
            level=level,
            source=AssessmentSource.LEAD,
            assessed_by=request.user,
            note=form.cleaned_data["note"],
        )
    except AssessmentError as error:
        status = form_error(form, error)
        return _assess_form(request, form, member=member, skill=skill, status=status)
    if request.htmx:
        cell = matrix_cell(member=member, skill_id=skill.pk)
        if cell is None:  # not a skill the team targets: no cell to update
            return HttpResponseClientRedirect(matrix_url(member.team_id))
        return render(request, "programmes/_matrix_cell.html", {"cell": cell, "swap_gap": True})
    messages.success(request, f"Recorded {member} at level {level} in {skill} (team lead).")
    # Back to the top of the matrix, where the confirmation shows.
    return redirect(matrix_url(member.team_id))


def _assess_form(
    request: HttpRequest,
    form: MatrixAssessForm,
    *,
    member: User | None = None,
    skill: Skill | None = None,
    current: CurrentSkillLevel | None = None,
    status: int = 200,
) -> HttpResponse:
    if not request.htmx:
        template = "matrix_assess.html"
    elif request.method == "POST":  # the error replaces the cell (data-hx-swap="outerHTML")
        template = "_matrix_assess_cell.html"
    else:  # the form goes inside the cell
        template = "_matrix_assess_form.html"
    context = {
        "form": form,
        "member": member,
        "skill": skill,
        "current": current,
        "back_url": matrix_url(member.team_id if member else None),
    }
    return render(request, f"programmes/{template}", context, status=status)
