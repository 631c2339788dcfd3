"""Programmes: the active ones for my team; L&D staff list, create and edit them all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from peertrain.accounts.decorators import ld_staff_required
from peertrain.accounts.selectors import user_is_ld_staff
from peertrain.core.errors import form_error

from ..access import programme_for_viewer
from ..errors import ProgrammeError
from ..forms import ProgrammeFilterForm, ProgrammeForm
from ..models import Programme
from ..selectors import active_programmes_for, current_levels_of, programmes_for_ld_staff
from ..services import programme_save


@require_GET
@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    """Who: anyone signed in sees the active programmes for their team; L&D staff see all."""
    if not user_is_ld_staff(request.user):
        programmes = list(active_programmes_for(user=request.user)) if request.user.team_id else []
        return render(request, "programmes/programme_list.html", {"programmes": programmes})
    filter_form = ProgrammeFilterForm(request.GET)
    status = 200
    if filter_form.is_valid():
        programmes = list(programmes_for_ld_staff(status=filter_form.cleaned_data["status"]))
    else:
        programmes, status = [], 400
    context = {"programmes": programmes, "filter_form": filter_form, "manage": True}
    return render(request, "programmes/programme_list.html", context, status=status)


@require_GET
@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Who: L&D staff, any programme; others an active programme for their team."""
    programme = programme_for_viewer(user=request.user, pk=pk)
    skill_levels = {level.skill_id: level for level in current_levels_of(user=request.user)}
    skills = [(skill, skill_levels.get(skill.pk)) for skill in programme.skills.all()]
    context = {
        "programme": programme,
        "skills": skills,
        "audience_teams": list(programme.audience_teams.all()),
        "manage": user_is_ld_staff(request.user),
    }
    return render(request, "programmes/programme_detail.html", context)


def _save(request: HttpRequest, programme: Programme | None) -> HttpResponse:
    """The create/edit form: show it, or save it through the service (post/redirect/get)."""
    if request.method != "POST":
        context = {"form": ProgrammeForm(programme=programme), "programme": programme}
        return render(request, "programmes/programme_form.html", context)
    form = ProgrammeForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            saved = programme_save(
                by=request.user,
                programme=programme,
                skills=form.cleaned_data["skills"],
                audience_teams=form.cleaned_data["audience_teams"],
                **form.programme_fields(),
            )
        except ProgrammeError as error:
            form_error(form, error)
        else:
            verb = "created" if programme is None else "saved"
            messages.success(request, f"Programme “{saved.title}” {verb}.")
            return redirect("programmes:detail", pk=saved.pk)
    context = {"form": form, "programme": programme}
    return render(request, "programmes/programme_form.html", context, status=400)


@require_http_methods(["GET", "POST"])
@ld_staff_required
def programme_create(request: HttpRequest) -> HttpResponse:
    """Who: L&D staff."""
    return _save(request, programme=None)


@require_http_methods(["GET", "POST"])
@ld_staff_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Who: L&D staff."""
    return _save(request, programme=programme_for_viewer(user=request.user, pk=pk))
