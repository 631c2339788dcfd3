from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from peertrain.accounts.http import AuthenticatedHttpRequest

from .channels import channels
from .forms import PreferencesForm, choice_value
from .preferences import notification_preferences_save, preferences_of


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Which messages I get, per kind and channel. Who: any signed-in person, for their own
    choices only (there is no way to name someone else)."""
    form = PreferencesForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            notification_preferences_save(user=request.user, wanted=form.wanted())
            messages.success(request, "Your notification choices are saved.")
            return redirect("notifications:preferences")
        status = 400
    else:
        status = 200
    choices = preferences_of(user=request.user)
    posted = set(request.POST.getlist("on")) if request.method == "POST" else None
    switches = [
        (
            row.kind,
            [
                (channel, value, value in posted if posted is not None else row.on[channel.code])
                for channel in channels()
                for value in [choice_value(row.kind.code, channel.code)]
            ],
        )
        for row in choices
        if row.kind.optional
    ]
    context = {
        "form": form,
        "channels": channels(),
        "switches": switches,
        # Kinds sharing a label (the account mails) are one line.
        "always": list(dict.fromkeys(row.kind.label for row in choices if not row.kind.optional)),
    }
    return render(request, "notifications/preferences.html", context, status=status)
