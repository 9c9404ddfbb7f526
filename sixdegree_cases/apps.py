from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .contract import SIXDEGREE_APPS


def missing_plugin_apps(registry):
    """The apps of SIXDEGREE_APPS that `registry` (once its app configs exist) lacks."""
    return [name for name in SIXDEGREE_APPS if not registry.is_installed(name)]


class SixdegreeCasesConfig(AppConfig):
    name = "sixdegree_cases"
    label = "sixdegree_cases"
    verbose_name = _("Sixdegree cases")
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        """Refuse, before any model loads, a site that leaves out part of the plugin.

        Every app of SIXDEGREE_APPS is required: the page models import the privacy, review and
        donation models, so a missing one would otherwise fail as Django's "Model class ...
        isn't in INSTALLED_APPS" deep inside an import, before `manage.py check` could name it.
        """
        missing = missing_plugin_apps(self.apps)
        if missing:
            raise ImproperlyConfigured(
                f"INSTALLED_APPS lacks {', '.join(missing)} (sixdegree_cases.E101): every app of "
                "SIXDEGREE_APPS is required. INSTALLED_APPS = [*SIXDEGREE_APPS, ...] "
                "(from sixdegree_cases import SIXDEGREE_APPS). See README, 'Using the plugin in "
                "another Wagtail site'."
            )
        super().import_models()

    def ready(self):
        from django.db.models.signals import pre_save
        from django_tasks.signals import task_finished
        from wagtail.admin.models import FormState

        from .geo.previews import snap_form_state
        from .redaction import logs, tasks

        # Wagtail logs page titles and slugs; task results keep their arguments: no case text.
        logs.install()
        # Every copy of a case (Page.copy on any instance, the admin, CopyPageAction) keeps its terms.
        from .privacy import copying

        copying.install()
        task_finished.connect(tasks.blank_finished_task_result, dispatch_uid="sixdegree_blank_task_results")
        # Admin previews keep the submitted form for a day: no picked point may be in it.
        pre_save.connect(snap_form_state, sender=FormState, dispatch_uid="sixdegree_snap_form_state")
        if apps.is_installed("corsheaders"):
            from corsheaders.signals import check_request_enabled

            from .api.cors import allow_api_readers

            # CORS for the read-only API, for SIXDEGREE_API_CORS_ORIGINS only.
            check_request_enabled.connect(allow_api_readers, dispatch_uid="sixdegree_api_readers")
        from .updates import signal_handlers as updates

        # A case taken offline takes its updates with it.
        updates.connect()
        # System checks: trusted proxies; the plugin contract (settings, URLs, map assets).
        from . import addresses, checks  # noqa: F401
