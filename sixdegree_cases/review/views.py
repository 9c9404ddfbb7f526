"""Admin views: the review of one case (report, approvals, decision) and the cases by review state."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, Revision, WorkflowState, get_page_models

from ..privacy.report import Severity
from .constants import ReviewState
from .forms import ApprovalForm, RequestChangesForm
from .guard import is_reviewed_model
from .image_authors import image_edits_since_last_approval
from .models import PrivacyReviewTaskState, ReviewApproval
from .services import ApprovalRefused, approval_outcome, changes_since_last_approval, last_approval


def can_view_review_queue(user):
    return user.is_active and (user.is_superuser or user.has_perm("sixdegree_review.view_reviewapproval"))


def reviewed_page_models():
    return [model for model in get_page_models() if is_reviewed_model(model)]


def task_states_of(page):
    return PrivacyReviewTaskState.objects.filter(
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        workflow_state__object_id=str(page.pk),
    ).order_by("-started_at", "-pk")


# Both forms are on one screen: prefixes keep their field ids apart.
APPROVE_PREFIX = "approve"
CHANGES_PREFIX = "changes"


# --- One case ---------------------------------------------------------------------------------


class ReviewView(WagtailAdminTemplateMixin, TemplateView):
    """The automated report on the version in review, the approvals so far, and the decision.

    Reviewers approve (with the checklist) or request changes here, without JavaScript;
    editors of the case read the report to fix what it found.
    """

    template_name = "sixdegree_review/review.html"
    header_icon = "clipboard-list"

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not is_reviewed_model(type(self.page)):
            raise PermissionDenied
        task_states = task_states_of(self.page)
        self.task_state = (
            task_states.filter(status=PrivacyReviewTaskState.STATUS_IN_PROGRESS).first()
            or task_states.first()
        )
        self.actions = []
        if (
            self.task_state is not None
            and self.task_state.status == PrivacyReviewTaskState.STATUS_IN_PROGRESS
        ):
            self.actions = [
                name
                for name, _label, _modal in self.task_state.task.specific.get_actions(self.page, request.user)
            ]
        if not (self.actions or self.page.permissions_for_user(request.user).can_edit()):
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Privacy review")

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("sixdegree_review:index"), "label": _("Privacy review")},
            {"url": "", "label": self.page.get_admin_display_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        findings = self.task_state.findings if self.task_state else []
        changes = changes_since_last_approval(self.task_state.revision) if self.task_state else []
        context.update(
            {
                "page": self.page,
                "task_state": self.task_state,
                "findings": findings,
                "blocking_findings": [
                    finding for finding in findings if finding.get("severity") == Severity.BLOCK
                ],
                "checks_run": self.task_state.report.get("checks_run", []) if self.task_state else [],
                "can_approve": "approve" in self.actions,
                "can_request_changes": "reject" in self.actions,
                "approval_form": kwargs.get("approval_form")
                or ApprovalForm(task_state=self.task_state, prefix=APPROVE_PREFIX),
                "changes_form": kwargs.get("changes_form")
                or RequestChangesForm(task_state=self.task_state, prefix=CHANGES_PREFIX),
                "changes": changes,
                "image_edits": (
                    image_edits_since_last_approval(self.task_state.revision) if self.task_state else []
                ),
                "compare_url": self.compare_url(changes),
                "ever_approved": self.task_state is not None and last_approval(self.page.pk) is not None,
                "approvals": ReviewApproval.objects.filter(page_id=self.page.pk).select_related(
                    "approved_by"
                )[:10],
                "edit_url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
                "preview_url": (
                    reverse(
                        "wagtailadmin_pages:workflow_preview", args=[self.page.pk, self.task_state.task_id]
                    )
                    if self.task_state and self.actions
                    else None
                ),
            }
        )
        return context

    def compare_url(self, changes):
        """Wagtail's comparison of the last approved version with the version in review."""
        if self.task_state is None:
            return None
        approval = last_approval(self.page.pk)
        earlier = approval.revision_id if approval else None
        if earlier is None and changes:
            earlier = changes[0].pk
        if earlier is None or earlier == self.task_state.revision_id:
            return None
        return reverse(
            "wagtailadmin_pages:revisions_compare",
            kwargs={
                "pk": self.page.pk,
                "revision_id_a": str(earlier),
                "revision_id_b": str(self.task_state.revision_id),
            },
        )

    def post(self, request, page_id):
        action = request.POST.get("action")
        if action not in self.actions:
            raise PermissionDenied
        form_class, prefix = (
            (ApprovalForm, APPROVE_PREFIX) if action == "approve" else (RequestChangesForm, CHANGES_PREFIX)
        )
        form = form_class(request.POST, task_state=self.task_state, prefix=prefix)
        if not form.is_valid():
            messages.error(request, _("The decision was not saved: see the messages below."))
            context_key = "approval_form" if action == "approve" else "changes_form"
            return self.render_to_response(self.get_context_data(**{context_key: form}))
        try:
            self.task_state.task.specific.on_action(
                self.task_state, request.user, action, **form.cleaned_data
            )
        except ApprovalRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("sixdegree_review:review", self.page.pk)
        if action == "approve":
            messages.success(request, approval_outcome(self.task_state))
        else:
            messages.success(request, _("Changes requested: the version is back with its editors."))
        return redirect("sixdegree_review:index")


# --- Cases by review state ---------------------------------------------------------------------


def with_review_state(queryset):
    """Annotate pages with `review_state`, `blocking_count` (latest report) and `submitted_at`."""
    page_type = ContentType.objects.get_for_model(Page)
    page_id = Cast(OuterRef("pk"), CharField())
    active = WorkflowState.objects.active().filter(base_content_type=page_type, object_id=page_id)
    latest_task_state = PrivacyReviewTaskState.objects.filter(
        workflow_state__base_content_type=page_type, workflow_state__object_id=page_id
    ).order_by("-started_at", "-pk")
    scheduled = Revision.objects.filter(
        base_content_type=page_type, object_id=page_id, approved_go_live_at__isnull=False
    )
    return queryset.annotate(
        workflow_status=Subquery(active.values("status")[:1]),
        blocking_count=Subquery(latest_task_state.values("blocking_count")[:1]),
        submitted_at=Subquery(active.values("created_at")[:1]),
        review_state=Case(
            When(workflow_status=WorkflowState.STATUS_IN_PROGRESS, then=Value(ReviewState.IN_REVIEW)),
            When(
                workflow_status=WorkflowState.STATUS_NEEDS_CHANGES, then=Value(ReviewState.CHANGES_REQUESTED)
            ),
            When(Q(live=True, has_unpublished_changes=True), then=Value(ReviewState.LIVE_WITH_DRAFT)),
            When(live=True, then=Value(ReviewState.LIVE)),
            When(Exists(scheduled), then=Value(ReviewState.SCHEDULED)),
            default=Value(ReviewState.DRAFT),
            output_field=CharField(),
        ),
    )


class ReviewQueueFilterSet(WagtailFilterSet):
    review_state = django_filters.ChoiceFilter(
        label=gettext_lazy("Review state"), choices=ReviewState.choices, empty_label=gettext_lazy("Any")
    )

    class Meta:
        model = Page
        fields = []


class ReviewQueueView(ReportView):
    """Every reviewed page (cases and the rest of the public tree), the ones waiting for review first."""

    page_title = gettext_lazy("Privacy review")
    header_icon = "clipboard-list"
    index_url_name = "sixdegree_review:index"
    index_results_url_name = "sixdegree_review:index_results"
    filterset_class = ReviewQueueFilterSet
    model = Page
    list_export = ["id", "review_state", "blocking_count", "latest_revision_created_at"]
    columns = [
        TitleColumn(
            "title",
            label=gettext_lazy("Case"),
            accessor="get_admin_display_title",
            url_name="sixdegree_review:review",
        ),
        Column(
            "review_state",
            label=gettext_lazy("Review state"),
            accessor=lambda page: ReviewState.label_of(page.review_state),
        ),
        Column("blocking_count", label=gettext_lazy("Blocking findings in the latest report")),
        DateColumn("submitted_at", label=gettext_lazy("In review since")),
        DateColumn("latest_revision_created_at", label=gettext_lazy("Last edited")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_view_review_queue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        order = Case(
            When(review_state=ReviewState.IN_REVIEW, then=Value(0)),
            When(review_state=ReviewState.CHANGES_REQUESTED, then=Value(1)),
            When(review_state=ReviewState.LIVE_WITH_DRAFT, then=Value(2)),
            When(review_state=ReviewState.DRAFT, then=Value(3)),
            default=Value(4),
        )
        models = reviewed_page_models()
        if not models:
            return Page.objects.none()
        # The root is never a page anyone reviews.
        return with_review_state(Page.objects.type(*models).filter(depth__gt=1)).order_by(
            order, "-latest_revision_created_at", "-pk"
        )
