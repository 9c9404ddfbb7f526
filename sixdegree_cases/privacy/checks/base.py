"""The base class of a privacy check and the context every check reads."""

from functools import cached_property

from ... import get_case_model, get_update_model
from ..report import Finding, Severity


class CheckContext:
    """What the checks look at: the page as it would go live, and its case's private records.

    `page` is the page object checked (a revision's page for a revision). The sensitive terms
    and consent belong to the case, not to the revision, so they are read by `case_id`.
    """

    #: A check may stop after this many findings in one text (None: find them all, as the
    #: review does). The editor's live check sets it so its work is bounded (`privacy.drafts`).
    max_findings_per_text = None

    def __init__(self, page, case_id=None, revision=None):
        self.page = page
        self.case_id = case_id
        self.revision = revision

    @cached_property
    def is_case(self):
        SurvivorCasePage = get_case_model()

        return isinstance(self.page, SurvivorCasePage)

    @cached_property
    def is_update(self):
        CaseUpdate = get_update_model()

        return isinstance(self.page, CaseUpdate)

    @cached_property
    def story_case_id(self):
        """The case whose private records apply: the case itself, or an update's parent case
        (an update tells the same survivor's story); None for any other page."""
        if self.is_case:
            return self.case_id
        if self.is_update:
            from ...updates.checks import parent_case_id

            return parent_case_id(self.page)
        return None

    @cached_property
    def texts(self):
        from ..extract import texts

        return texts(self.page)

    @cached_property
    def images(self):
        from ..extract import images

        return images(self.page)

    @cached_property
    def milestones(self):
        from ..extract import milestones

        return milestones(self.page)

    @cached_property
    def sensitive_terms(self):
        """A case's own terms; for any other page (home, index) the terms of every case, since
        such a page can name any survivor."""
        from ..models import SensitiveTerm, sensitive_terms

        if self.story_case_id is None:
            return list(SensitiveTerm.objects.all())
        return list(sensitive_terms(self.story_case_id))

    @cached_property
    def consent(self):
        from ..models import current_consent

        return current_consent(self.story_case_id)

    @cached_property
    def withdrawn(self):
        from ..models import is_withdrawn

        return is_withdrawn(self.story_case_id)


class PrivacyCheck:
    """One automated check. Subclass it, set `id` and `label`, implement `check()`.

    List the subclass by dotted path in the setting `SIXDEGREE_PRIVACY_CHECKS` to run it.
    A check that finds nothing is not proof of safety: it only says what it looked for.
    """

    id = ""
    label = ""
    #: Checks that only make sense for a survivor's case (consent, funding, locations).
    cases_only = False
    #: A `cases_only` check that applies to a case's updates too (consent, locations).
    updates_too = False
    #: Reads only `context.texts` (and the case's sensitive terms): also run on the editor's
    #: text as it is written (`privacy.drafts`), where nothing else of the page is current.
    while_writing = False

    def applies(self, context):
        """Whether the check runs for this page at all (listed in `checks_run` when it does)."""
        return context.is_case or not self.cases_only or (self.updates_too and context.is_update)

    def check(self, context):
        """Return a list of `Finding`s for `context` (a `CheckContext`)."""
        raise NotImplementedError

    def finding(self, where, field, masked, message, severity=Severity.BLOCK):
        """A `Finding` of this check (blocking unless `severity` says otherwise)."""
        return Finding(
            check=self.id,
            severity=severity,
            where=str(where),
            field=field,
            masked=masked,
            message=str(message),
        )
