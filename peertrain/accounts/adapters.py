"""allauth hooks: who may sign up, and every account email goes through the outbox."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest

from peertrain.notifications.services import notification_record


def email_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS and not email_domain_allowed(email):
            allowed = ", ".join(settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS)
            raise forms.ValidationError(f"Use your work email address (ending in {allowed}).")
        return email

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Record the message in the outbox; the worker sends it. Account mails carry
        one-time links, so their body is wiped once sent."""
        message = self.render_mail(template_prefix, email, context)
        user = context.get("user")
        notification_record(
            recipient=user if getattr(user, "pk", None) else None,
            email=email,
            kind=f"account.{template_prefix.rsplit('/', 1)[-1]}",
            unique_key=f"account:{uuid.uuid4()}",
            subject=str(message.subject),
            body=str(message.body),
            sensitive=True,
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        """Single sign-on creates accounts only for an address in the listed company domains
        that the provider says it verified (some providers pass on any address a user
        typed); otherwise it signs in people who already have an account."""
        return bool(settings.ACCOUNT_ALLOWED_SIGNUP_DOMAINS) and any(
            address.verified and email_domain_allowed(address.email)
            for address in sociallogin.email_addresses
        )
