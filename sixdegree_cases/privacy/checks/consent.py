"""Consent: a current (not withdrawn) consent record covers everything a case page shows."""

from django.utils.translation import gettext_lazy as _

from .base import PrivacyCheck

# What every case page shows, and the consent scope that covers it.
REQUIRED_SCOPES = [
    ("scope_story", _("the story")),
    ("scope_map", _("the journey on a map")),
    ("scope_amounts", _("the amounts")),
]


class ConsentCheck(PrivacyCheck):
    """No consent, withdrawn consent, or consent that does not cover the page: blocks."""

    id = "consent"
    label = _("Consent")
    cases_only = True
    updates_too = True

    def check(self, context):
        where = _("Consent")
        if context.withdrawn:
            return [
                self.finding(where, "consent", "", _("Consent was withdrawn: this case can never go live."))
            ]
        consent = context.consent
        if consent is None:
            return [
                self.finding(
                    where,
                    "consent",
                    "",
                    _("No consent is recorded. A case officer records the survivor's consent first."),
                )
            ]
        return [
            self.finding(
                where,
                f"consent.{name}",
                "",
                _("The consent of %(date)s does not cover %(what)s, which every case page shows.")
                % {"date": consent.given_on, "what": what},
            )
            for name, what in REQUIRED_SCOPES
            if not getattr(consent, name)
        ]
