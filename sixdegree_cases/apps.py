from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SixdegreeCasesConfig(AppConfig):
    name = "sixdegree_cases"
    label = "sixdegree_cases"
    verbose_name = _("Sixdegree cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django_tasks.signals import task_finished

        from .redaction import logs, tasks

        # Wagtail logs page titles and slugs; task results keep their arguments: no case text.
        logs.install()
        task_finished.connect(tasks.blank_finished_task_result, dispatch_uid="sixdegree_blank_task_results")
