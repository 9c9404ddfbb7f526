"""Door 2: every page of the public tree passes the checks, and pages with editorial text go
through the privacy review like a case (the home page, the case index, a host's own pages)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from home.models import HomePage
from sixdegree_cases.models import CaseIndexPage
from sixdegree_cases.privacy import check_page
from sixdegree_cases.review.constants import LOG_PUBLISH_REFUSED
from sixdegree_cases.review.guard import UnreviewedRevisionError
from sixdegree_cases.review.models import ReviewApproval
from sixdegree_cases.review.roles import ensure_review_setup
from sixdegree_cases.review.services import ApprovalRefused, approve_and_publish
from tests.factories import make_case_page
from tests.privacy.helpers import add_term

from .conftest import member_of
from .helpers import FULL_CHECKLIST, act, messages_of, submit
from .test_default_groups import grant_wagtail_defaults

REAL_NAME = "Siti Rahayu"
APPROVED_INTRO = "<p>Stories of survivors.</p>"


@pytest.fixture
def named_case(case_index):
    """A live case whose survivor's real name is one of its sensitive terms."""
    case = make_case_page(case_index, title="Her story", slug="her-story")
    add_term(case, REAL_NAME)
    return case


def index_form_data(**fields):
    data = {
        "title": "Cases",
        "slug": "cases",
        "intro": rich_text(APPROVED_INTRO),
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def live_intro(index):
    return CaseIndexPage.objects.get(pk=index.pk).intro


def test_a_superuser_cannot_publish_a_real_name_on_the_case_index(client, superuser, named_case, case_index):
    client.force_login(superuser)
    edit_url = reverse("wagtailadmin_pages:edit", args=[case_index.pk])
    assert 'name="action-publish"' not in client.get(edit_url).content.decode()

    response = client.post(
        edit_url,
        index_form_data(intro=rich_text(f"<p>{REAL_NAME} from Kampong Prasat, +62 812 3456 789.</p>"))
        | {"action-publish": "action-publish"},
        follow=True,
    )

    assert response.status_code == 200
    assert any("Not published" in message for message in messages_of(response))
    assert REAL_NAME not in live_intro(case_index)


def test_a_moderator_cannot_edit_or_publish_the_case_index(named_case, case_index):
    Group.objects.get_or_create(name="Moderators")
    moderator = member_of("Moderators", "moderator")
    grant_wagtail_defaults(Page.get_first_root_node())
    ensure_review_setup()

    permissions = case_index.permissions_for_user(moderator)

    assert not permissions.can_edit()
    assert not permissions.can_publish()


def test_publishing_the_home_page_in_code_needs_an_approval(home):
    home.introduction = "<p>Call +62 812 3456 789.</p>"
    revision = home.save_revision()

    with pytest.raises(UnreviewedRevisionError):
        revision.publish()

    assert "+62" not in HomePage.objects.get(pk=home.pk).introduction


def test_saving_unreviewed_content_onto_the_live_home_page_is_refused(home):
    home.featured_heading = f"Meet {REAL_NAME}"

    with pytest.raises(UnreviewedRevisionError):
        home.save()


def test_the_home_page_goes_live_through_the_privacy_review(home, superuser, reviewer):
    home.introduction = "<p>Every gift reaches a survivor.</p>"

    act(submit(home, superuser), reviewer, "approve", **FULL_CHECKLIST)

    live = HomePage.objects.get(pk=home.pk)
    assert live.introduction == "<p>Every gift reaches a survivor.</p>"
    assert ReviewApproval.objects.filter(page_id=home.pk, approved_by=reviewer).exists()


def test_any_case_s_sensitive_term_blocks_the_approval_of_the_home_page(
    home, named_case, superuser, reviewer
):
    home.introduction = f"<p>Thanks to {REAL_NAME.upper()}.</p>"

    with pytest.raises(ApprovalRefused, match="blocking"):
        act(submit(home, superuser), reviewer, "approve", **FULL_CHECKLIST)

    assert REAL_NAME.upper() not in HomePage.objects.get(pk=home.pk).introduction


def test_the_checks_read_every_text_field_of_a_non_case_page(home):
    home.featured_heading = "WhatsApp +62 812 3456 789"

    report = check_page(home)

    assert any(finding.field == "featured_heading" for finding in report.blocking_findings)


def test_the_checks_hold_every_case_s_terms_against_the_case_index(named_case, case_index):
    case_index.intro = f"<p>{REAL_NAME}</p>"

    report = check_page(case_index)

    assert [finding.check for finding in report.blocking_findings] == ["sensitive_terms"]


def test_the_gate_reads_log_action_however_it_is_passed(home):
    """Attack: `Page.publish(revision, user, changed, "wagtail.publish.scheduled")` with the
    arguments in order; the gate still sees a scheduled go-live and cancels it (no exception)."""
    home.introduction = "<p>Unreviewed, passed by position.</p>"
    revision = home.save_revision()

    assert home.publish(revision, None, True, "wagtail.publish.scheduled") is None

    assert HomePage.objects.get(pk=home.pk).introduction != "<p>Unreviewed, passed by position.</p>"
    assert PageLogEntry.objects.filter(page=home, action=LOG_PUBLISH_REFUSED).exists()
    with pytest.raises(UnreviewedRevisionError):
        home.publish(revision, None, True, True)


def test_a_scheduled_go_live_of_an_unreviewed_home_page_is_cancelled(home):
    home.introduction = "<p>Unreviewed.</p>"
    revision = home.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=5)
    revision.save(update_fields=["approved_go_live_at"])

    call_command("publish_scheduled")

    assert HomePage.objects.get(pk=home.pk).introduction != "<p>Unreviewed.</p>"
    assert PageLogEntry.objects.filter(page=home, action=LOG_PUBLISH_REFUSED).exists()


def test_a_host_s_own_page_type_is_reviewed_too(home):
    about = home.add_child(instance=Page(title="About us", slug="about", live=False))

    with pytest.raises(UnreviewedRevisionError):
        about.save_revision().publish()
    approve_and_publish(about.save_revision())

    assert Page.objects.get(pk=about.pk).live


def test_a_page_created_live_is_refused(home):
    with pytest.raises(UnreviewedRevisionError):
        home.add_child(instance=Page(title="About us", slug="about"))


def test_a_page_type_left_out_of_review_still_passes_the_checks(settings, home, named_case):
    settings.SIXDEGREE_REVIEWED_PAGE_TYPES = ["sixdegree_cases.CaseIndexPage"]
    home = HomePage.objects.get(pk=home.pk)
    home.introduction = f"<p>{REAL_NAME}</p>"

    with pytest.raises(UnreviewedRevisionError, match="blocking") as refusal:
        home.save_revision().publish()
    # Where and what, masked: the editor can find it without the name being repeated.
    message = str(refusal.value)
    assert "found 1 blocking finding(s) on this page (Introduction: [Latin] " in message
    assert REAL_NAME not in message

    home.introduction = "<p>Harmless news.</p>"
    home.save_revision().publish()
    assert HomePage.objects.get(pk=home.pk).introduction == "<p>Harmless news.</p>"


def test_a_page_left_out_of_review_is_refused_when_the_checks_cannot_run(settings, monkeypatch, home):
    import sixdegree_cases.privacy as privacy

    def broken(page):
        raise RuntimeError("the detector's model is missing")

    settings.SIXDEGREE_REVIEWED_PAGE_TYPES = []
    monkeypatch.setattr(privacy, "check_page", broken)
    home = HomePage.objects.get(pk=home.pk)
    home.introduction = "<p>Harmless news.</p>"

    with pytest.raises(UnreviewedRevisionError, match="blocking"):
        home.save_revision().publish()


def test_the_review_queue_lists_the_home_page_but_never_the_root(client, home, reviewer):
    client.force_login(reviewer)

    response = client.get(reverse("sixdegree_review:index"))

    listed = {page.pk for page in response.context["object_list"]}
    assert home.pk in listed
    assert Page.get_first_root_node().pk not in listed
