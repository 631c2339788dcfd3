import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from peertrain.accounts.decorators import ld_staff_required
from peertrain.accounts.ld_staff import LD_STAFF_GROUP
from peertrain.accounts.selectors import REQUEST_ROLES_ATTR, user_is_ld_staff
from portal.home.roles import Roles, request_roles, roles_of

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def person(*, staff=False, in_group=False, superuser=False, active=True):
    user = UserFactory(is_staff=staff, is_superuser=superuser, is_active=active)
    if in_group:
        user.groups.add(Group.objects.get_or_create(name=LD_STAFF_GROUP)[0])
    return user


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ({"staff": True, "in_group": True}, True),
        ({"superuser": True}, True),
        ({"staff": True}, False),  # staff alone is not L&D
        ({"in_group": True}, False),  # nor is the group without staff status
        ({"staff": True, "in_group": True, "active": False}, False),
        ({}, False),
    ],
)
def test_the_selector_and_the_roles_apply_the_same_ld_staff_rule(who, expected):
    user = person(**who)

    assert user_is_ld_staff(user) is expected
    assert roles_of(user).is_ld_staff is expected


def test_anonymous_visitor_is_not_ld_staff():
    assert user_is_ld_staff(AnonymousUser()) is False


@ld_staff_required
def ld_page(request):
    return HttpResponse("for L&D")


def signed_in_request(user):
    request = RequestFactory().get("/ld-page/")
    request.user = user
    return request


def test_decorator_reuses_roles_the_request_already_worked_out(ld_staff, django_assert_num_queries):
    request = signed_in_request(ld_staff)
    request_roles(request)  # e.g. by something that ran earlier in the request

    with django_assert_num_queries(0):
        assert ld_page(request).status_code == 200


def test_decorator_answers_from_the_known_roles(ld_staff, django_assert_num_queries):
    request = signed_in_request(ld_staff)
    setattr(request, REQUEST_ROLES_ATTR, Roles(is_employee=True))  # roles say: not L&D

    with django_assert_num_queries(0), pytest.raises(PermissionDenied):
        ld_page(request)


def test_decorator_without_known_roles_checks_the_group(
    ld_staff, employee, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert ld_page(signed_in_request(ld_staff)).status_code == 200
    with django_assert_num_queries(0), pytest.raises(PermissionDenied):
        ld_page(signed_in_request(employee))  # not staff: no need to ask the database


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
