import pytest
from django.contrib.auth.models import Group

from peertrain.accounts.ld_staff import LD_STAFF_GROUP

pytestmark = pytest.mark.django_db


def test_ld_staff_group_is_created_by_migrations_with_its_permissions():
    group = Group.objects.get(name=LD_STAFF_GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert {
        ("accounts", "add_team"),
        ("accounts", "change_user"),
        ("accounts", "view_user"),
        ("programmes", "add_skill"),
        ("programmes", "delete_skill"),
        ("trainers", "add_certification"),
        ("trainers", "change_trainerprofile"),
        ("notifications", "view_notification"),
    } <= codenames
    assert ("accounts", "delete_user") not in codenames
    assert ("notifications", "change_notification") not in codenames


def test_anonymous_visitor_is_sent_to_the_sign_in_page_from_the_admin(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"].startswith("/accounts/login/")


def test_employee_is_refused_the_admin(client, employee):
    client.force_login(employee)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403


def test_ld_staff_opens_the_admin_and_manages_skills(client, ld_staff):
    client.force_login(ld_staff)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/programmes/skill/").status_code == 200
    assert client.get("/admin/programmes/skill/add/").status_code == 200
    assert client.get("/admin/accounts/team/").status_code == 200
    assert client.get("/admin/trainers/certification/add/").status_code == 200


def test_ld_staff_cannot_make_anyone_a_superuser(client, ld_staff, employee):
    client.force_login(ld_staff)

    page = client.get(f"/admin/accounts/user/{employee.pk}/change/")

    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="user_permissions"' not in page.content.decode()


def test_staff_without_the_group_sees_no_models(client, employee):
    employee.is_staff = True
    employee.save()
    client.force_login(employee)

    response = client.get("/admin/programmes/skill/")

    assert response.status_code == 403
