"""Account mails (address confirmation, password reset, …): allauth writes them, ``notify``
sends them (``adapters.AccountAdapter.send_mail``). Always sent, and sensitive: most carry a
one-time link, so the stored body is wiped once sent; and they go by email only, to the
address in question, whatever other channels a person has. All of them render allauth's own
templates (or this project's overrides of them) through templates/notifications/account/."""

from peertrain.notifications.kinds import Kind, declare_kinds

LABEL = "Account emails: confirming your address, resetting your password"
# allauth's account mails (allauth/templates/account/email/<name>_subject.txt); the kind of
# each is ``account.<name>``.
ACCOUNT_MAILS = (
    "account_already_exists",
    "email_changed",
    "email_confirm",
    "email_confirmation",
    "email_confirmation_signup",
    "email_deleted",
    "login_code",
    "password_changed",
    "password_reset",
    "password_reset_code",
    "password_reset_key",
    "password_set",
    "unknown_account",
)

declare_kinds(
    *(
        Kind(
            f"account.{name}",
            LABEL,
            optional=False,
            sensitive=True,
            templates="account",
            only_on=("email",),  # it proves or protects the address: that address only
        )
        for name in ACCOUNT_MAILS
    )
)
