from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SixdegreeCasesConfig(AppConfig):
    name = "sixdegree_cases"
    label = "sixdegree_cases"
    verbose_name = _("Sixdegree cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import addresses  # noqa: F401 - registers the trusted-proxies system check
