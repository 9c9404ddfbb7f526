"""The Wagtail admin's "forgotten password" form, answering alike for every address.

Django's form looks the address up and, only when a staff account uses it, makes a token and
sends an e-mail in the request: the answer is the same page, but it came in a few ms for an
unknown address and after an SMTP round trip for a real one, which told anyone who works here.
Here the request looks the address up and queues one task whatever it found; the task sends the
link to real accounts only (the same e-mail and link as Wagtail's own).

The task takes the accounts' ids only (none for an unknown address): the address, the link's
host and a fresh token are built when it runs, so neither an address nor a reset link rests in
the task table. The link's host is `WAGTAILADMIN_BASE_URL`, as in Wagtail's other e-mails.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django_tasks import task
from wagtail.admin.forms.auth import PasswordResetForm
from wagtail.admin.views.account import PasswordResetView


class StaffPasswordResetForm(PasswordResetForm):
    """`WAGTAILADMIN_USER_PASSWORD_RESET_FORM`: the same work whether or not the address has an account."""

    def save(self, *args, **kwargs):
        # Django's own choice of accounts (active, usable password, the same address); the
        # templates, host and token generator are the task's (Wagtail's and Django's defaults).
        user_ids = [user.pk for user in self.get_users(self.cleaned_data["email"])]
        send_staff_password_reset.enqueue(user_ids)


class _ResetByIds(DjangoPasswordResetForm):
    """Django's reset e-mail for the accounts named by id that can still be reset now."""

    def __init__(self, user_ids):
        super().__init__({"email": ""})
        self.cleaned_data = {"email": ""}
        self.user_ids = [pk for pk in user_ids if isinstance(pk, int) and not isinstance(pk, bool)]

    def get_users(self, email):
        email_field = get_user_model().get_email_field_name()
        for user in get_user_model()._default_manager.filter(pk__in=self.user_ids, is_active=True):
            # The address it has now: an account whose address changed since the request is
            # mailed at its new one, never at the old.
            if user.has_usable_password() and getattr(user, email_field):
                yield user


@task()
def send_staff_password_reset(user_ids):
    """Send Wagtail's password reset e-mail to each of these accounts that is still active with a
    usable password and an address (nothing for none: an unknown address asked for nothing)."""
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    DjangoPasswordResetForm.save(
        _ResetByIds(user_ids if isinstance(user_ids, list) else []),
        domain_override=base.netloc,
        subject_template_name=PasswordResetView.subject_template_name,
        email_template_name=PasswordResetView.email_template_name,
        use_https=base.scheme == "https",
        extra_email_context={"site_name": getattr(settings, "WAGTAIL_SITE_NAME", base.netloc)},
    )
    return 0
