from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def drop_cached_pages(sender, **kwargs):
    """Every page's footer shows the organisation settings: a change drops the page cache and
    moves its version on, which every process's kept `home.organisation` follows."""
    from sixdegree_cases.caching.invalidation import invalidate_all

    invalidate_all()


class HomeConfig(AppConfig):
    name = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .models import OrganisationSettings

        post_save.connect(
            drop_cached_pages, sender=OrganisationSettings, dispatch_uid="home_organisation_cache"
        )
        post_delete.connect(
            drop_cached_pages, sender=OrganisationSettings, dispatch_uid="home_organisation_cache_deleted"
        )
