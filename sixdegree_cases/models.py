"""Page models of the Sixdegree plugin.

Kept here, as Wagtail expects, and split by concern into `pages`-like sections; the rules
(snapping, funding sums, journey serialisation) live in small modules next to this one.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from rest_framework.fields import ReadOnlyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .api.milestones import MilestonesField
from .blocks import StoryBlock
from .caching.pages import shown_page_number
from .compat import set_cached_parent
from .conf import get_setting
from .fields import StoryField
from .funding import FundingCategory, funding_mismatch, positive_amount_validators, validate_currency
from .journey import milestones_for
from .listing import CaseFilters
from .prefetch import prefetch_cases, with_funding
from .privacy.copying import CopiesPrivateRecordsMixin
from .privacy.panels import CasePrivacyPanel
from .privacy.permissions import VIEW_CONSENT
from .pronouns import Pronouns
from .restrictions.queries import RestrictionsOncePerServeMixin, public, with_restrictions_known
from .review.mixins import ReviewedPublishingMixin
from .review.panels import CaseReviewStatusPanel
from .updates.lifecycle import CaseLifecycle, CaseStatus
from .updates.models import CaseUpdate

__all__ = ["CaseIndexPage", "CaseLifecycle", "CaseStatus", "CaseUpdate", "FundingItem", "SurvivorCasePage"]


class AgeGroup(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    AGE_18_24 = "18_24", _("18–24")
    AGE_25_34 = "25_34", _("25–34")
    AGE_35_44 = "35_44", _("35–44")
    AGE_45_PLUS = "45_plus", _("45 or older")


class CaseIndexPage(RestrictionsOncePerServeMixin, CopiesPrivateRecordsMixin, Page):
    """A listing of survivors' cases: live, public cases only, newest first."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"], verbose_name=_("introduction"))

    search_fields = Page.search_fields + [index.SearchField("intro")]

    content_panels = Page.content_panels + [FieldPanel("intro")]

    api_fields = [APIField("intro")]

    subpage_types = ["sixdegree_cases.SurvivorCasePage"]

    class Meta:
        verbose_name = _("case index")

    def get_cases(self, filters=None):
        """Live, public cases below this index (with their funding totals), newest launch
        first, or filtered and ordered by `filters` (a `listing.CaseFilters`)."""
        cases = with_funding(public(SurvivorCasePage.objects.child_of(self).live()))
        return (filters or CaseFilters()).apply(cases)

    def case_filters(self, request):
        return CaseFilters.from_query(request.GET, public(SurvivorCasePage.objects.child_of(self).live()))

    def serve(self, request, *args, **kwargs):
        filters = self.case_filters(request)
        if filters.invalid:
            # Not an allowed value: the list without that filter, under its one cached URL.
            # The page's own URL, never the request's path (which could be "//other.host/…").
            query = filters.query_without(*filters.invalid)
            url = self.get_url(request)
            return redirect(f"{url}?{query}" if query else url)
        request.case_filters = filters
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = getattr(request, "case_filters", None) or self.case_filters(request)
        context["filters"] = filters
        paginator = Paginator(self.get_cases(filters), get_setting("SIXDEGREE_CASES_PER_PAGE"))
        # get_page(): not a number gives the first page, past the end the last.
        cases = paginator.get_page(request.GET.get("page"))
        context["cases"] = cases
        shown_page_number(request, cases.number)
        return context

    def route(self, request, path_components):
        """A case below this index in one query (Wagtail's asks for the page, then its case),
        with the totals and lifecycle its page shows and whether it may be restricted."""
        if len(path_components) == 1:
            case = (
                with_restrictions_known(
                    SurvivorCasePage.objects.child_of(self).filter(slug=path_components[0])
                )
                .select_related("funding", "lifecycle")
                .first()
            )
            if case is not None:
                set_cached_parent(case, self)
                return case.route(request, [])
        return super().route(request, path_components)


class SurvivorCasePageForm(WagtailAdminPageForm):
    """Checks that the funding items in the inline panel add up to the target."""

    def clean(self):
        cleaned_data = super().clean()
        # The model's own clean() runs before the inline items reach the instance, so it would
        # check the old items: the form checks the submitted ones instead.
        self.instance.funding_checked_by_form = True
        formset = self.formsets.get("funding_items")
        if formset is None or not formset.is_valid():
            return cleaned_data
        amounts = [
            form.cleaned_data.get("amount")
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        message = funding_mismatch(cleaned_data.get("funding_target"), amounts)
        if message:
            self.add_error("funding_target", message)
        return cleaned_data


class SurvivorCasePage(RestrictionsOncePerServeMixin, ReviewedPublishingMixin, Page):
    """A survivor's story told as a journey on a map, with the support the survivor needs.

    Only a pseudonym is held here. Real names, villages, employers and other identifying
    details must never be entered in any field of this page.
    """

    pseudonym = models.CharField(
        max_length=60,
        verbose_name=_("pseudonym"),
        help_text=_("A pseudonym, never the survivor's real name. Shown as a pseudonym on the site."),
    )
    pronouns = models.CharField(
        max_length=4,
        choices=Pronouns.choices,
        default=Pronouns.THEY,
        verbose_name=_("pronouns"),
        help_text=_(
            "How the site refers to the survivor on the case page and in receipts, as the survivor "
            "chose. If unsure, keep “they / them”."
        ),
    )
    age_group = models.CharField(
        max_length=10, blank=True, choices=AgeGroup.choices, verbose_name=_("age group")
    )
    origin = models.CharField(
        max_length=80,
        verbose_name=_("origin"),
        help_text=_("Country or region only, never a town or village."),
    )
    summary = models.TextField(max_length=500, verbose_name=_("summary"))
    story = StoryField(StoryBlock(), verbose_name=_("story"))
    dream = models.TextField(
        max_length=1000, verbose_name=_("dream"), help_text=_("What the survivor hopes to do next.")
    )
    funding_target = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=positive_amount_validators(),
        verbose_name=_("funding target"),
        help_text=_("Set by the case officer with the survivor's consent."),
    )
    currency = models.CharField(
        max_length=3, default="USD", validators=[validate_currency], verbose_name=_("currency")
    )
    # Internal: who determined the amount. Never in a template, the API or the search index.
    case_officer_reference = models.CharField(
        max_length=120,
        verbose_name=_("case officer reference"),
        help_text=_("Who determined the amount (internal reference; never public)."),
    )
    launch_date = models.DateField(null=True, blank=True, verbose_name=_("launch date"))

    search_fields = Page.search_fields + [
        index.SearchField("pseudonym"),
        index.SearchField("summary"),
        index.SearchField("origin"),
        index.SearchField("dream"),
        index.SearchField("story"),
    ]

    content_panels = Page.content_panels + [
        MultiFieldPanel([CaseReviewStatusPanel()], heading=_("Review and consent")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pseudonym"), FieldPanel("pronouns")]),
                FieldRowPanel([FieldPanel("age_group"), FieldPanel("origin")]),
            ],
            heading=_("Survivor"),
        ),
        FieldPanel("summary"),
        FieldPanel("story"),
        FieldPanel("dream"),
    ]
    funding_panels = [
        FieldRowPanel([FieldPanel("funding_target"), FieldPanel("currency")]),
        InlinePanel("funding_items", label=_("Funding items"), min_num=1),
        FieldPanel("case_officer_reference"),
        FieldPanel("launch_date"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Story")),
            ObjectList(funding_panels, heading=_("Funding")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            # Consent and sensitive terms are kept apart from the page (sixdegree_cases.privacy):
            # case officers and privacy reviewers see a summary and a link to them here.
            ObjectList([CasePrivacyPanel()], heading=_("Privacy"), permission=VIEW_CONSENT),
        ]
    )
    base_form_class = SurvivorCasePageForm

    # The explicit allow-list of what headless consumers may read.
    api_fields = [
        APIField("pseudonym"),
        APIField("summary"),
        APIField("origin"),
        APIField("dream"),
        APIField("age_group"),
        APIField("launch_date"),
        # Stage icons and illustrations as absolute URLs (sixdegree_cases.api.milestones).
        APIField("milestones", serializer=MilestonesField()),
        APIField("funding_target"),
        APIField("currency"),
        APIField("funding_items", serializer=ReadOnlyField(source="funding_breakdown")),
        # Funding progress: aggregates of confirmed donations only (see donations.progress).
        APIField("raised", serializer=ReadOnlyField(source="funding_progress.raised")),
        APIField("target", serializer=ReadOnlyField(source="funding_progress.target")),
        APIField("percent", serializer=ReadOnlyField(source="funding_progress.percent")),
        APIField("donors", serializer=ReadOnlyField(source="funding_progress.donors")),
        APIField("status", serializer=ReadOnlyField(source="funding_progress.status")),
        APIField("funded_in_days", serializer=ReadOnlyField(source="funding_progress.funded_in_days")),
        # What happened next: the case officer's lifecycle status and the month of each step.
        APIField("lifecycle", serializer=ReadOnlyField(source="public_lifecycle")),
        APIField("accepts_gifts", serializer=ReadOnlyField()),
    ]

    parent_page_types = ["sixdegree_cases.CaseIndexPage"]
    subpage_types = ["sixdegree_cases.CaseUpdate"]

    class Meta:
        verbose_name = _("survivor case")

    @property
    def milestones(self):
        """The story as public milestone dicts, in order (see `journey.milestones_for`)."""
        # Illustrations and renditions in a fixed number of queries (none more when the API
        # prefetched them; none at all when the case page's story comes from the cache).
        prefetch_cases([self], funding=False)
        return milestones_for(self)

    @property
    def map_milestones(self):
        """The story's milestones, then the stops live updates added, as the story map shows them."""
        from .updates.public import map_stops

        milestones = self.milestones
        return milestones + map_stops(self, start=len(self.story) + 1)

    @property
    def public_lifecycle(self):
        """`{"status", "status_label", "steps": [{"status", "label", "date"}]}`, dates as months."""
        from .updates.lifecycle import lifecycle_of

        lifecycle = lifecycle_of(self)
        return {
            "status": lifecycle.status,
            "status_label": str(CaseStatus(lifecycle.status).label),
            "steps": [
                {
                    "status": step["status"],
                    "label": step["label"],
                    "month": step["date"].strftime("%Y-%m"),
                    "month_label": date_format(step["date"], "YEAR_MONTH_FORMAT"),
                }
                for step in lifecycle.steps()
            ],
        }

    @property
    def funding_progress(self):
        """Public funding figures (raised, target, percent, donors, status, funded_in_days)."""
        from .donations.progress import progress_for

        return progress_for(self).as_api()

    @property
    def accepts_gifts(self):
        """Whether the case takes gifts now: fundraising and not fully funded (the donate
        form's own rule), so a headless front-end shows a Donate button exactly when the site
        does."""
        from .donations.closing import closed_message

        return not closed_message(self)

    @property
    def funding_breakdown(self):
        """Public funding items: category, its label, description and amount."""
        return [
            {
                "category": item.category,
                "category_label": str(item.get_category_display()),
                "description": item.description,
                "amount": f"{item.amount:.2f}",
            }
            for item in self.funding_items.all()
        ]

    def clean(self):
        super().clean()
        from .donations.currency_lock import currency_change_refusal

        refusal = currency_change_refusal(self)
        if refusal:
            raise ValidationError({"currency": refusal})
        if getattr(self, "funding_checked_by_form", False):
            return
        message = funding_mismatch(self.funding_target, [item.amount for item in self.funding_items.all()])
        if message:
            raise ValidationError({"funding_target": message})

    def refuse_to_go_live(self):
        """Called by the publishing guard on every path that would store this case live, cleaned
        or not: a case with donations keeps its currency (see donations/currency_lock.py)."""
        from .donations.currency_lock import currency_change_refusal
        from .review.guard import UnreviewedRevisionError

        refusal = currency_change_refusal(self)
        if refusal:
            raise UnreviewedRevisionError(refusal)


class FundingItem(Orderable):
    """One cost in a case's budget, such as a sewing course or counselling sessions."""

    page = ParentalKey(SurvivorCasePage, on_delete=models.CASCADE, related_name="funding_items")
    category = models.CharField(max_length=32, choices=FundingCategory.choices, verbose_name=_("category"))
    description = models.CharField(max_length=200, verbose_name=_("description"))
    amount = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=positive_amount_validators(),
        verbose_name=_("amount"),
    )

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("amount")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("funding item")
