from django.urls import path

from .views import home

# No namespace: "home" is the front page's name everywhere (LOGIN_REDIRECT_URL, links).
urlpatterns = [
    path("", home, name="home"),
]
