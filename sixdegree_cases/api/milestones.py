"""Milestones as the API publishes them: absolute URLs for another host's front-end.

The story map on the site itself reads relative URLs (`page.milestones`): the site's own
Content-Security-Policy allows only its own origin, whatever host name a reader used. A
front-end elsewhere needs absolute ones, all from one setting (`WAGTAILAPI_BASE_URL`, which the
site sets to `WAGTAILADMIN_BASE_URL`; else the default Site's root URL).
"""

from django.templatetags.static import static
from rest_framework.fields import ReadOnlyField

from ..blocks import Stage

STAGES = set(Stage.values)


def absolute(url, base_url):
    """`url` on the API's base URL ("/media/x.webp" → "https://example.org/media/x.webp")."""
    if not url or "://" in url:
        return url
    return base_url.rstrip("/") + "/" + url.lstrip("/")


def api_milestones(milestones, base_url):
    """Each public milestone with its stage icon and illustration as absolute URLs."""
    published = []
    for milestone in milestones:
        milestone = dict(milestone)
        stage = milestone.get("stage")
        milestone["stage_icon"] = (
            absolute(static(f"sixdegree_cases/icons/{stage}.svg"), base_url) if stage in STAGES else None
        )
        if milestone.get("illustration"):
            milestone["illustration"] = {
                **milestone["illustration"],
                "url": absolute(milestone["illustration"]["url"], base_url),
            }
        published.append(milestone)
    return published


class MilestonesField(ReadOnlyField):
    """The `milestones` API field: the public allow-list, with absolute URLs."""

    def to_representation(self, value):
        # Imported here: wagtail.api.v2.utils loads the page model, and models.py imports this.
        from wagtail.api.utils import get_base_url

        return api_milestones(value, get_base_url(self.context.get("request")) or "")
