"""The site's own pages: the home page with featured live cases, the pages that tell donors
who runs the site and how (About, How it works, Privacy policy, Contact), and the
organisation's details shown in every footer."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from sixdegree_cases.donations.closing import taking_gifts
from sixdegree_cases.listing import launched_on
from sixdegree_cases.models import CaseIndexPage, SurvivorCasePage
from sixdegree_cases.prefetch import with_funding
from sixdegree_cases.restrictions.queries import (
    RestrictionsOncePerServeMixin,
    public,
    with_restrictions_known,
)

FEATURED_FALLBACK_COUNT = 3


class HomePage(RestrictionsOncePerServeMixin, Page):
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
            help_text=_("Left empty, the newest live cases still taking gifts are shown."),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_featured_cases(self):
        """The chosen cases that are live and public (as chosen, whatever their funding), or else
        the newest live, public ones still taking gifts: at "fundraising", not fully funded."""
        chosen_ids = [f.case_id for f in self.featured_cases.all() if f.case_id]
        live = with_funding(public(SurvivorCasePage.objects.live()))
        if chosen_ids:
            by_id = {case.pk: case for case in live.filter(pk__in=chosen_ids)}
            chosen = [by_id[pk] for pk in chosen_ids if pk in by_id]
            if chosen:
                return chosen
        newest = taking_gifts(live).order_by(launched_on().desc(), "-first_published_at")
        return list(newest[:FEATURED_FALLBACK_COUNT])

    def route(self, request, path_components):
        """A case below a case index below the home page in one query, found by its URL path
        (Wagtail asks for each child, then for its specific page: four queries); a case index
        in one; each with whether it may be restricted (`with_restrictions_known`). Any other
        page is routed by Wagtail (a query or two more for it: the cases are looked for first,
        as the pages most visited)."""
        if len(path_components) == 2:
            # Cases live only below a case index (`parent_page_types`), whose `route` would find
            # the same child by its slug; its live state does not matter to Wagtail's routing
            # either. `url_path` is kept by Wagtail for every move and slug change.
            # With whether it may be restricted: a case that cannot be reads no restrictions.
            case = (
                with_restrictions_known(
                    SurvivorCasePage.objects.filter(
                        path__startswith=self.path,
                        depth=self.depth + 2,
                        url_path=f"{self.url_path}{path_components[0]}/{path_components[1]}/",
                    )
                )
                .select_related("funding", "lifecycle")
                .first()
            )
            if case is not None:
                return case.route(request, [])
        if path_components:
            case_index = with_restrictions_known(
                CaseIndexPage.objects.child_of(self).filter(slug=path_components[0])
            ).first()
            if case_index is not None:
                # Slugs are unique among siblings: the child Wagtail would have found.
                case_index._cached_parent_obj = self
                return case_index.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_cases"] = self.get_featured_cases()
        return context


class FeaturedCase(Orderable):
    """A case the communications team chose to show on the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_cases")
    case = models.ForeignKey("sixdegree_cases.SurvivorCasePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("case")]


class InformationPage(Page):
    """A plain page of text: About, How it works, Privacy policy, Contact.

    Goes live through the privacy review like every page. Contact details belong in the
    organisation settings (shown on the page when "Show contact details" is ticked), not in
    the text, where the contact-details check would stop the review.
    """

    intro = models.TextField(
        max_length=300,
        blank=True,
        verbose_name=_("introduction"),
        help_text=_("One or two sentences; also the page's description in search engines and shared links."),
    )
    body = RichTextField(features=["h2", "h3", "bold", "italic", "ol", "ul", "link"], verbose_name=_("text"))
    show_contact_details = models.BooleanField(
        default=False,
        verbose_name=_("show contact details"),
        help_text=_("Show the organisation's contact details from Settings → Organisation below the text."),
    )

    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("show_contact_details"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("information page")


@register_setting(icon="site")
class OrganisationSettings(BaseSiteSetting):
    """Who runs the site: shown in every page's footer, and on the contact page.

    A logo is deliberately not an uploaded image here: images go public only as renditions of
    reviewed pages, and a setting is never reviewed. The site's mark is a static file.
    """

    name = models.CharField(max_length=120, default="Sixdegree", verbose_name=_("organisation name"))
    registration = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("registration"),
        help_text=_("For example “Registered charity no. 1234567 (England and Wales)”."),
    )
    contact_email = models.EmailField(blank=True, verbose_name=_("contact e-mail address"))
    postal_address = models.TextField(max_length=400, blank=True, verbose_name=_("postal address"))
    fees = models.CharField(
        max_length=300,
        blank=True,
        verbose_name=_("fees"),
        help_text=_("What part of a gift pays for fees, in one sentence. Shown in the footer."),
    )
    about_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    how_it_works_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("registration"),
                FieldPanel("contact_email"),
                FieldPanel("postal_address"),
                FieldPanel("fees"),
            ],
            heading=_("Organisation"),
        ),
        MultiFieldPanel(
            [
                PageChooserPanel("about_page"),
                PageChooserPanel("how_it_works_page"),
                PageChooserPanel("privacy_page"),
                PageChooserPanel("contact_page"),
            ],
            heading=_("Footer links"),
        ),
    ]

    class Meta:
        verbose_name = _("organisation")

    LINKS = (
        ("about_page", _("About")),
        ("how_it_works_page", _("How it works")),
        ("privacy_page", _("Privacy policy")),
        ("contact_page", _("Contact")),
    )

    def footer_links(self):
        """(label, url) of the chosen pages that are live and public, in a fixed order.

        A page that is a draft, unpublished or behind a view restriction is left out: its
        title must not reach anonymous visitors through the footer.
        """
        ids = [getattr(self, f"{name}_id") for name, _label in self.LINKS]
        chosen = [i for i in ids if i]
        if not chosen:
            # No page chosen (the default): building the query below costs more than a page's
            # template, only for Django to find it empty.
            return []
        pages = {page.pk: page for page in public(Page.objects.filter(pk__in=chosen).live())}
        links = []
        for (_name, label), page_id in zip(self.LINKS, ids, strict=True):
            page = pages.get(page_id)
            if page is not None and page.url:
                links.append((label, page.url))
        return links
