"""Stand-ins for broken or external dependencies: a failing check, a mail server that is down, a CDN."""

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


from wagtail.contrib.frontend_cache.backends.base import BaseBackend  # noqa: E402


class RecordingFrontendCache(BaseBackend):
    """A CDN stand-in for Wagtail's frontend cache: remembers the URLs it is asked to purge."""

    purged = []

    def purge(self, url):
        self.purged.append(url)

    def purge_batch(self, urls):
        self.purged.extend(urls)

    def invalidates_hostname(self, hostname):
        return True
