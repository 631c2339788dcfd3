"""The `L&D staff` group: its name and the helper data migrations use to grant it permissions.

Migrations import this module, so its behaviour must stay backwards compatible.
"""

LD_STAFF_GROUP = "L&D staff"


def grant_ld_staff_permissions(apps, *, app_label: str, codenames: list[str]) -> None:
    """Create the group if needed and give it the named permissions of one app.

    Permissions are normally created after all migrations ran (post_migrate), so create
    those of ``app_label`` now, from the migration's historical models.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.get_or_create(name=LD_STAFF_GROUP)
    permissions = permission_model.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Permissions not found for {app_label}: {sorted(missing)}")
    group.permissions.add(*permissions)


def model_permissions(
    model_name: str, actions: tuple[str, ...] = ("add", "change", "delete", "view")
) -> list[str]:
    return [f"{action}_{model_name}" for action in actions]
