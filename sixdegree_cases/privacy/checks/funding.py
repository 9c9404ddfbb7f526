"""Funding: the items add up to the target, and the case officer's determination is recorded."""

from django.utils.translation import gettext_lazy as _

from ...funding import funding_mismatch
from .base import PrivacyCheck


class FundingCheck(PrivacyCheck):
    """A breakdown that does not add up, or no case officer's determination: blocks."""

    id = "funding"
    label = _("Funding")
    cases_only = True

    def check(self, context):
        page = context.page
        findings = []
        message = funding_mismatch(page.funding_target, [item.amount for item in page.funding_items.all()])
        if page.funding_target is None:
            message = _("The funding target is missing.")
        if message:
            findings.append(self.finding(_("Funding target"), "funding_target", "", message))
        if not (page.case_officer_reference or "").strip():
            findings.append(
                self.finding(
                    _("Case officer reference"),
                    "case_officer_reference",
                    "",
                    _("The case officer's determination of the amount is not recorded."),
                )
            )
        return findings
