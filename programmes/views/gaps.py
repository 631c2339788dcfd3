"""L&D's pages about gaps: the organisation's ranked gap list (and its CSV export) and the
team targets the gaps are measured against."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peertrain.accounts.decorators import ld_staff_required
from peertrain.accounts.models import Team
from peertrain.core.csv import csv_response
from peertrain.core.errors import form_error
from peertrain.core.pagination import KnownCountPaginator

from ..access import team_for_viewer, teams_visible_to
from ..errors import TargetError
from ..exports import GAPS_HEADER, gap_rows
from ..forms_matrix import GapFilterForm, TargetForm
from ..models import SkillTarget
from ..selectors import SINGLE_POINT_RULE, gap_count, gap_ranking, skill_gaps
from ..selectors_matrix import MatrixColumn, gap_list_rows, skill_categories
from ..services import target_remove, target_set

GAPS_PER_PAGE = 50


def _gap_filters(request: HttpRequest) -> GapFilterForm:
    form = GapFilterForm(request.GET, categories=skill_categories())
    form.is_valid()  # invalid filters are left out of ``filters()`` and named by ``rejected()``
    return form


@require_GET
@ld_staff_required
def gaps(request: HttpRequest) -> HttpResponse:
    """The organisation's (team, skill) gaps, worst first, with colleagues who could teach
    each skill and, where no session is coming, how many people asked for one. Who: L&D
    staff."""
    form = _gap_filters(request)
    for problem in form.rejected():
        messages.warning(request, problem)
    filters = form.filters()
    paginator = KnownCountPaginator(gap_ranking(**filters), GAPS_PER_PAGE, gap_count(**filters))
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": gap_list_rows(page.object_list, viewer=request.user),
        "single_point_rule": SINGLE_POINT_RULE,
    }
    return render(request, "programmes/gaps.html", context)


@require_GET
@ld_staff_required
def gaps_export(request: HttpRequest) -> HttpResponse:
    """Every gap matching the filters as CSV (not only one page). Who: L&D staff."""
    form = _gap_filters(request)
    if form.rejected():
        return HttpResponseBadRequest(" ".join(form.rejected()), content_type="text/plain")
    rows = gap_rows(gap_list_rows(gap_ranking(**form.filters())))
    return csv_response(name="skill-gaps", header=GAPS_HEADER, rows=rows)


def targets_url(team: Team) -> str:
    return f"{reverse('skills:targets')}?team={team.pk}"


@require_http_methods(["GET", "POST"])
@ld_staff_required
def targets(request: HttpRequest) -> HttpResponse:
    """A team's targets: list, add, change. Who: L&D staff."""
    data = request.POST if request.method == "POST" else request.GET
    team_id = data.get("team", "").strip()
    teams = teams_visible_to(user=request.user)  # every team: this page is for L&D staff
    if not teams:
        return render(request, "programmes/targets.html", {"team": None})
    team = team_for_viewer(user=request.user, team_id=team_id, teams=teams)
    form, status = TargetForm(), 200
    if request.method == "POST":
        form = TargetForm(request.POST)
        if not team_id:
            # Never fall back to the first team on a write: say which team is missing.
            form.add_error(None, "Choose the team this target is for; nothing was saved.")
        elif form.is_valid():
            try:
                target = target_set(team=team, by=request.user, **form.cleaned_data)
            except TargetError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    f"{team}: {target.skill} target set to level {target.target_level} "
                    f"({target.get_priority_display().lower()} priority).",
                )
                return redirect(targets_url(team))
        status = 400
    context = {
        "team": team,
        "teams": teams,
        "columns": [
            MatrixColumn(gap=gap)
            for gap in skill_gaps(teams=[team]).order_by("-priority", "skill__name")
        ],
        "form": form,
    }
    return render(request, "programmes/targets.html", context, status=status)


@require_POST
@ld_staff_required
def target_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop targeting a skill in a team. Who: L&D staff."""
    target = SkillTarget.objects.select_related("team", "skill").filter(pk=pk).first()
    if target is None:
        raise Http404("That target no longer exists.")
    target_remove(target=target, by=request.user)
    messages.success(request, f"{target.team}: removed the {target.skill} target.")
    return redirect(targets_url(target.team))
