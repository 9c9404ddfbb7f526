"""`CaseUpdate`: what happened next, told to the donors who made it possible.

An update lives only under a survivor case and goes live only through the same privacy review
as the case (`ReviewedPublishingMixin`, whatever `SIXDEGREE_REVIEWED_PAGE_TYPES` says): the
checks read it with the parent case's sensitive terms and consent, the four-eyes rule holds,
and withdrawing the case's consent erases its updates with it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.fields import ReadOnlyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.search import index

from ..blocks import NARRATIVE_FEATURES, MilestoneBlock
from ..review.mixins import ReviewedPublishingMixin


class PeriodPart(models.TextChoices):
    """When in the year: a month or a part of the year, never a day."""

    EARLY = "early", _("Early")
    MID = "mid", _("Mid")
    LATE = "late", _("Late")
    JANUARY = "01", _("January")
    FEBRUARY = "02", _("February")
    MARCH = "03", _("March")
    APRIL = "04", _("April")
    MAY = "05", _("May")
    JUNE = "06", _("June")
    JULY = "07", _("July")
    AUGUST = "08", _("August")
    SEPTEMBER = "09", _("September")
    OCTOBER = "10", _("October")
    NOVEMBER = "11", _("November")
    DECEMBER = "12", _("December")


# Where each part falls in its year, to order updates newest first ("early" before March…).
PART_MONTH = {PeriodPart.EARLY: 2, PeriodPart.MID: 6, PeriodPart.LATE: 11}


class CaseUpdate(ReviewedPublishingMixin, Page):
    """What happened after the funding: a short, reviewed update on a survivor's case.

    Written for the case's donors. Never a name, a workplace, a school or a face: the parent case's
    sensitive terms and every privacy check apply, and a reviewer approves it before it goes
    live. The period is a month or part of a year, never a date.
    """

    period_part = models.CharField(
        _("when in the year"), max_length=5, choices=PeriodPart.choices, default=PeriodPart.EARLY
    )
    period_year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    narrative = RichTextField(
        features=NARRATIVE_FEATURES,
        verbose_name=_("narrative"),
        help_text=_("A few sentences for the donors. No names, workplaces, schools or exact dates."),
    )
    illustration = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("illustration"),
        help_text=_("A drawing or a place, never a face."),
    )
    illustration_alt = models.CharField(
        _("illustration alt text"),
        max_length=200,
        blank=True,
        help_text=_("What the illustration shows, for people who cannot see it."),
    )
    milestone = StreamField(
        [("milestone", MilestoneBlock())],
        blank=True,
        max_num=1,
        verbose_name=_("new milestone on the story map"),
        help_text=_("Optional: a later stop of the journey, e.g. a sewing corner, at a coarse place."),
    )

    search_fields = Page.search_fields + [index.SearchField("narrative")]

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("period_part"), FieldPanel("period_year")])],
            heading=_("Approximate period"),
        ),
        FieldPanel("narrative"),
        MultiFieldPanel(
            [FieldPanel("illustration"), FieldPanel("illustration_alt")], heading=_("Illustration")
        ),
        FieldPanel("milestone"),
    ]
    promote_panels = [FieldPanel("slug")]

    # The explicit allow-list of what headless consumers may read (see `updates.public`).
    api_fields = [
        APIField("case", serializer=ReadOnlyField(source="public_case_id")),
        APIField("period", serializer=ReadOnlyField(source="period_label")),
        APIField("narrative", serializer=ReadOnlyField(source="public_narrative")),
        APIField("illustration", serializer=ReadOnlyField(source="public_illustration")),
        APIField("map_milestone", serializer=ReadOnlyField(source="public_milestone")),
    ]

    parent_page_types = ["sixdegree_cases.SurvivorCasePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("case update")
        verbose_name_plural = _("case updates")

    @property
    def period_label(self):
        """ "March 2026", "Early 2026": the approximate period as shown."""
        return f"{PeriodPart(self.period_part).label} {self.period_year}"

    @property
    def period_sort_key(self):
        part = PeriodPart(self.period_part)
        month = PART_MONTH.get(part) or int(part.value)
        return (self.period_year or 0, month)

    @property
    def public_case_id(self):
        parent = self.get_parent()
        return parent.pk if parent else None

    @property
    def public_illustration(self):
        from .public import illustration_of

        return illustration_of(self)

    @property
    def public_narrative(self):
        """The narrative as public HTML (links to pages expanded, as on the site)."""
        return str(RichText(self.narrative))

    @property
    def public_dict(self):
        from .public import update_dict

        return update_dict(self)

    @property
    def public_milestone(self):
        from .public import milestone_of

        return milestone_of(self)

    def clean(self):
        super().clean()
        if self.illustration_id and not (self.illustration_alt or "").strip():
            raise ValidationError(
                {"illustration_alt": _("Describe the illustration for people who cannot see it.")}
            )

    def refuse_to_go_live(self):
        """Called by the publishing guard on every path that would store this update live: an
        update of a case that is not live would publish, in its URL and in the API, the case's
        unreviewed slug and id."""
        from ..review.guard import UnreviewedRevisionError

        parent_path = self.path[: -self.steplen] if self.path else None
        parent = Page.objects.filter(path=parent_path).only("live").first() if parent_path else None
        if parent is None or not parent.live:
            raise UnreviewedRevisionError(
                _("Not published: publish the case first. An update goes live only under a live case.")
            )

    def serve(self, request, *args, **kwargs):
        # Never served while its case is offline (the case's unpublishing takes it down too;
        # this holds even for a page restored around that).
        if not getattr(request, "is_preview", False):
            parent = self.get_parent()
            if parent is None or not parent.live:
                raise Http404
        return super().serve(request, *args, **kwargs)

    def get_template(self, request, *args, **kwargs):
        return "sixdegree_cases/case_update.html"
