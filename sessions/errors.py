from peertrain.core.errors import DomainError


class BookingError(DomainError):
    """A booking action that cannot happen now (409); the message is for people."""

    status_code = 409


class BookingBusy(BookingError):
    """The session's lock could not be had in time (a rush on the last seats): answered at
    once with 503 and Retry-After rather than queued."""

    status_code = 503
    retry_after = 2

    def __init__(self):
        super().__init__("Lots of people are booking this session right now. Please try again.")


class SessionError(DomainError):
    """A change to a session that cannot happen (409); the message is for people. ``field``
    names the input it is about (e.g. "capacity"), so a form can show it beside that input."""

    status_code = 409


class CheckInRefused(SessionError):
    """Self check-in isn't possible now (outside the session window, or for its trainer)."""


class CheckInCodeInvalid(SessionError):
    """The check-in code is wrong or has rotated away (400: the input was wrong)."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message, field="code")


class CheckInThrottled(SessionError):
    """Too many wrong codes from this person for this session; ``retry_after`` in seconds."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
