"""Background jobs of the privacy review (django-tasks; run by `manage.py db_worker`).

django-tasks has no scheduler: `privacy_audit` is queued by cron (`manage.py privacy_audit
--enqueue`) or the command runs it directly; `recheck_live_case` is queued when what the checks
know about a case changes.
"""

from django.db import transaction
from django_tasks import task

from .live import live_pages_below
from .live import recheck_live_case as recheck


@task()
def privacy_audit():
    """Audit every live page and unpublish what fails (see `audit.audit_live_pages`)."""
    from .audit import audit_live_pages

    results = audit_live_pages()
    return {
        "checked": len(results),
        "unpublished": [result.page_id for result in results if result.unpublished],
    }


@task()
def recheck_live_case(case_id, reason):
    """Re-run the checks on a live case's content and alert its people on a blocking finding."""
    alert = recheck(case_id, reason)
    # The case's live updates are checked with the case's terms and consent: they too.
    for page_id in live_pages_below(case_id):
        recheck(page_id, reason)
    return alert.pk if alert is not None else None


def queue_recheck(case_id, reason):
    """Re-check case `case_id` once the current transaction commits (on the task worker)."""
    transaction.on_commit(lambda: recheck_live_case.enqueue(case_id, reason))
