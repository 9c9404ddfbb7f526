"""The site's home page: an introduction and featured live cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.prefetch import with_funding

FEATURED_FALLBACK_COUNT = 3


class HomePage(Page):
    """The front page: why Sixdegree exists, and cases that need support now."""

    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])
    featured_heading = models.CharField(max_length=120, default="Stories that need you now")

    search_fields = Page.search_fields + [index.SearchField("introduction")]

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("featured_heading"),
        InlinePanel(
            "featured_cases",
            label=_("Featured cases"),
            help_text=_("Left empty, the newest live cases are shown."),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_featured_cases(self):
        """The chosen cases that are live and public, or else the newest live, public ones."""
        chosen_ids = [f.case_id for f in self.featured_cases.all() if f.case_id]
        live = with_funding(SurvivorCasePage.objects.live().public())
        if chosen_ids:
            by_id = {case.pk: case for case in live.filter(pk__in=chosen_ids)}
            chosen = [by_id[pk] for pk in chosen_ids if pk in by_id]
            if chosen:
                return chosen
        return list(
            live.order_by(models.F("launch_date").desc(nulls_last=True), "-first_published_at")[
                :FEATURED_FALLBACK_COUNT
            ]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_cases"] = self.get_featured_cases()
        return context


class FeaturedCase(Orderable):
    """A case the communications team chose to show on the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_cases")
    case = models.ForeignKey("sixdegree_cases.SurvivorCasePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("case")]
