from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SixdegreeCasesConfig(AppConfig):
    name = "sixdegree_cases"
    label = "sixdegree_cases"
    verbose_name = _("Sixdegree cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_save
        from wagtail.admin.models import FormState

        from .geo.previews import snap_form_state

        # Admin previews keep the submitted form for a day: no picked point may be in it.
        pre_save.connect(snap_form_state, sender=FormState, dispatch_uid="sixdegree_snap_form_state")
