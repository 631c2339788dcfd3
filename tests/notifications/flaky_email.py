"""An email backend standing in for an SMTP server that fails a set number of times."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    failures_left = 0

    def send_messages(self, messages):
        if FlakyEmailBackend.failures_left > 0:
            FlakyEmailBackend.failures_left -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class CountingEmailBackend(EmailBackend):
    """Counts how many times a connection is opened."""

    opened = 0

    def open(self):
        CountingEmailBackend.opened += 1
        return True
