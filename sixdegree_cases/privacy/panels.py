"""The "Privacy" tab of a case's editor: consent and sensitive terms at a glance.

Shown to case officers and privacy reviewers only (the tab's `permission`); the records
themselves are edited on the case's Privacy page, never as fields of the page.
"""

from django.urls import reverse
from wagtail.admin.panels import Panel

from .permissions import VIEW_CONSENT, VIEW_TERMS


class CasePrivacyPanel(Panel):
    """A read-only summary of the case's consent and sensitive terms, with a link to manage them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "sixdegree_privacy/panels/case_privacy_panel.html"

        def get_context_data(self, parent_context=None):
            from .models import CaseWithdrawal, current_consent, sensitive_terms

            context = super().get_context_data(parent_context)
            case = self.instance
            user = self.request.user
            saved = bool(case and case.pk)
            context.update(
                saved=saved,
                consent=current_consent(case) if saved and user.has_perm(VIEW_CONSENT) else None,
                can_see_consent=user.has_perm(VIEW_CONSENT),
                term_count=sensitive_terms(case).count() if saved and user.has_perm(VIEW_TERMS) else None,
                withdrawal=CaseWithdrawal.objects.filter(case_id=case.pk).first() if saved else None,
                overview_url=reverse("sixdegree_privacy_case:overview", args=[case.pk]) if saved else None,
            )
            return context
