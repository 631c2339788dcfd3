from peertrain.core.errors import DomainError


class NominationError(DomainError):
    """A nomination that cannot be recorded; the message is for people."""


class SkillFilterError(DomainError):
    """A skill filter that names no skill; the message is for people."""

    def __init__(self, message: str):
        super().__init__(message, field="skill")


class UnknownAssessee(DomainError):
    """No such active person or skill to record a verified level for (404)."""

    status_code = 404


class SkillNotCertified(DomainError):
    """A trainer may verify levels only in the skills they are certified in (403)."""

    status_code = 403

    def __init__(self, message: str):
        super().__init__(message, field="skill")


class NominationClosed(DomainError):
    """An action on a nomination that is no longer open, or not ready for it (409)."""

    status_code = 409


class IllegalTransition(DomainError):
    """A trainer status change that ``LEGAL_TRANSITIONS`` doesn't allow (409)."""

    status_code = 409

    def __init__(self, message: str):
        super().__init__(message, field="status")


class TrainerBioError(DomainError):
    """A bio that can't be saved (too long, control characters) or someone else's (403)."""

    def __init__(self, message: str, *, status_code: int = 400):
        super().__init__(message, field="bio")
        self.status_code = status_code
