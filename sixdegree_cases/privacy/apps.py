from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SixdegreePrivacyConfig(AppConfig):
    name = "sixdegree_cases.privacy"
    label = "sixdegree_privacy"
    verbose_name = _("Sixdegree privacy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the system checks that validate SIXDEGREE_PRIVACY_CHECKS and
        # SIXDEGREE_FACE_DETECTOR.
        from . import faces  # noqa: F401
        from .checks import registry  # noqa: F401
        from .signal_handlers import connect

        connect()
