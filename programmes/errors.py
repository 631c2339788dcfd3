from peertrain.core.errors import DomainError


class AssessmentError(DomainError):
    """An assessment that cannot be recorded; the message is for people."""


class TargetError(DomainError):
    """A target that cannot be set; the message is for people."""


class ProgrammeError(DomainError):
    """A programme that cannot be saved as given; ``field`` names the input at fault."""
