"""The rules of the privacy review, as functions views, the task and tests call directly."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log
from wagtail.models import Page, Revision, TaskState, WorkflowState

from ..compat import user_in_task_groups
from ..privacy.report import PrivacyReport, Severity
from .checks import run_checks
from .constants import CHECKLIST, LOG_APPROVE
from .fingerprint import content_fingerprint
from .guard import is_reviewed_model
from .image_authors import image_authors, unattributed_image_edits, unattributed_refusal
from .records import ReviewApproval, last_approval


class ApprovalRefused(PermissionDenied):
    """The reviewer's approval cannot be accepted (the message says why)."""


def specific_object(obj):
    return obj.specific if isinstance(obj, Page) else obj


def check_revision(revision):
    """(report, fingerprint) of a revision: the checks run on cases only."""
    content = revision.as_object()
    if not is_reviewed_model(type(content)):
        return PrivacyReport(revision_id=revision.pk), ""
    return run_checks(revision), content_fingerprint(content)


def changes_since_last_approval(revision):
    """The revisions of the page after its last approved one, up to `revision`, oldest first.

    These hold everything that changed since a reviewer last approved the page: edits made
    during a review, before a cancellation and a resubmission included. Without an approval,
    every revision of the page counts.
    """
    revisions = Revision.objects.filter(
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        pk__lte=revision.pk,
    ).select_related("user")
    approval = last_approval(revision.object_id)
    if approval is not None and approval.revision_id < revision.pk:
        revisions = revisions.filter(pk__gt=approval.revision_id)
    return list(revisions.order_by("pk"))


def authors_since_last_approval(task_state):
    """Ids of everyone who wrote or submitted the content in review since the last approval."""
    revision = task_state.revision
    authors = {change.user_id for change in changes_since_last_approval(revision) if change.user_id}
    submissions = WorkflowState.objects.filter(
        base_content_type_id=revision.base_content_type_id, object_id=revision.object_id
    )
    approval = last_approval(revision.object_id)
    if approval is not None:
        submissions = submissions.filter(created_at__gt=approval.approved_at)
    authors.update(user_id for user_id in submissions.values_list("requested_by_id", flat=True) if user_id)
    if task_state.workflow_state.requested_by_id:
        authors.add(task_state.workflow_state.requested_by_id)
    authors.update(image_authors(revision))
    return authors


def is_author(task_state, user):
    """Four eyes: True when `user` wrote, changed or submitted the content since the last approval
    (the images it shows included)."""
    return user.pk in authors_since_last_approval(task_state)


def check_task_state(task_state):
    """Run the checks on the task state's revision and keep the report on it."""
    report, fingerprint = check_revision(task_state.revision)
    task_state.store_report(report, fingerprint)
    return report


def approval_problems(task_state, checklist):
    """Why `task_state` cannot be approved with `checklist` now (an empty list if it can).

    The checks run again on the revision, so a consent withdrawn or a sensitive term added
    since the submission blocks too; the fresh report is kept on the task state.
    """
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        return [_("This version is no longer awaiting privacy review.")]
    problems = []
    missing = [str(label) for key, label in CHECKLIST.items() if not checklist.get(key)]
    if missing:
        problems.append(_("Confirm every item of the checklist: %(items)s") % {"items": " ".join(missing)})
    unattributed = unattributed_image_edits(task_state.revision)
    if unattributed:
        problems.append(unattributed_refusal(unattributed))
    previous_fingerprint = task_state.content_fingerprint
    report, fingerprint = check_revision(task_state.revision)
    task_state.store_report(report, fingerprint)
    if previous_fingerprint and fingerprint != previous_fingerprint:
        problems.append(_("This version changed after the checks ran: read the new report before approving."))
    if report.blocking:
        count = report.blocking_count
        problems.append(
            ngettext(
                "Approval is refused while %(count)d blocking finding remains: "
                "request changes so it is fixed.",
                "Approval is refused while %(count)d blocking findings remain: "
                "request changes so they are fixed.",
                count,
            )
            % {"count": count}
        )
    return problems


def record_approval(revision, user, *, checklist, report=None, task_state=None, comment=""):
    """Store the approval of exactly `revision` and write it to Wagtail's audit log."""
    from .audience import view_restriction_pins

    content = revision.as_object()
    report_data = report.as_dict() if isinstance(report, PrivacyReport) else (report or {})
    ticked = {key: bool(checklist.get(key)) for key in CHECKLIST}
    approval = ReviewApproval.objects.create(
        page_id=revision.object_id,
        revision=revision,
        task_state=task_state,
        approved_by=user,
        checklist=ticked,
        report=report_data,
        content_fingerprint=content_fingerprint(content),
        view_restrictions=view_restriction_pins(content) if content.path else [],
        comment=comment,
    )
    findings = report_data.get("findings", [])
    log(
        instance=specific_object(revision.content_object),
        action=LOG_APPROVE,
        user=user,
        revision=revision,
        data={
            "approval_id": approval.pk,
            "checklist": ticked,
            "report": {
                "blocking": sum(1 for finding in findings if finding.get("severity") == Severity.BLOCK),
                "warnings": sum(1 for finding in findings if finding.get("severity") != Severity.BLOCK),
                "checks_run": report_data.get("checks_run", []),
            },
            "comment": comment,
        },
    )
    return approval


@transaction.atomic
def approve(task_state, user, *, comment="", task_state_id=None, **checklist):
    """Approve the task state's revision with the reviewer's checklist, which publishes it.

    Raises `ApprovalRefused` when the user may not approve, the checklist is incomplete, the
    revision changed since it was checked or a check blocks.
    """
    task = task_state.task.specific
    if not user_in_task_groups(task, user):
        raise ApprovalRefused(_("Only a privacy reviewer can approve a case."))
    if is_author(task_state, user):
        raise ApprovalRefused(
            _(
                "You wrote, changed or submitted this case, or uploaded or changed an image it "
                "shows, since its last approval: another privacy reviewer must approve it."
            )
        )
    problems = approval_problems(task_state, checklist)
    if problems:
        raise ApprovalRefused(" ".join(str(problem) for problem in problems))
    record_approval(
        task_state.revision,
        user,
        checklist=checklist,
        report=task_state.report,
        task_state=task_state,
        comment=comment,
    )
    # Finishing the workflow publishes the approved revision (publish_reviewed_workflow_state).
    task_state.approve(user=user, comment=comment)


@transaction.atomic
def request_changes(task_state, user, *, comment):
    """Return the revision to its editors with the reviewer's comment."""
    if not user_in_task_groups(task_state.task.specific, user):
        raise ApprovalRefused(_("Only a privacy reviewer can request changes."))
    comment = (comment or "").strip()
    if not comment:
        raise ApprovalRefused(_("Say what must change."))
    task_state.reject(user=user, comment=comment)


def approval_outcome(task_state):
    """What an approval of `task_state` did, said plainly (for the reviewer's message).

    Approving finishes the privacy review, but the version may still not be live: it may be
    scheduled, or wait for a later task of the workflow. The message says which.
    """
    revision = Revision.objects.get(pk=task_state.revision_id)
    page = Page.objects.get(pk=revision.object_id)
    version = {"version": revision.pk}
    if page.live and page.live_revision_id == revision.pk:
        return _("Approved and published: version %(version)s is live.") % version
    if revision.approved_go_live_at:
        return _("Approved: version %(version)s is scheduled to go live on %(when)s; it is not live yet.") % {
            **version,
            "when": formats.date_format(timezone.localtime(revision.approved_go_live_at), "DATETIME_FORMAT"),
        }
    workflow_state = task_state.workflow_state
    workflow_state.refresh_from_db()
    if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        return (
            _(
                "Approved: version %(version)s now waits for the next step of the workflow; "
                "nothing is published yet."
            )
            % version
        )
    return (
        _("Approved, but not published: version %(version)s is not live. Look at the page's history.")
        % version
    )


def approve_and_publish(revision, reviewer=None, *, checklist=None, require_checks=True, comment=""):
    """Record an approval of `revision` made outside the admin and publish it.

    For demo content, fixtures and scripts whose caller vouches for the review. With
    `require_checks` (the default) the automated checks run first and a blocking finding
    refuses. The publish still passes through the guard.
    """
    report = None
    if require_checks:
        report, _fingerprint = check_revision(revision)
        if report.blocking:
            raise ApprovalRefused(_("A blocking finding remains: this version cannot be approved."))
    record_approval(
        revision,
        reviewer,
        checklist=checklist or dict.fromkeys(CHECKLIST, True),
        report=report,
        comment=comment,
    )
    revision.publish(user=reviewer, skip_permission_checks=True)
    return revision
