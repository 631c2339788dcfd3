from peertrain.core.errors import DomainError

# What anyone asked for a level (0 to 4) is told when it isn't one: forms and services alike.
LEVEL_ERROR = "Choose a level from 0 (none) to 4 (can teach it)."


class AssessmentError(DomainError):
    """An assessment that cannot be recorded; the message is for people."""


class TargetError(DomainError):
    """A target that cannot be set; the message is for people."""


class ProgrammeError(DomainError):
    """A programme that cannot be saved as given; ``field`` names the input at fault."""
