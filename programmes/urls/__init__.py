"""Skill pages live under /skills/ (namespace "skills"), programmes under /programmes/."""

from . import gaps, matrix, my_skills

app_name = "skills"
urlpatterns = [*my_skills.urlpatterns, *matrix.urlpatterns, *gaps.urlpatterns]
