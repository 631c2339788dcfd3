"""Text people type: one line (titles, names, places, links) or several (descriptions).

A control character in a one-line field is never meant. It is a paste accident or an attack:
a line break in a session title ends an email's Subject header and starts another one
(``Bcc: …``), and the mail library then refuses every message about that session. So input
refuses them (``validate_single_line`` on every one-line field, ``validate_text`` on every
multi-line one), and ``one_line`` flattens whatever reaches a header anyway (rows saved
before the rule, names an identity provider sends).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Unicode's own line and paragraph separators break lines as surely as "\n" does.
_LINE_SEPARATORS = frozenset("\u2028\u2029")
# Kept in multi-line text: they are how people lay out a description.
_LAYOUT = frozenset("\n\r\t")
_BREAKS = re.compile(r"[\s\u2028\u2029]+")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or char in _LINE_SEPARATORS


def control_characters(value: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The control characters in ``value`` (each once, in order), except ``allowed``."""
    found = (char for char in value if _is_control(char) and char not in allowed)
    return list(dict.fromkeys(found))


def _named(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(char):04X}" for char in chars)


@deconstructible(path="peertrain.core.text.SingleLineValidator")
class SingleLineValidator:
    """One line of text: no line breaks, tabs or other control characters."""

    message = "Keep this to one line, without line breaks, tabs or control characters ({})."
    code = "control_characters"

    def __call__(self, value) -> None:
        found = control_characters(str(value))
        if found:
            raise ValidationError(self.message.format(_named(found)), code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, SingleLineValidator)

    def __hash__(self) -> int:
        return hash(type(self))


@deconstructible(path="peertrain.core.text.TextValidator")
class TextValidator:
    """Several lines of text: line breaks and tabs, but no other control characters."""

    message = "Remove the control characters ({}); line breaks and tabs are fine."
    code = "control_characters"

    def __call__(self, value) -> None:
        found = control_characters(str(value), allowed=_LAYOUT)
        if found:
            raise ValidationError(self.message.format(_named(found)), code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, TextValidator)

    def __hash__(self) -> int:
        return hash(type(self))


validate_single_line = SingleLineValidator()
validate_text = TextValidator()


def one_line(value: str) -> str:
    """``value`` as a single line fit for a mail header: every run of line breaks, tabs and
    other whitespace becomes one space, other control characters go."""
    spaced = _BREAKS.sub(" ", value)
    return "".join(char for char in spaced if not _is_control(char)).strip()
