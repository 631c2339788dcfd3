from django.urls import path

from ..views import programmes

app_name = "programmes"
urlpatterns = [
    path("", programmes.programme_list, name="list"),
    path("new/", programmes.programme_create, name="create"),
    path("<int:pk>/", programmes.programme_detail, name="detail"),
    path("<int:pk>/edit/", programmes.programme_edit, name="edit"),
]
