from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SixdegreeCachingConfig(AppConfig):
    name = "sixdegree_cases.caching"
    label = "sixdegree_caching"
    verbose_name = _("Sixdegree page cache")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
