from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SixdegreeReviewConfig(AppConfig):
    name = "sixdegree_cases.review"
    label = "sixdegree_review"
    verbose_name = _("Sixdegree privacy review")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .mixins import install_review_gate
        from .signal_handlers import register_signal_handlers

        install_review_gate()
        register_signal_handlers()

        from . import erasure

        erasure.connect()
