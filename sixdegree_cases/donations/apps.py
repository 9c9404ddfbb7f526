from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "sixdegree_cases.donations"
    label = "sixdegree_donations"
    verbose_name = _("Sixdegree donations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from ..updates.models import CaseUpdate
        from . import checks, presets  # noqa: F401 - register the system checks
        from .tasks import queue_update_mail
        from .totals import record_status

        # `Donation.change_status` (called by django-payments and its providers) asks for this.
        self.record_status = record_status

        # A case update going live is e-mailed to the donors who asked to hear back.
        page_published.connect(queue_update_mail, sender=CaseUpdate, dispatch_uid="sixdegree_update_mail")

        if apps.is_installed("corsheaders"):
            from corsheaders.signals import check_request_enabled

            from .origins import allow_front_ends

            check_request_enabled.connect(allow_front_ends, dispatch_uid="sixdegree_donations_cors")
