from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings

from peertrain.core.forms import OneLineField
from peertrain.core.timezones import time_zone_names

from .models import User


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"


def _sentence(text: object) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


class ProfileForm(forms.Form):
    """What a person says about themselves. The rules (a known time zone, a language the site
    offers) are the service's, ``user_update_profile``; this form only reads the input."""

    display_name = OneLineField(
        label="Display name",
        max_length=User.text_limit("display_name"),
        required=False,
        help_text="How colleagues see you. Empty: your email address.",
    )
    job_title = OneLineField(
        label="Job title", max_length=User.text_limit("job_title"), required=False
    )
    time_zone = OneLineField(
        label="Time zone",
        max_length=User.text_limit("time_zone"),
        help_text="Start typing a city, e.g. Europe/Berlin or America/New_York. "
        "Every time on PeerTrain is shown in it.",
        widget=forms.TextInput(
            attrs={"list": "time-zone-names", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    language = forms.ChoiceField(
        label="Language",
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": "Choose one of the languages listed."},
    )

    @classmethod
    def for_user(cls, user: User) -> "ProfileForm":
        return cls(
            initial={
                "display_name": user.display_name,
                "job_title": user.job_title,
                "time_zone": user.time_zone,
                "language": user.language,
            }
        )

    @staticmethod
    def time_zone_names() -> tuple[str, ...]:
        return time_zone_names()


class SkillPrivacyForm(forms.Form):
    """Who may see my levels: on my profile and on my skills page, one form."""

    share_skill_levels = forms.BooleanField(
        label=_sentence(User._meta.get_field("share_skill_levels").verbose_name),
        help_text=User._meta.get_field("share_skill_levels").help_text,
        required=False,
    )
    suggest_me_as_teacher = forms.BooleanField(
        label=_sentence(User._meta.get_field("suggest_me_as_teacher").verbose_name),
        help_text="You appear in “colleagues who know this” for skills you rate 3 or 4.",
        required=False,
    )

    @classmethod
    def for_user(cls, user: User) -> "SkillPrivacyForm":
        return cls(
            initial={
                "share_skill_levels": user.share_skill_levels,
                "suggest_me_as_teacher": user.suggest_me_as_teacher,
            }
        )
