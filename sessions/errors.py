class BookingError(Exception):
    """A booking action that cannot happen; the message is for people."""


class BookingBusy(BookingError):
    """The session's lock could not be had in time (a rush on the last seats): try again."""

    def __init__(self):
        super().__init__("Lots of people are booking this session right now. Please try again.")


class SessionError(Exception):
    """A change to a session that cannot happen; the message is for people. ``field`` names
    the input it is about (e.g. "capacity"), so a form can show it beside that input."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class CheckInRefused(SessionError):
    """Self check-in isn't possible now (outside the session window, or for its trainer)."""


class CheckInCodeInvalid(SessionError):
    """The check-in code is wrong or has rotated away."""


class CheckInThrottled(SessionError):
    """Too many wrong codes from this person for this session; ``retry_after`` in seconds."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
