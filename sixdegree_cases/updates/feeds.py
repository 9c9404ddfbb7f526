"""Atom feeds of case updates: one per case and one for the site.

Built from the same allow-list as the timeline and the API (`public.update_dict`): title,
period, narrative and a link to the update on its case page. Only live, public updates of
live, public cases; a draft, private or missing case answers the same 404.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .. import get_case_model
from .public import live_public_updates, live_updates_of, update_dict

FEED_SIZE = 20


class _UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item):
        return f"{item['title']} ({item['period']})"

    def item_description(self, item):
        return item["narrative"]

    def item_link(self, item):
        return item["link"]

    def item_guid(self, item):
        return item["link"]

    def item_pubdate(self, item):
        return item["published"]

    @staticmethod
    def entries(pairs):
        found = []
        for case, update in pairs:
            public = update_dict(update)
            entry = {key: public[key] for key in ("title", "period", "narrative", "published")}
            entry["link"] = f"{case.get_url() or ''}#update-{update.pk}"
            found.append(entry)
        return found


class CaseUpdatesFeed(_UpdatesFeed):
    """What happened next for one live, public case."""

    def get_object(self, request, pk):
        SurvivorCasePage = get_case_model()

        case = SurvivorCasePage.objects.live().public().filter(pk=pk).first()
        if case is None:
            raise Http404("No such case.")
        return case

    def title(self, case):
        return _("What happened next for %(pseudonym)s") % {"pseudonym": case.pseudonym}

    def link(self, case):
        return f"{case.get_url() or '/'}#updates"

    def subtitle(self, case):
        return _("Reviewed updates on a survivor's case (a pseudonym).")

    def items(self, case):
        return self.entries((case, update) for update in live_updates_of(case)[:FEED_SIZE])


class SiteUpdatesFeed(_UpdatesFeed):
    """What happened next, across every live, public case."""

    def title(self):
        return _("What happened next · %(site)s") % {
            "site": getattr(settings, "WAGTAIL_SITE_NAME", "Sixdegree")
        }

    def link(self):
        return "/"

    def subtitle(self):
        return _("Reviewed updates on survivors' cases.")

    def items(self):
        SurvivorCasePage = get_case_model()

        updates = list(live_public_updates()[:FEED_SIZE])
        paths = {update.path[: -update.steplen] for update in updates}
        cases = {case.path: case for case in SurvivorCasePage.objects.filter(path__in=paths)}
        return self.entries(
            (cases[update.path[: -update.steplen]], update)
            for update in updates
            if update.path[: -update.steplen] in cases
        )
