class BookingError(Exception):
    """A booking action that cannot happen; the message is for people."""


class SessionError(Exception):
    """A change to a session that cannot happen; the message is for people."""
