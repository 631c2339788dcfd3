from allauth.account import views as account_views
from django.contrib import admin
from django.urls import include, path

from peertrain.accounts import oidc
from peertrain.accounts.views import SignInView
from peertrain.core.views import admin_login, healthz

admin.site.site_header = "PeerTrain administration"
admin.site.site_title = "PeerTrain admin"
admin.site.index_title = "Run the programme"

# A database connection lost outside a view answers 503 "try again" (see core.views).
handler500 = "peertrain.core.views.server_error"
handler404 = "peertrain.core.views.page_not_found"

urlpatterns = [
    path("", include("portal.home.urls")),
    path("healthz", healthz, name="healthz"),
    # allauth's OpenID Connect callback, keeping the ID token for signing out at the provider.
    path("accounts/oidc/<str:provider_id>/login/callback/", oidc.callback),
    # Before allauth's own, which it replaces (same name): a lockout answers 429.
    path("accounts/login/", SignInView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("team/", include("peertrain.accounts.urls")),
    path("account/notifications/", include("peertrain.notifications.urls")),
    path("account/", include("peertrain.accounts.profile_urls")),
    path("skills/", include("programmes.urls")),
    path("programmes/", include("programmes.urls.programmes")),
    path("trainers/", include("trainers.urls")),
    path("sessions/", include("sessions.urls")),
    # The admin signs in and out through allauth too: one rate limit, one rule for ``next``,
    # and signing out of company sign-in where that applies.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/logout/", account_views.logout),
    path("admin/", admin.site.urls),
]
