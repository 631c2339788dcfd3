"""Every URL in the URLconf, with the values its parameters take in the fuzz world and the
fields a POST to it carries. Routes are found, not listed: a new one is fuzzed as soon as
it exists, and one that takes POST without a field list here fails until it has one."""

import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic import RedirectView

from .world import World


@dataclass(frozen=True)
class Route:
    name: str | None  # "training:book"; None for an unnamed pattern
    route: str  # the whole pattern, prefixes included
    params: tuple[str, ...]
    redirect_only: bool = False  # a RedirectView: whatever is posted, it redirects

    @property
    def label(self) -> str:
        return self.name or self.route

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<regex_name>\w+)>[^)]*\)")


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), full)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            route = prefix + str(pattern.pattern)
            params = tuple(m["name"] or m["regex_name"] for m in _PARAM.finditer(route))
            view_class = getattr(pattern.callback, "view_class", None)
            redirect_only = view_class is not None and issubclass(view_class, RedirectView)
            yield Route(name, route, params, redirect_only)


def all_routes() -> list[Route]:
    seen, routes = set(), []
    for route in _walk(get_resolver().url_patterns):
        if route.label not in seen:  # admin:login is shadowed by our admin_login
            seen.add(route.label)
            routes.append(route)
    return routes


def _admin_model(route: Route):
    app_label, model_name = route.route.split("/")[1:3]
    return apps.get_model(app_label, model_name)


def param_value(route: Route, param: str, world: World) -> str:
    objects = world.objects
    if route.is_admin:
        if param == "object_id" and route.name != "admin:view_on_site":
            return str(world.admin_objects[_admin_model(route)].pk)
        admin_values = {
            "object_id": objects["employee"].pk,
            "content_type_id": objects["content_type"].pk,
            "id": objects["employee"].pk,
            "app_label": "accounts",
            "url": "no-such-page/",
        }
        return str(admin_values[param])
    if param == "pk":
        by_namespace = {"programmes": "programme", "skills": "target", "trainers": "nomination"}
        owner = route.name.split(":")[0]
        if route.name in ("trainers:pause", "trainers:resume"):
            return str(world.users["trainer"].trainer_profile.pk)
        if route.name in ("training:series", "training:series_publish"):
            return str(objects["series"].pk)
        if route.name.startswith("training:attendance") or route.name.startswith(
            "training:check_in"
        ):
            return str(objects["live"].pk)
        return str(objects[by_namespace.get(owner, "session")].pk)
    if route.name == "training:co_trainer_withdraw" and param == "person_id":
        return str(world.users["lead"].pk)  # invited to co-teach the session
    values = {
        "person_id": objects["employee"].pk,
        "skill_id": objects["other_skill"].pk,
        "user_id": objects["employee"].pk,
        "slug": objects["skill"].slug,
        "token": objects["feed"].token,
        "key": "fuzz-key",
        "uidb36": "1",
        "provider_id": "company",
    }
    return str(values[param])


def url_of(route: Route, world: World) -> str:
    kwargs = {param: param_value(route, param, world) for param in route.params}
    if route.name:
        return reverse(route.name, kwargs=kwargs)
    path = _PARAM.sub(lambda m: kwargs[m["name"] or m["regex_name"]], route.route)
    return "/" + path.replace("^", "").replace("$", "")


# --- What each route posts ------------------------------------------------------------------
# Field kinds (see strategies.py): text, longtext, int:<low>:<high>, id:<object>, ids:<object>,
# choice:<a>|<b>, bool, date[:start|:end], datetime[:start|:end|:deadline], email, emails,
# url, next, password, code. A trailing "?" marks a field usually left empty.
_SESSION = {
    "title": "text",
    "description": "longtext",
    "format": "choice:workshop|discussion|hands_on|role_play|case_study|demo",
    "programme": "id:programme?",
    "starts_at": "datetime:start",
    "ends_at": "datetime:end",
    "location": "text",
    "video_url": "url",
    "capacity": "int:0:2000",
    "booking_deadline": "datetime:deadline?",
    "waitlist_open": "bool",
    "co_trainers": "emails?",
}
_PROGRAMME = {
    "title": "text",
    "goals": "longtext",
    "skills": "ids:skill",
    "audience_teams": "ids:team",
    "owner": "id:ld_staff",
    "starts_on": "date:start",
    "ends_on": "date:end",
    "status": "choice:draft|active|closed",
}
_LEVEL = "choice:0|1|2|3|4"
FIELDS: dict[str, dict[str, str]] = {
    # Core: my own account
    "profile:edit": {
        "display_name": "text",
        "job_title": "text",
        "time_zone": "text",
        "language": "choice:en-gb",
    },
    "profile:skill_privacy": {
        "share_skill_levels": "bool",
        "suggest_me_as_teacher": "bool",
        "next": "next",
    },
    # The app
    "training:feed_reset": {},
    "training:book": {},
    "training:cancel": {},
    "training:claim": {},
    "training:attendance_mark": {"status": "choice:present|late|absent|excused"},
    "training:attendance_approve": {},
    "training:check_in": {"code": "code", "ticket": "text"},
    "training:interest": {"next": "next"},
    "training:interest_withdraw": {"next": "next"},
    "training:new": {
        **_SESSION,
        "skill": "id:skill",
        "repeat_every_weeks": "choice:0|1|2|3|4",
        "repeat_until": "date?",
    },
    "training:edit": _SESSION,
    "training:publish": {},
    "training:cancel_session": {"reason": "longtext"},
    "training:complete": {},
    "training:series_publish": {},
    "training:book_member": {"member": "id:colleague"},
    "training:co_teach_accept": {"whole_series": "choice:0|1"},
    "training:co_teach_decline": {"whole_series": "choice:0|1"},
    "training:co_trainer_withdraw": {},
    "skills:rate": {"skill": "id:skill", "level": _LEVEL, "note": "text"},
    "skills:matrix_assess": {
        "member": "id:employee",
        "skill": "id:skill",
        "level": _LEVEL,
        "note": "text",
    },
    "skills:targets": {
        "team": "id:team",
        "skill": "id:skill",
        "target_level": "choice:1|2|3|4",
        "priority": "choice:1|2|3",
    },
    "skills:target_remove": {},
    "programmes:create": _PROGRAMME,
    "programmes:edit": _PROGRAMME,
    "trainers:assess": {"email": "email", "skill": "id:skill", "level": _LEVEL, "note": "text"},
    "trainers:bio": {"bio": "text?"},
    "trainers:nominate": {
        "user": "id:employee?",
        "email": "email?",
        "skill": "id:skill",
        "reason": "longtext",
        "next": "next",
    },
    "trainers:nomination_agree": {},
    "trainers:nomination_decline": {"reason": "text?"},
    "trainers:nomination_withdraw": {},
    "trainers:review_accept": {},
    "trainers:review_decline": {"reason": "text"},
    "trainers:pause": {},
    "trainers:resume": {},
    "notifications:preferences": {
        "on": "choice:training.feedback.requested@email|account.password_reset_key@email|x@y"
    },
    "admin_login": {"next": "next"},
    # Sign-in (allauth)
    "account_login": {"login": "email", "password": "password", "remember": "bool"},
    "account_logout": {"next": "next"},
    "account_signup": {"email": "email", "password1": "password", "password2": "password"},
    "account_reauthenticate": {"password": "password"},
    "account_email": {
        "email": "email",
        "action_add": "bool",
        "action_send": "bool",
        "action_remove": "bool",
        "action_primary": "bool",
    },
    "account_change_password": {
        "oldpassword": "password",
        "password1": "password",
        "password2": "password",
    },
    "account_set_password": {"password1": "password", "password2": "password"},
    "account_reset_password": {"email": "email"},
    "account_confirm_login_code": {"code": "code"},
    "account_confirm_email": {},
    "account_reset_password_from_key": {"password1": "password", "password2": "password"},
    "socialaccount_signup": {"email": "email"},
    "socialaccount_connections": {"account": "text"},
    "microsoft_login": {"next": "next", "process": "choice:login|connect"},
    "microsoft_callback": {"code": "text", "state": "text", "error": "text"},
    "openid_connect_login": {"next": "next", "process": "choice:login|connect"},
    "openid_connect_callback": {"code": "text", "state": "text", "error": "text"},
    "accounts/oidc/<str:provider_id>/login/callback/": {
        "code": "text",
        "state": "text",
        "error": "text",
    },
    # Django's admin pages that are not a model's form
    "admin:login": {"username": "email", "password": "password", "next": "next"},
    "admin:logout": {},
    "admin/logout/": {"next": "next"},  # allauth's sign-out, where the admin's was
    "admin/(?P<url>.*)$": {},  # the admin's catch-all: a 404 or a redirect to add a slash
    "admin:password_change": {
        "old_password": "password",
        "new_password1": "password",
        "new_password2": "password",
    },
    "admin:auth_user_password_change": {
        "password1": "password",
        "password2": "password",
        "usable_password": "choice:true|false",
    },
}
# The admin's model pages post what their forms hold (admin_fields); these post nothing of
# their own (a POST renders them like a GET, or redirects).
ADMIN_PAGES_WITHOUT_FIELDS = (
    "_history",
    "admin:index",
    "admin:jsi18n",
    "admin:autocomplete",
    "admin:app_list",
    "admin:view_on_site",
    "admin:password_change_done",
)


def admin_fields(route: Route, world: World) -> dict[str, str] | None:
    """The fields of an admin model page, from the form the admin builds, or None when the
    route is not a model page."""
    from ..forms_inventory import superuser_request

    name = route.name or ""
    if route.label in FIELDS:
        return FIELDS[route.label]
    if any(part in name for part in ADMIN_PAGES_WITHOUT_FIELDS) or route.redirect_only:
        return {}
    try:
        model = _admin_model(route)
    except (LookupError, ValueError):
        return None  # not a model's page: it needs an entry in FIELDS
    model_admin = admin.site._registry[model]
    if name.endswith("_changelist"):
        actions = "|".join(model_admin.get_actions(superuser_request())) or "delete_selected"
        return {
            "action": f"choice:{actions}",
            "_selected_action": f"admin:{model._meta.label}",
            "index": "choice:0",
            "select_across": "choice:0|1",
        }
    if name.endswith("_delete"):
        return {"post": "choice:yes"}
    if name.endswith(("_add", "_change")):
        return _form_kinds(model_admin, route, world)
    return None


def _form_kinds(model_admin, route: Route, world: World) -> dict[str, str]:
    from ..forms_inventory import superuser_request

    request = superuser_request()
    obj = world.admin_objects[model_admin.model] if route.name.endswith("_change") else None
    form = model_admin.get_form(request, obj)
    kinds = {}
    for name, field in form.base_fields.items():
        kinds.update(_field_kinds(name, field))
    for inline in model_admin.get_inline_instances(request, obj):
        prefix = inline.get_formset(request, obj).get_default_prefix()
        kinds |= {
            f"{prefix}-TOTAL_FORMS": "choice:0|1",
            f"{prefix}-INITIAL_FORMS": "choice:0",
            f"{prefix}-MIN_NUM_FORMS": "choice:0",
            f"{prefix}-MAX_NUM_FORMS": "choice:1000",
        }
        for name, field in inline.get_formset(request, obj).form.base_fields.items():
            kinds.update(_field_kinds(f"{prefix}-0-{name}", field))
    kinds.pop("password", None)  # the read-only hash; a password has its own page
    return {name: kind for name, kind in kinds.items() if kind}


def _field_kinds(name: str, field) -> dict[str, str]:
    from django import forms

    if isinstance(field, forms.SplitDateTimeField):
        return {f"{name}_0": "date", f"{name}_1": "choice:09:00|23:59:59|25:00"}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return {name: f"admin:{field.queryset.model._meta.label}"}
    if isinstance(field, forms.ModelChoiceField):
        return {name: f"admin:{field.queryset.model._meta.label}"}
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _ in field.choices if not isinstance(_, list | tuple)]
        return {name: "choice:" + "|".join(values or [""])}
    kinds = [
        (forms.BooleanField, "bool"),
        (forms.EmailField, "email"),
        (forms.URLField, "url"),
        (forms.IntegerField, "int:-5:40000"),
        (forms.DateField, "date"),
        (forms.DateTimeField, "datetime"),
        (forms.JSONField, "text"),
    ]
    for form_class, kind in kinds:
        if isinstance(field, form_class):
            return {name: kind}
    if isinstance(field, forms.CharField):
        if isinstance(field.widget, forms.PasswordInput):
            return {name: "password"}
        return {name: "longtext" if isinstance(field.widget, forms.Textarea) else "text"}
    return {name: "text"}
