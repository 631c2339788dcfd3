"""Mark the address of every account L&D, an admin or a script made as verified.

Such accounts have no allauth EmailAddress row, so allauth treated their address as
unverified: opening sign-up (mandatory verification) locked them behind "Verify your email
address", and their first company sign-in wiped their password. Self sign-ups and SSO
accounts already have a row and are left alone. Later accounts get theirs at first sign-in
(accounts.services.user_address_vouch, the same rule).
"""

from django.db import migrations


def vouch_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    proven = set(EmailAddress.objects.filter(verified=True).values_list("email", flat=True))
    recorded = set(EmailAddress.objects.values_list("user_id", "email"))
    for user in User.objects.only("pk", "email").iterator():
        email = user.email.lower()
        if (user.pk, email) in recorded or email in proven:
            continue
        EmailAddress.objects.filter(user_id=user.pk, primary=True).update(primary=False)
        EmailAddress.objects.create(user_id=user.pk, email=email, verified=True, primary=True)
        proven.add(email)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_text_without_control_characters"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(vouch_addresses, migrations.RunPython.noop)]
