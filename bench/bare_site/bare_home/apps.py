from django.apps import AppConfig


class BareHomeConfig(AppConfig):
    name = "bench.bare_site.bare_home"
    label = "home"
    default_auto_field = "django.db.models.BigAutoField"
