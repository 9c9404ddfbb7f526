"""A privacy check that always fails to run (a broken dependency)."""

from django.core.mail.backends.base import BaseEmailBackend

from sixdegree_cases.privacy.checks.base import PrivacyCheck


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


class BrokenCheck(PrivacyCheck):
    id = "broken"
    label = "Broken"

    def check(self, context):
        raise RuntimeError("the detector's model file is missing")
