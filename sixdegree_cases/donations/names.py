"""Donor names on public pages: short plain text, in the form the donor chose.

A name shown beside a survivor's story is text anyone can put there. Only letters, combining
marks, spaces, hyphens and apostrophes are allowed: no digits (phone numbers), no dots, colons
or slashes (links), no angle brackets, and no control, format or bidi characters (a right-to-
left override turns "Mia‮gnp.exe" into something else on screen). The same rule is applied
again when a name is shown, so a name written to the database some other way never appears.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Long enough for a first name and a family name's initial, too short for a message.
PUBLIC_NAME_MAX_LENGTH = 30
NAME_PUNCTUATION = frozenset(" -'\N{RIGHT SINGLE QUOTATION MARK}")


class NameStyle(models.TextChoices):
    """How a donor who gives a public name is shown."""

    FIRST_NAME = "first_name", _("My first name")
    INITIALS = "initials", _("My initials")


FIRST_NAME = NameStyle.FIRST_NAME
INITIALS = NameStyle.INITIALS
NAME_STYLES = NameStyle.choices


def is_plain_name(value):
    """True if `value` is a non-empty, short name of letters, marks, spaces, - and '."""
    if not value or len(value) > PUBLIC_NAME_MAX_LENGTH or not value.strip():
        return False
    return all(char in NAME_PUNCTUATION or unicodedata.category(char)[0] in "LM" for char in value)


# What `initials()` makes: "M." or "M. C.", letters only (the one place a dot may appear).
INITIALS_RE = re.compile(r"^[^\W\d_]\.(?: [^\W\d_]\.)*$")


def is_public_name(value):
    """True if `value` may be shown: a plain name, or initials as `initials()` writes them."""
    return is_plain_name(value) or bool(
        value and len(value) <= PUBLIC_NAME_MAX_LENGTH and INITIALS_RE.match(value)
    )


def validate_public_name(value):
    """Refuse a display name that is not short plain text, saying what to change."""
    if value and not is_plain_name(value):
        raise ValidationError(
            gettext("Use letters only: no digits, links, symbols or special characters."),
            code="not_plain_text",
        )


def first_name(value):
    """The first word of a name."""
    words = value.split()
    return words[0] if words else ""


def initials(value):
    """ "Maria Clara" → "M. C.": the first letter of each word."""
    letters = [
        next((char for char in word if unicodedata.category(char)[0] == "L"), "") for word in value.split()
    ]
    return " ".join(f"{letter.upper()}." for letter in letters if letter)


def shown_as(value, style):
    """The name as the donor chose to be shown (`style` is FIRST_NAME or INITIALS)."""
    return initials(value) if style == INITIALS else first_name(value)
