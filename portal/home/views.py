from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trainers.access import certified_skills_for

from .roles import request_roles
from .selectors import home_summary, teaching_workspace

WORKSPACE_SHOWN = 20  # per list; "my sessions" keeps the full history


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My home: what to do next. Who: any signed-in person; each role sees its own part."""
    summary = home_summary(user=request.user, roles=request_roles(request))
    return render(request, "home/home.html", {"summary": summary})


@require_GET
@login_required
def teaching_workspace_view(request: HttpRequest) -> HttpResponse:
    """A trainer's workspace: today's sessions and their attendance, what's next, drafts,
    sessions to wrap up, invitations to co-teach, proposing a session. Who: trainers with a
    valid certification (``certified_skills_for``); anyone else is refused (403)."""
    skills = certified_skills_for(user=request.user)
    workspace = teaching_workspace(user=request.user, shown=WORKSPACE_SHOWN)
    return render(request, "home/teaching.html", {"workspace": workspace, "skills": skills})
