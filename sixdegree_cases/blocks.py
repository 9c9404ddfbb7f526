"""StreamField blocks for a survivor's story: an ordered list of milestones on a map."""

import json
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorList
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError, StreamValue
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock
from wagtailgeowidget import app_settings as geowidget_settings
from wagtailgeowidget.blocks import LeafletBlock

from .geo.gazetteer import PRECISION_COUNTRY, PRECISION_REGION, PRECISION_TOWN
from .geo.labels import needs_automatic_label
from .geo.points import InvalidLocation, parse_point
from .geo.snapping import snap
from .geo.widgets import PrivateLeafletField
from .privacy.dates import find_exact_dates


class Stage(models.TextChoices):
    """The stages of a journey; each has its own marker icon on the story map."""

    RECRUITMENT = "recruitment", _("Recruitment")
    JOURNEY = "journey", _("Journey")
    EXPLOITATION = "exploitation", _("Exploitation")
    ESCAPE = "escape", _("Escape")
    RECOVERY = "recovery", _("Recovery")
    DREAM = "dream", _("Dream")

    @classmethod
    def label_of(cls, value):
        """The label of a stored stage; an unknown value as it is (older content)."""
        return cls(value).label if value in cls.values else value


class Precision(models.TextChoices):
    """How precisely a milestone's place is shown (geo.gazetteer's PRECISION_* values)."""

    TOWN = PRECISION_TOWN, _("Nearest town or city (large places only)")
    REGION = PRECISION_REGION, _("Region or province")
    COUNTRY = PRECISION_COUNTRY, _("Country")


PRECISION_CHOICES = Precision.choices

NARRATIVE_FEATURES = ["bold", "italic", "ol", "ul"]
MIN_MILESTONES = 2


def is_unpicked(point):
    """True when `point` is where the map picker opens: the editor never picked a location."""
    default = getattr(settings, "GEO_WIDGET_DEFAULT_LOCATION", geowidget_settings.GEO_WIDGET_DEFAULT_LOCATION)
    try:
        opened = parse_point(default)
    except InvalidLocation:
        return False
    return (round(point.lat, 6), round(point.lng, 6)) == (round(opened.lat, 6), round(opened.lng, 6))


class LocationBlock(LeafletBlock):
    """A point picked on a map served by this site; stored as ``{"lat": float, "lng": float}``.

    wagtailgeowidget stores a dict or an EWKT string and raises TypeError on anything else;
    this block reads both, and turns empty or garbage values into a validation message.
    """

    @cached_property
    def field(self):
        from django import forms

        widget = PrivateLeafletField(srid=4326, id_prefix="", hide_latlng=False)
        return forms.CharField(widget=widget, required=self.meta.required)

    def to_python(self, value):
        try:
            return parse_point(value).as_dict()
        except InvalidLocation:
            return None

    def get_prep_value(self, value):
        return self.to_python(value)

    def value_for_form(self, value):
        try:
            return parse_point(value).as_ewkt()
        except InvalidLocation:
            return None

    def value_from_form(self, value):
        return value

    def clean(self, value):
        if value in (None, "", {}) and not self.meta.required:
            return None
        try:
            return parse_point(value).as_dict()
        except InvalidLocation as error:
            raise ValidationError(str(error)) from error

    def get_api_representation(self, value, context=None):
        return self.to_python(value)

    class Meta:
        icon = "site"
        required = True


class MilestoneBlock(blocks.StructBlock):
    """One step of the survivor's journey: where (coarsely), roughly when, and what happened.

    The point chosen on the map is never stored: on save it is replaced by the nearest large
    town, or the centre of the region or country, and that place's name fills the place label
    when it is empty.
    """

    stage = blocks.ChoiceBlock(choices=Stage.choices, default=Stage.RECRUITMENT, label=_("Stage"))
    title = blocks.CharBlock(max_length=120, label=_("Title"))
    period = blocks.CharBlock(
        max_length=60,
        label=_("Period"),
        help_text=_('Approximate only: "2009", "six years", "early 2015". Never an exact date.'),
    )
    precision = blocks.ChoiceBlock(
        choices=PRECISION_CHOICES,
        default=PRECISION_TOWN,
        label=_("Show the location as"),
        help_text=_("The point you pick is never stored: it is replaced by this coarser place."),
    )
    place_label = blocks.CharBlock(
        max_length=80,
        required=False,
        label=_("Place label"),
        help_text=_("Left empty, the name of the snapped place is used."),
    )
    location = LocationBlock(label=_("Location"))
    narrative = blocks.RichTextBlock(features=NARRATIVE_FEATURES, label=_("Narrative"))
    illustration = ImageBlock(
        required=False,
        label=_("Illustration"),
        help_text=_("A drawing or a place, never a face."),
    )

    def _snapped(self, value):
        """Replace the location by its coarse place, and label it.

        An empty label gets the place's name. So does a label the site filled in for another
        place (the milestone moved, or its precision changed): a stale automatic label would
        name a place the milestone is not at. A label written by a person is kept as it is;
        the locations check blocks it unless it names the place, its region or country.
        """
        place = snap(value["location"], value.get("precision") or PRECISION_TOWN)
        value["location"] = {"lat": place.lat, "lng": place.lng}
        if needs_automatic_label(value.get("place_label"), place):
            value["place_label"] = place.label
        return value

    def clean(self, value):
        errors = {}
        try:
            value = super().clean(value)
        except StructBlockValidationError as error:
            errors.update(error.block_errors)
        period = value.get("period") or ""
        if find_exact_dates(period) and "period" not in errors:
            errors["period"] = ErrorList(
                [ValidationError(_("Use an approximate period, not an exact date."))]
            )
        if "location" not in errors:
            try:
                if is_unpicked(parse_point(value.get("location"))):
                    raise InvalidLocation(
                        _(
                            "This location was never picked: the marker is still where the map "
                            "opened. Drag it to where this happened, or type a point."
                        )
                    )
                value = self._snapped(value)
            except InvalidLocation as error:
                errors["location"] = ErrorList([ValidationError(str(error))])
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_prep_value(self, value):
        # Every path that stores a story (admin form, code, revisions) snaps here, so an exact
        # point can never reach the database even when the form's clean() was bypassed.
        prepared = super().get_prep_value(value)
        try:
            return self._snapped(prepared)
        except InvalidLocation:
            prepared["location"] = None
            return prepared

    class Meta:
        icon = "site"
        label = _("Milestone")
        template = "sixdegree_cases/blocks/milestone_block.html"
        form_classname = "milestone-block struct-block"
        description = _("A step of the journey, shown as a numbered marker on the story map.")
        preview_value = {
            "stage": Stage.RECRUITMENT,
            "title": "A promise of work",
            "period": "2009",
            "precision": PRECISION_REGION,
            "place_label": "West Kalimantan, Indonesia",
            "location": {"lat": -0.0029, "lng": 109.7988},
            "narrative": "<p>At 16 she was promised a job in a restaurant in Java.</p>",
        }


ILLUSTRATION_RENDITION = "fill-800x500|format-webp"


def illustration_rendition(image):
    """A public rendition of an illustration (never the original file), or None."""
    if not image:
        return None
    rendition = image.get_rendition(ILLUSTRATION_RENDITION)
    return {
        "url": rendition.url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": getattr(image, "contextual_alt_text", "") or "",
    }


class StoryBlock(blocks.StreamBlock):
    """The survivor's journey, in order: at least two milestones, each with a location."""

    milestone = MilestoneBlock()

    def to_python(self, value):
        # Text that is not JSON would be kept by StreamField as `raw_text` and written back to
        # the database verbatim: a story is JSON or nothing.
        if isinstance(value, str) and value:
            try:
                value = json.loads(value)
            except ValueError:
                return self.empty_value()
        return super().to_python(value)

    def get_prep_value(self, value):
        # Wagtail writes children it never read (a story set as raw JSON by an import or a
        # script) back verbatim, extra keys such as an address included. Every child goes
        # through its block here, so what is stored has the blocks' own keys and snapped points.
        if not value:
            return []
        if not isinstance(value, StreamValue):
            value = self.normalize(value)
        prepared = []
        for child in value:
            if not child.id:
                # Kept on the child, as Wagtail does, so the page and its revision agree.
                child.id = str(uuid.uuid4())
            prepared.append(
                {"type": child.block_type, "value": child.block.get_prep_value(child.value), "id": child.id}
            )
        return prepared

    def clean(self, value):
        if sum(1 for child in value if child.block_type == "milestone") < MIN_MILESTONES:
            raise StreamBlockValidationError(
                non_block_errors=ErrorList(
                    [ValidationError(_("Tell the story in at least two milestones."), code="min_num")]
                )
            )
        return super().clean(value)

    class Meta:
        min_num = MIN_MILESTONES
