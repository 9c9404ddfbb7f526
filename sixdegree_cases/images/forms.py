"""The admin's image form base (WAGTAILIMAGES_IMAGE_FORM_BASE), used by every upload view."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

from .fields import HeaderCheckedImageField


class CaseImageForm(BaseImageForm):
    """Wagtail's image form with an image field that refuses decompression bombs unopened."""

    file = HeaderCheckedImageField(label=capfirst(_("file")))
