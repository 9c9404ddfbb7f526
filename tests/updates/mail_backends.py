"""Mail backends for the update e-mail tests: a server that refuses everything, or one address."""

import smtplib

from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every send raises, as Django's SMTP backend does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusesOneAddressBackend(locmem.EmailBackend):
    """A mail server up and running that refuses one recipient (a dead mailbox, or an address
    a donor chose so that it would be refused), as Django's SMTP backend reports it."""

    refused = "bounce@example.org"

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (550, b"5.1.1 No such user")})
        return super().send_messages(messages)
