"""The Wagtail admin's "forgotten password" form, answering alike for every address.

Django's form looks the address up and, only when a staff account uses it, makes a token and
sends an e-mail in the request: the answer is the same page, but it came in a few ms for an
unknown address and after an SMTP round trip for a real one, which told anyone who works here.
Here the request only queues a task, whatever the address; the task looks the address up and
sends the link to a real account only (the same e-mail and link as Wagtail's own).
"""

from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django_tasks import task
from wagtail.admin.forms.auth import PasswordResetForm


class StaffPasswordResetForm(PasswordResetForm):
    """`WAGTAILADMIN_USER_PASSWORD_RESET_FORM`: the same work whether or not the address has an account."""

    def save(
        self,
        domain_override=None,
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.html",
        use_https=False,
        token_generator=None,
        from_email=None,
        request=None,
        html_email_template_name=None,
        extra_email_context=None,
    ):
        if domain_override:
            site_name = domain = domain_override
        else:
            site = get_current_site(request)
            site_name, domain = site.name, site.domain
        # Django's default token generator in the task; a custom one cannot be queued.
        send_staff_password_reset.enqueue(
            email=self.cleaned_data["email"],
            domain=domain,
            site_name=site_name,
            use_https=use_https,
            subject_template_name=subject_template_name,
            email_template_name=email_template_name,
            html_email_template_name=html_email_template_name,
            from_email=from_email,
        )


@task()
def send_staff_password_reset(
    email,
    domain,
    site_name,
    use_https,
    subject_template_name,
    email_template_name,
    html_email_template_name,
    from_email,
):
    """Send Wagtail's password reset e-mail to each active staff account using `email` (none for
    an unknown address: its owner asked nothing of an account that does not exist)."""
    form = StaffPasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    DjangoPasswordResetForm.save(
        form,
        domain_override=domain,
        subject_template_name=subject_template_name,
        email_template_name=email_template_name,
        use_https=use_https,
        from_email=from_email,
        html_email_template_name=html_email_template_name,
        extra_email_context={"site_name": site_name},
    )
    return 0
