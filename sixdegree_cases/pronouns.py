"""How the site refers to a survivor: she, he or they, as the case officer recorded it.

Whole phrases are kept per pronoun, never a pronoun slotted into a sentence: translators need
the full sentence (languages inflect more than the pronoun), and no sentence assumes a gender.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Pronouns(models.TextChoices):
    SHE = "she", _("she / her")
    HE = "he", _("he / him")
    # The default: it assumes nothing.
    THEY = "they", _("they / them")


# Each phrase in every form; templates and e-mails pick one with `phrase(case, key)`.
PHRASES = {
    "support": {
        Pronouns.SHE: pgettext_lazy("donate heading", "Support her"),
        Pronouns.HE: pgettext_lazy("donate heading", "Support him"),
        Pronouns.THEY: pgettext_lazy("donate heading", "Support them"),
    },
    "target_reached": {
        Pronouns.SHE: _(
            "Her target has been reached. Thank you to everyone who gave: the donation form is closed."
        ),
        Pronouns.HE: _(
            "His target has been reached. Thank you to everyone who gave: the donation form is closed."
        ),
        Pronouns.THEY: _(
            "Their target has been reached. Thank you to everyone who gave: the donation form is closed."
        ),
    },
    "back_to_story": {
        Pronouns.SHE: _("Back to her story"),
        Pronouns.HE: _("Back to his story"),
        Pronouns.THEY: _("Back to their story"),
    },
    "listed_as": {
        Pronouns.SHE: _("You chose to be listed among her supporters as “%(name)s”."),
        Pronouns.HE: _("You chose to be listed among his supporters as “%(name)s”."),
        Pronouns.THEY: _("You chose to be listed among their supporters as “%(name)s”."),
    },
}


def pronouns_of(case):
    """The case's pronouns; "they" for anything unknown (an old revision, a bad value)."""
    value = getattr(case, "pronouns", None)
    return value if value in Pronouns.values else Pronouns.THEY


def phrase(case, key):
    """The phrase `key` in the form that fits the case's survivor."""
    return PHRASES[key][Pronouns(pronouns_of(case))]
