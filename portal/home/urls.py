from django.urls import path

from .views import home, teaching_workspace_view

# No namespace: "home" is the front page's name everywhere (LOGIN_REDIRECT_URL, links).
urlpatterns = [
    path("", home, name="home"),
    path("teaching/", teaching_workspace_view, name="teaching"),
]
