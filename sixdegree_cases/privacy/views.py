"""Admin views of a case's private side: the privacy overview and the withdrawal of consent.

Views are thin: the rules live in `models`, `runner` and `withdrawal`.
"""

import logging

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import get_case_model
from .models import CaseWithdrawal, ConsentRecord, SensitiveTerm
from .permissions import ADD_CONSENT, ADD_TERMS, VIEW_CONSENT, VIEW_TERMS, WITHDRAW, can_see_privacy
from .runner import check_page
from .withdrawal import WithdrawalError, withdraw_consent
from .withdrawal.family import story_family, story_pages_below

logger = logging.getLogger(__name__)


class CaseMixin(WagtailAdminTemplateMixin):
    """Loads the case named in the URL; only case officers and privacy reviewers get in."""

    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        SurvivorCasePage = get_case_model()

        if not can_see_privacy(request.user):
            raise PermissionDenied
        self.case = get_object_or_404(SurvivorCasePage, pk=kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.case.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_explore", args=[self.case.get_parent().pk]), "label": _("Cases")},
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.case.pk]),
                "label": self.get_page_subtitle(),
            },
            {"url": "", "label": self.get_header_title()},
        ]


class CasePrivacyView(CaseMixin, TemplateView):
    """The case's sensitive terms, consent ledger, latest check report and withdrawal."""

    page_title = _("Privacy")
    template_name = "sixdegree_privacy/case_privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        revision = self.case.get_latest_revision()
        context.update(
            case=self.case,
            terms=SensitiveTerm.objects.filter(case=self.case) if user.has_perm(VIEW_TERMS) else None,
            consents=ConsentRecord.objects.filter(case=self.case) if user.has_perm(VIEW_CONSENT) else None,
            withdrawal=CaseWithdrawal.objects.filter(case=self.case).first(),
            report=check_page(revision or self.case),
            revision=revision,
            add_term_url=reverse("sixdegree_privacy_terms:add") + f"?case={self.case.pk}"
            if user.has_perm(ADD_TERMS)
            else None,
            add_consent_url=reverse("sixdegree_privacy_consent:add") + f"?case={self.case.pk}"
            if user.has_perm(ADD_CONSENT)
            else None,
            withdraw_url=reverse("sixdegree_privacy_case:withdraw", args=[self.case.pk])
            if user.has_perm(WITHDRAW)
            else None,
        )
        return context


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Internal reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the withdrawal for the case officers. Never the survivor's name."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the story is erased for good and cannot be restored."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )


class WithdrawConsentView(CaseMixin, FormView):
    """Confirm, then withdraw consent: unpublish, erase the story everywhere, keep the accounts."""

    page_title = _("Withdraw consent")
    template_name = "sixdegree_privacy/confirm_withdraw.html"
    form_class = WithdrawalForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(WITHDRAW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        withdrawal = CaseWithdrawal.objects.filter(case=self.case).first()
        # Named before the action, so that erasing another page never comes as a surprise.
        family = [] if withdrawal else story_family(self.case)
        others = family[1:]
        context.update(
            case=self.case,
            withdrawal=withdrawal,
            others=others,
            updates=story_pages_below(family) if family else [],
        )
        return context

    def form_valid(self, form):
        try:
            withdrawal = withdraw_consent(self.case, self.request.user, reason=form.cleaned_data["reason"])
        except WithdrawalError as error:
            messages.error(self.request, " ".join(error.messages))
        except Exception:
            logger.exception("Consent withdrawal failed for case %s", self.case.pk)
            messages.error(
                self.request,
                _(
                    "The story could not be erased: nothing was erased, but the case and its "
                    "copies are unpublished. Try again; if it fails again, tell your administrator."
                ),
            )
        else:
            messages.success(
                self.request,
                _(
                    "Consent withdrawn. The case and every copy of it are unpublished and the story "
                    "is erased."
                ),
            )
            withdrawal.refresh_from_db()
            if withdrawal.pending_files:
                messages.warning(
                    self.request,
                    _(
                        "The media storage could not delete %(count)s image files yet. They are no "
                        "longer shown anywhere; run the privacy_erase_files command to delete them."
                    )
                    % {"count": len(withdrawal.pending_files)},
                )
        return redirect("sixdegree_privacy_case:overview", page_id=self.case.pk)
