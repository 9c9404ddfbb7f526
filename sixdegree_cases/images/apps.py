from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SixdegreeImagesConfig(AppConfig):
    name = "sixdegree_cases.images"
    label = "sixdegree_images"
    verbose_name = _("Sixdegree images")
    default_auto_field = "django.db.models.BigAutoField"
