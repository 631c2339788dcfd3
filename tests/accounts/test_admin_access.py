"""Who may see and change whose account in the admin (peertrain.accounts.access).

A superuser may do anything. L&D staff (staff, in the group, not superusers) never see a
superuser, change only their own and non-staff accounts, set passwords of non-staff
accounts only, hand out only groups and permissions they hold, and never set staff or
superuser status or individual permissions. Each path is tried by the wrong user.
"""

import pytest
from django.contrib.auth.models import Group, Permission

from peertrain.accounts.ld_staff import LD_STAFF_GROUP
from peertrain.accounts.models import User

from ..factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-Password-for-4-you"
USERS = "/admin/accounts/user/"


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def other_ld_staff(db):
    user = UserFactory(email="ld2@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=LD_STAFF_GROUP))
    return user


@pytest.fixture
def payroll(db):
    """A group a superuser made, with rights L&D staff don't have."""
    group = Group.objects.create(name="Payroll")
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    return group


@pytest.fixture
def user_deleter(db):
    """Staff, not a superuser, whom a superuser allowed to manage and delete accounts."""
    user = UserFactory(email="hr@example.com", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["view_user", "change_user", "delete_user"],
        )
    )
    return user


def password_form(password=NEW_PASSWORD) -> dict:
    return {"password1": password, "password2": password, "usable_password": "true"}


def change_form(user: User, **overrides) -> dict:
    """What the change form posts for ``user`` as it is, with ``overrides``."""
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "team": user.team_id or "",
        "job_title": user.job_title,
        "time_zone": user.time_zone,
        "is_active": "on" if user.is_active else "",
        "groups": [group.pk for group in user.groups.all()],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value not in ("", None)}


def rights(user: User) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.email,
        user.is_active,
        user.is_staff,
        user.is_superuser,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
        user.password,
    )


# --- Password form ---------------------------------------------------------------------------
def test_ld_staff_cannot_set_a_superusers_password(client, ld_staff, superuser):
    client.force_login(ld_staff)

    response = client.post(f"{USERS}{superuser.pk}/password/", password_form())

    assert response.status_code == 404
    superuser.refresh_from_db()
    assert superuser.check_password(TEST_PASSWORD)
    assert not superuser.check_password(NEW_PASSWORD)
    assert client.get(f"{USERS}{superuser.pk}/password/").status_code == 404


def test_after_the_refused_reset_the_superuser_cannot_be_signed_in_as(client, ld_staff, superuser):
    client.force_login(ld_staff)
    client.post(f"{USERS}{superuser.pk}/password/", password_form())
    client.logout()

    response = client.post("/accounts/login/", {"login": superuser.email, "password": NEW_PASSWORD})

    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_ld_staff_cannot_set_another_staff_members_password(client, ld_staff, other_ld_staff):
    client.force_login(ld_staff)
    before = rights(other_ld_staff)

    response = client.post(f"{USERS}{other_ld_staff.pk}/password/", password_form())

    assert response.status_code == 403
    assert rights(other_ld_staff) == before


def test_ld_staff_cannot_set_their_own_password_without_the_current_one(client, ld_staff):
    client.force_login(ld_staff)
    before = rights(ld_staff)

    response = client.post(f"{USERS}{ld_staff.pk}/password/", password_form())

    assert response.status_code == 403
    assert rights(ld_staff) == before


def test_ld_staff_sets_an_employees_password(client, ld_staff, employee):
    client.force_login(ld_staff)

    response = client.post(f"{USERS}{employee.pk}/password/", password_form())

    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password(NEW_PASSWORD)


def test_a_superuser_sets_any_password(client, superuser, other_ld_staff):
    other_root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)

    for target in (other_root, other_ld_staff):
        response = client.post(f"{USERS}{target.pk}/password/", password_form())
        assert response.status_code == 302
        target.refresh_from_db()
        assert target.check_password(NEW_PASSWORD)


# --- Change form -----------------------------------------------------------------------------
def test_ld_staff_cannot_open_a_superusers_change_form(client, ld_staff, superuser):
    client.force_login(ld_staff)

    response = client.get(f"{USERS}{superuser.pk}/change/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert superuser.email not in client.get("/admin/").content.decode()


def test_ld_staff_cannot_change_a_superusers_email_activity_or_groups(client, ld_staff, superuser):
    client.force_login(ld_staff)
    before = rights(superuser)
    ld_group = Group.objects.get(name=LD_STAFF_GROUP)

    response = client.post(
        f"{USERS}{superuser.pk}/change/",
        change_form(superuser, email="mine@example.com", is_active="", groups=[ld_group.pk]),
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"  # "doesn't exist": nothing to change
    assert rights(superuser) == before


def test_ld_staff_see_another_staff_account_but_cannot_change_it(client, ld_staff, other_ld_staff):
    client.force_login(ld_staff)
    before = rights(other_ld_staff)

    page = client.get(f"{USERS}{other_ld_staff.pk}/change/")
    response = client.post(
        f"{USERS}{other_ld_staff.pk}/change/",
        change_form(other_ld_staff, email="taken-over@example.com", is_active="", groups=[]),
    )

    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()  # read-only
    assert response.status_code == 403
    assert rights(other_ld_staff) == before


def test_ld_staff_cannot_raise_their_own_rights(client, ld_staff, payroll):
    client.force_login(ld_staff)
    ld_group = Group.objects.get(name=LD_STAFF_GROUP)
    delete_user = Permission.objects.get(codename="delete_user")
    change = f"{USERS}{ld_staff.pk}/change/"

    with_payroll = client.post(
        change,
        change_form(
            ld_staff,
            groups=[ld_group.pk, payroll.pk],
            is_superuser="on",
            is_staff="on",
            user_permissions=[delete_user.pk],
        ),
    )
    without_payroll = client.post(
        change,
        change_form(
            ld_staff,
            job_title="Head of L&D",
            is_superuser="on",
            user_permissions=[delete_user.pk],
        ),
    )

    assert with_payroll.status_code == 400
    assert "Select a valid choice" in with_payroll.content.decode()
    assert without_payroll.status_code == 302
    ld_staff = User.objects.get(pk=ld_staff.pk)
    assert ld_staff.job_title == "Head of L&D"  # the rest of the form was saved
    assert not ld_staff.is_superuser
    assert list(ld_staff.groups.all()) == [ld_group]
    assert not ld_staff.user_permissions.exists()
    assert not ld_staff.has_perm("accounts.delete_user")


def test_ld_staff_cannot_make_an_employee_staff_superuser_or_give_permissions(
    client, ld_staff, employee
):
    client.force_login(ld_staff)
    delete_user = Permission.objects.get(codename="delete_user")

    response = client.post(
        f"{USERS}{employee.pk}/change/",
        change_form(
            employee,
            is_staff="on",
            is_superuser="on",
            user_permissions=[delete_user.pk],
            job_title="Promoted",
        ),
    )

    assert response.status_code == 302
    employee = User.objects.get(pk=employee.pk)
    assert employee.job_title == "Promoted"
    assert (employee.is_staff, employee.is_superuser) == (False, False)
    assert not employee.user_permissions.exists()


def test_ld_staff_cannot_put_anyone_in_a_group_they_are_not_in(client, ld_staff, employee, payroll):
    client.force_login(ld_staff)
    before = rights(employee)

    response = client.post(
        f"{USERS}{employee.pk}/change/", change_form(employee, groups=[payroll.pk])
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert rights(employee) == before


def test_ld_staff_add_people_to_their_own_group_and_leave_other_groups_alone(
    client, ld_staff, employee, payroll
):
    employee.groups.add(payroll)
    client.force_login(ld_staff)
    ld_group = Group.objects.get(name=LD_STAFF_GROUP)

    page = client.get(f"{USERS}{employee.pk}/change/").content.decode()
    response = client.post(
        f"{USERS}{employee.pk}/change/", change_form(employee, groups=[ld_group.pk])
    )

    assert "Payroll" not in page.split('name="groups"')[1].split("</select>")[0]
    assert response.status_code == 302
    assert set(employee.groups.values_list("name", flat=True)) == {LD_STAFF_GROUP, "Payroll"}
    assert not User.objects.get(pk=employee.pk).is_staff  # admin access stays a superuser's call


def test_a_superuser_sets_staff_status_groups_and_permissions(client, superuser, employee, payroll):
    client.force_login(superuser)
    delete_user = Permission.objects.get(codename="delete_user")

    response = client.post(
        f"{USERS}{employee.pk}/change/",
        change_form(
            employee, is_staff="on", groups=[payroll.pk], user_permissions=[delete_user.pk]
        ),
    )

    assert response.status_code == 302
    employee = User.objects.get(pk=employee.pk)
    assert employee.is_staff
    assert list(employee.groups.all()) == [payroll]
    assert list(employee.user_permissions.all()) == [delete_user]


def test_ld_staff_create_accounts_without_staff_status_or_groups(client, ld_staff, payroll):
    client.force_login(ld_staff)

    response = client.post(
        f"{USERS}add/",
        {
            "email": "new@example.com",
            "display_name": "New Person",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [payroll.pk],
        },
    )

    assert response.status_code == 302
    created = User.objects.get(email="new@example.com")
    assert (created.is_staff, created.is_superuser) == (False, False)
    assert not created.groups.exists()


# --- List, search, autocomplete, history -----------------------------------------------------
def test_ld_staff_never_see_a_superuser_in_the_list_search_or_autocomplete(
    client, ld_staff, superuser, employee
):
    client.force_login(ld_staff)

    listing = client.get(USERS).content.decode()
    search = client.get(USERS, {"q": "root"}).content.decode()
    staff_filter = client.get(USERS, {"is_staff__exact": "1"}).content.decode()
    autocomplete = client.get(
        "/admin/autocomplete/",
        {"app_label": "accounts", "model_name": "team", "field_name": "lead", "term": "root"},
    )

    assert employee.email in listing
    assert superuser.email not in listing
    assert superuser.email not in search
    assert "0 results" in search
    assert ld_staff.email in staff_filter
    assert superuser.email not in staff_filter
    assert autocomplete.status_code == 200
    assert autocomplete.json()["results"] == []


def test_a_superuser_sees_every_account(client, superuser, ld_staff):
    client.force_login(superuser)
    other_root = UserFactory(email="root2@example.com", is_staff=True, is_superuser=True)

    listing = client.get(USERS).content.decode()

    assert other_root.email in listing
    assert ld_staff.email in listing


def test_ld_staff_cannot_read_a_superusers_history(client, ld_staff, superuser):
    client.force_login(ld_staff)

    response = client.get(f"{USERS}{superuser.pk}/history/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


# --- Delete and bulk actions -----------------------------------------------------------------
def test_someone_allowed_to_delete_accounts_cannot_delete_a_superuser(
    client, user_deleter, superuser
):
    client.force_login(user_deleter)

    page = client.get(f"{USERS}{superuser.pk}/delete/")
    response = client.post(f"{USERS}{superuser.pk}/delete/", {"post": "yes"})

    assert page.status_code == 302
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert User.objects.filter(pk=superuser.pk).exists()


def test_someone_allowed_to_delete_accounts_cannot_delete_a_staff_account(
    client, user_deleter, ld_staff
):
    client.force_login(user_deleter)

    response = client.post(f"{USERS}{ld_staff.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert User.objects.filter(pk=ld_staff.pk).exists()


def test_someone_allowed_to_delete_accounts_deletes_an_employee(client, user_deleter, employee):
    client.force_login(user_deleter)

    response = client.post(f"{USERS}{employee.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=employee.pk).exists()


def bulk_delete(client, *users, confirm=True):
    data = {"action": "delete_selected", "_selected_action": [user.pk for user in users]}
    if confirm:
        data["post"] = "yes"
    return client.post(USERS, data)


def test_bulk_delete_skips_a_superuser_as_if_not_there(client, user_deleter, superuser, employee):
    client.force_login(user_deleter)

    confirm_page = bulk_delete(client, superuser, employee, confirm=False)
    response = bulk_delete(client, superuser, employee)

    assert superuser.email not in confirm_page.content.decode()
    assert response.status_code == 302
    assert User.objects.filter(pk=superuser.pk).exists()
    assert not User.objects.filter(pk=employee.pk).exists()


def test_bulk_delete_with_a_staff_account_selected_is_refused_whole(
    client, user_deleter, ld_staff, employee
):
    client.force_login(user_deleter)

    confirm_page = bulk_delete(client, ld_staff, employee, confirm=False)
    response = bulk_delete(client, ld_staff, employee)

    assert "only a superuser can delete them" in confirm_page.content.decode()
    assert response.status_code == 403
    assert User.objects.filter(pk__in=[ld_staff.pk, employee.pk]).count() == 2


def test_ld_staff_have_no_bulk_delete(client, ld_staff, employee):
    client.force_login(ld_staff)

    response = bulk_delete(client, employee)

    assert response.status_code == 200  # the list again: no such action for them
    assert "delete_selected" not in response.content.decode()
    assert User.objects.filter(pk=employee.pk).exists()


# --- Groups ----------------------------------------------------------------------------------
def test_ld_staff_cannot_open_or_edit_groups(client, ld_staff):
    group = Group.objects.get(name=LD_STAFF_GROUP)
    before = set(group.permissions.all())
    client.force_login(ld_staff)

    listing = client.get("/admin/auth/group/")
    response = client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": group.name, "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )

    assert listing.status_code == 403
    assert response.status_code == 403
    assert set(group.permissions.all()) == before


@pytest.fixture
def group_editor(ld_staff):
    """L&D staff whom a superuser also allowed to edit groups."""
    ld_staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_group", "change_group"])
    )
    return User.objects.get(pk=ld_staff.pk)  # no cached permissions


def test_a_group_editor_cannot_give_a_group_permissions_they_dont_hold(client, group_editor):
    group = Group.objects.get(name=LD_STAFF_GROUP)
    before = set(group.permissions.all())
    delete_user = Permission.objects.get(codename="delete_user")
    client.force_login(group_editor)

    response = client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": group.name, "permissions": [p.pk for p in before] + [delete_user.pk]},
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert set(group.permissions.all()) == before
    assert not User.objects.get(pk=group_editor.pk).has_perm("accounts.delete_user")


def test_a_group_editor_changes_only_permissions_they_hold(client, group_editor, payroll):
    view_team = Permission.objects.get(codename="view_team")
    client.force_login(group_editor)

    response = client.post(
        f"/admin/auth/group/{payroll.pk}/change/",
        {"name": "Payroll", "permissions": [view_team.pk]},
    )

    assert response.status_code == 302
    # delete_user isn't theirs to take away; view_team is theirs to give
    assert set(payroll.permissions.values_list("codename", flat=True)) == {
        "delete_user",
        "view_team",
    }


# --- The group's grant -----------------------------------------------------------------------
def test_ld_staff_group_holds_no_right_to_hand_out_rights():
    group = Group.objects.get(name=LD_STAFF_GROUP)
    held = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert not {perm for perm in held if perm[0] in {"auth", "contenttypes", "admin"}}
    assert {codename for app, codename in held if app == "accounts"} == {
        "add_team",
        "change_team",
        "delete_team",
        "view_team",
        "add_user",
        "change_user",
        "view_user",
    }
