"""The review's part of a consent withdrawal: keep who decided and when, never what was read.

Connected to `sixdegree_cases.privacy.signals.consent_withdrawn` (inside the withdrawal's
transaction) from `SixdegreeReviewConfig.ready()`.
"""

from wagtail.models import WorkflowState

DISPATCH_UID = "sixdegree_review-erase-on-withdrawal"


def erase_review_text(sender, page, **kwargs):
    """Blank the reports, comments and fingerprints of every review of `page`.

    Reports hold findings with masked matches (a mask can leave a fragment of a name readable)
    and reviewers' comments quote the story; a fingerprint would let someone confirm a guessed
    text. The rows stay: who approved or asked for changes, when, and the checklist ticked.
    """
    from .models import PrivacyReviewTaskState, ReviewApproval

    states = WorkflowState.objects.for_instance(page)
    PrivacyReviewTaskState.objects.filter(workflow_state__in=states).update(
        report={}, content_fingerprint="", comment=""
    )
    ReviewApproval.objects.filter(page_id=page.pk).update(report={}, comment="", content_fingerprint="")


def connect():
    from sixdegree_cases.privacy.signals import consent_withdrawn

    consent_withdrawn.connect(erase_review_text, dispatch_uid=DISPATCH_UID)
