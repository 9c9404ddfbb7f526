"""Withdrawal leaves nothing behind: canaries planted in every place a story reaches, then a sweep
of every column of every table, the media storage and the cache.

The places are the ones where the story was found after a withdrawal (issue 8, door 7): a draft
copy and its alias, comments and replies (and the revisions that carry them), review reports
and the reviewer's comments, the image used only by the case (row, title, description, file),
the admin's preview storage, log entries, task results and the search index.
"""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache as default_cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from payments import PaymentStatus
from wagtail.admin.models import FormState
from wagtail.log_actions import log
from wagtail.models import Comment, CommentReply

from sixdegree_cases.donations.models import Donation
from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.privacy import Severity, withdraw_consent
from sixdegree_cases.privacy.checks.base import PrivacyCheck
from sixdegree_cases.review.constants import CASE_OFFICERS, COMMUNICATIONS_STAFF, PRIVACY_REVIEWERS
from sixdegree_cases.review.roles import ensure_review_setup
from sixdegree_cases.review.services import approve_and_publish
from tests.factories import make_case_page, milestone
from tests.privacy.helpers import add_term, jpeg_bytes, landscape, record_consent, upload_image, user_with
from tests.privacy.sweep import cache_hits as cache_sweep
from tests.privacy.sweep import database_hits, media_files, media_hits
from tests.review.helpers import act, submit

# Canaries are single "words" of letters and digits: PostgreSQL's text search keeps such a
# token verbatim (lower-cased), so a search-index entry holds the canary itself.
C = {
    "title": "Qzx7Title9",
    "pseudonym": "Qzx7Pseudo9",
    "summary": "Qzx7Summary9",
    "narrative": "Qzx7Narrative9",
    "milestone": "Qzx7Milestone9",
    "draft": "Qzx7Draft9",
    "slug": "qzx7slug9",
    "funding": "Qzx7Funding9",
    "officer_ref": "Qzx7Officer9",
    "copy": "Qzx7Copy9",
    "comment": "Qzx7Comment9",
    "reply": "Qzx7Reply9",
    "approval": "Qzx7Approval9",
    "changes": "Qzx7Changes9",
    "image_title": "Qzx7ImageTitle9",
    "image_desc": "Qzx7ImageDesc9",
    "preview": "Qzx7Preview9",
    "preview_new": "Qzx7PreviewNew9",
    "task": "Qzx7Task9",
    "consent_note": "Qzx7ConsentNote9",
    "deleted_copy": "Qzx7DeletedCopy9",
    # A Khmer real name (a sensitive term) and the part of it a masked finding kept readable.
    "khmer": "សុខាវណ្ណ",
    "khmer_fragment": "សុខាវ",
}
# The exact point the editor clicked, as the preview form posted it (never snapped).
EXACT_POINT = "11.5564713"


class QuotingCheck(PrivacyCheck):
    """A deployment's own check that quotes what it saw in its finding: a report may hold
    story text whatever the built-in masks do."""

    id = "quoting"
    label = "Quoting"

    def check(self, context):
        return [
            self.finding(title, field, title, "Quoted.", severity=Severity.WARN)
            for _number, _where, field, value in context.milestones
            for title in [value["title"]]
        ]


def member_of(group_name, username):
    user = user_with(username, [])
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture(autouse=True)
def quoting_check(settings):
    settings.SIXDEGREE_PRIVACY_CHECKS = [
        *settings.SIXDEGREE_PRIVACY_CHECKS,
        "tests.privacy.test_withdrawal_sweep.QuotingCheck",
    ]


@pytest.fixture
def page_cache(settings):
    """The page cache on, in the test's local-memory cache."""
    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.DjangoCachePageCache",
        "TIMEOUT": 60,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage", "home.HomePage"],
        "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/"],
    }
    default_cache.clear()
    yield
    default_cache.clear()


class Planted:
    """The case and where its canaries were planted, for the sweep and its sanity checks."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


@pytest.fixture
def planted(case_index, page_cache, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        planted = _plant(case_index)
    # Once every change is committed (committing drops cached pages): the live case, cached.
    assert client.get(planted.case.url).status_code == 200
    return planted


def _plant(case_index):
    ensure_review_setup()
    staff = member_of(COMMUNICATIONS_STAFF, "staff")
    reviewer = member_of(PRIVACY_REVIEWERS, "reviewer")
    officer = member_of(CASE_OFFICERS, "officer")

    image = upload_image(jpeg_bytes(landscape()), title=C["image_title"])
    image.description = f"{C['image_desc']} at dusk"
    image.save()
    log(image, "wagtail.create", user=staff)
    story = [
        milestone("recruitment", f"{C['milestone']} promise", lat=-0.03, lng=109.33),
        milestone("escape", "Away", lat=-7.3, lng=112.7, narrative=f"<p>{C['narrative']} at night.</p>"),
    ]
    story[1][1]["illustration"] = {"image": image, "decorative": False, "alt_text": "A road at dusk"}
    case = make_case_page(
        case_index,
        publish=False,
        title=f"{C['title']} story",
        slug=C["slug"],
        pseudonym=C["pseudonym"],
        summary=f"{C['summary']} summary",
        case_officer_reference=C["officer_ref"],
        items=[("education", f"{C['funding']} course", Decimal("1500.00"))],
        story=story,
    )
    record_consent(case, notes=f"Explained in Khmer, {C['consent_note']}")
    add_term(case, C["khmer"])
    approve_and_publish(case.latest_revision, reviewer, require_checks=False, comment=C["approval"])
    case.refresh_from_db()
    image.get_rendition("fill-800x500|format-webp")

    comment = Comment.objects.create(
        page=case, user=staff, text=f"{C['comment']} check", contentpath="title", revision_created=None
    )
    comment.log_create(user=staff)
    reply = CommentReply.objects.create(comment=comment, user=reviewer, text=f"{C['reply']} done")
    reply.log_create(user=reviewer)

    # A draft that names her in Khmer, submitted: the report's finding holds the name.
    case = SurvivorCasePage.objects.get(pk=case.pk)
    case.summary = f"{C['draft']} summary, {C['khmer']}"
    task_state = submit(case, staff)
    act(task_state, reviewer, "reject", comment=f"Remove {C['changes']}")

    FormState.objects.update_or_create_by_instance(
        instance=case,
        user=staff,
        defaults={
            "data": urlencode({"title": f"{C['preview']} story", "story-0-value-location": EXACT_POINT}),
            "last_updated_at": timezone.now(),
        },
    )
    FormState.objects.update_or_create_by_instance(
        instance=SurvivorCasePage(),
        parent_object_id=str(case_index.pk),
        user=staff,
        defaults={"data": urlencode({"title": C["preview_new"]}), "last_updated_at": timezone.now()},
    )

    copy = case.copy(
        to=case_index, update_attrs={"title": f"{C['title']} copy", "slug": "copy-of-case"}, keep_live=False
    )
    copy = SurvivorCasePage.objects.get(pk=copy.pk)
    copy.summary = f"{C['copy']} summary"
    copy.save_revision(user=staff)
    alias = copy.create_alias(parent=case_index, update_slug="alias-of-copy")

    # A copy an editor deleted before the withdrawal: its log entries and preview outlive it.
    discarded = case.copy(
        to=case_index,
        update_attrs={"title": f"{C['deleted_copy']} copy", "slug": "discarded"},
        keep_live=False,
    )
    FormState.objects.update_or_create_by_instance(
        instance=discarded.specific,
        user=staff,
        defaults={"data": urlencode({"title": C["deleted_copy"]}), "last_updated_at": timezone.now()},
    )
    discarded.delete(user=staff)

    DBTaskResult.objects.create(
        task_path="sixdegree_cases.caching.frontend.purge_page_and_ancestors",
        args_kwargs={"args": [f"{C['task']} {case.title}"], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        status="SUCCESSFUL",
        return_value={"title": case.draft_title},
        exception_class_path="",
        traceback="",
    )
    donation = Donation.objects.create(
        case=case, variant="dummy", status=PaymentStatus.CONFIRMED, total=Decimal("25.00"), currency="USD"
    )
    return Planted(
        case=case,
        copy=copy,
        alias=alias,
        image=image,
        image_digest=image.file_hash,
        officer=officer,
        donation=donation,
    )


def test_every_canary_is_planted_where_the_sweep_looks(planted):
    """The sweep can fail: before withdrawal it finds every canary (the test is not vacuous)."""
    hits, columns = database_hits(C.values())
    found = {hit.canary for hit in hits}
    assert found == set(C.values()), set(C.values()) - found
    assert columns > 100
    places = {hit.where for hit in hits}
    for place in (
        "wagtailcore_revision.content",
        "wagtailcore_comment.text",
        "wagtailcore_commentreply.text",
        "wagtailcore_pagelogentry.data",
        "wagtailcore_modellogentry.label",
        "sixdegree_review_privacyreviewtaskstate.report",
        "sixdegree_review_reviewapproval.comment",
        "wagtailcore_taskstate.comment",
        "wagtailadmin_formstate.data",
        "django_tasks_database_dbtaskresult.args_kwargs",
        "sixdegree_images_caseimage.title",
        "sixdegree_images_caseimage.description",
        "wagtailsearch_indexentry.title",
    ):
        assert place in places, place
    assert media_hits([], {planted.image_digest})
    assert cache_sweep([C["pseudonym"]])


def test_after_withdrawal_no_table_media_file_or_cache_entry_holds_the_story(
    planted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(planted.case, planted.officer)
    hits, _columns = database_hits([*C.values(), EXACT_POINT, planted.image_digest])
    hits += media_hits(C.values(), {planted.image_digest})
    hits += cache_sweep(C.values())
    assert hits == [], "\n".join(map(str, hits))


def test_the_donation_keeps_amount_date_and_case(planted, django_capture_on_commit_callbacks):
    before = Donation.objects.values("total", "currency", "created", "case_id").get(pk=planted.donation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(planted.case, planted.officer)
    after = Donation.objects.values("total", "currency", "created", "case_id").get(pk=planted.donation.pk)
    assert after == before


def test_media_keeps_only_files_of_other_images(planted, django_capture_on_commit_callbacks):
    other = upload_image(jpeg_bytes(landscape()), title="Shared")
    other.get_rendition("fill-100x100")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(planted.case, planted.officer)
    names = set(media_files())
    assert other.file.name in names
    assert names == {other.file.name, other.renditions.get().file.name}


def test_the_sweep_reads_a_session(planted, client):
    """Sessions are stored signed and compressed; the sweep decodes them."""
    session = client.session
    session["note"] = C["pseudonym"]
    session.save()
    hits, _columns = database_hits([C["pseudonym"]])
    assert "django_session (decoded)" in {hit.where for hit in hits}
