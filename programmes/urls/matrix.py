from django.urls import path

from ..views import matrix

urlpatterns = [
    path("matrix/", matrix.matrix, name="matrix"),
    path("matrix/assess/", matrix.matrix_assess, name="matrix_assess"),
    path("matrix/export.csv", matrix.matrix_export, name="matrix_export"),
]
