"""An update goes live only through the case's privacy review, with the case's private records."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from sixdegree_cases.models import CaseIndexPage, CaseUpdate, SurvivorCasePage
from sixdegree_cases.privacy import check_page
from sixdegree_cases.privacy.models import ConsentRecord
from sixdegree_cases.review.guard import UnreviewedRevisionError, is_reviewed_model
from sixdegree_cases.review.services import ApprovalRefused
from tests.factories import make_case_page
from tests.privacy.helpers import add_term
from tests.review.helpers import FULL_CHECKLIST, act, submit

from .helpers import make_update, update_milestone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def review_setup(db):
    from sixdegree_cases.review.roles import ensure_review_setup

    return ensure_review_setup()


def _user(group, name):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(name, f"{name}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


def blocking(report, check_id=None):
    return [f for f in report.findings if f.blocking and (check_id is None or f.check == check_id)]


def test_an_update_is_reviewed_even_when_the_setting_names_no_page_type(settings):
    settings.SIXDEGREE_REVIEWED_PAGE_TYPES = []
    assert is_reviewed_model(CaseUpdate)


def test_an_update_lives_only_under_a_survivor_case(case):
    assert CaseUpdate.can_create_at(case)
    assert not CaseUpdate.can_create_at(CaseIndexPage.objects.get())
    assert not CaseUpdate.can_create_at(Page.get_first_root_node())
    assert CaseUpdate in SurvivorCasePage.allowed_subpage_models()


def test_an_update_with_a_sensitive_term_of_its_case_is_blocked(case):
    add_term(case, "Siti Rahayu")
    update = make_update(case, publish=False, narrative="<p>S1ti Rahayu now works in the town.</p>")
    report = check_page(update.latest_revision)
    assert blocking(report, "sensitive_terms"), report.findings
    from sixdegree_cases.review.services import approve_and_publish

    with pytest.raises(ApprovalRefused):
        approve_and_publish(update.latest_revision)
    update.refresh_from_db()
    assert not update.live


def test_the_term_in_the_title_or_the_illustration_alt_text_blocks_too(case):
    add_term(case, "Kampung Melati", kind="place")
    update = make_update(case, publish=False, title="Back from Kampung Melati")
    assert blocking(check_page(update.latest_revision), "sensitive_terms")


def test_a_clean_update_of_a_consenting_case_passes(case):
    update = make_update(case, publish=False)
    assert not blocking(check_page(update.latest_revision))


def test_an_update_of_a_case_without_consent_is_blocked(case_index):
    case = make_case_page(case_index, title="No consent", slug="no-consent")
    update = make_update(case, publish=False)
    report = check_page(update.latest_revision)
    assert blocking(report, "consent"), report.findings


def test_withdrawn_consent_blocks_a_new_update(case):
    ConsentRecord.objects.filter(case=case).delete()
    update = make_update(case, publish=False)
    assert blocking(check_page(update.latest_revision), "consent")


def test_a_contact_detail_in_an_update_blocks(case):
    update = make_update(case, publish=False, narrative="<p>Call her on +62 812 3456 7890.</p>")
    assert blocking(check_page(update.latest_revision), "contact_details")


def test_an_update_cannot_be_published_without_an_approval(case):
    update = make_update(case, publish=False)
    with pytest.raises(UnreviewedRevisionError):
        update.latest_revision.publish()
    update.refresh_from_db()
    assert not update.live


def test_saving_an_update_live_in_code_is_refused(case):
    update = make_update(case, publish=False)
    update.live = True
    with pytest.raises(UnreviewedRevisionError):
        update.save()


def test_an_update_goes_live_through_the_workflow_and_four_eyes_hold(case):
    from sixdegree_cases.review.constants import COMMUNICATIONS_STAFF, PRIVACY_REVIEWERS

    staff = _user(COMMUNICATIONS_STAFF, "staff")
    reviewer = _user(PRIVACY_REVIEWERS, "reviewer")
    writer_reviewer = _user(PRIVACY_REVIEWERS, "reviewer2")
    update = make_update(case, publish=False)
    assert update.get_workflow() is not None
    update.narrative = "<p>She finished the course.</p>"
    update.save_revision(user=writer_reviewer)
    task_state = submit(update, staff)
    assert task_state.blocking_count == 0, task_state.findings
    # Wrote a version since the last approval: may not approve it.
    with pytest.raises(ApprovalRefused):
        act(task_state, writer_reviewer, "approve", **FULL_CHECKLIST)
    act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    update.refresh_from_db()
    assert update.live
    assert update.live_revision_id == task_state.revision_id


def test_the_staff_publish_button_is_gone_for_updates(case):
    from sixdegree_cases.review.constants import COMMUNICATIONS_STAFF

    staff = _user(COMMUNICATIONS_STAFF, "staff")
    update = make_update(case, publish=False)
    assert update.permissions_for_user(staff).can_edit()
    assert not update.permissions_for_user(staff).can_publish()


def test_the_map_milestone_of_an_update_is_snapped_before_it_is_stored(case):
    update = make_update(case, publish=False, milestone=update_milestone(lat=-7.2612, lng=112.7501))
    stored = CaseUpdate.objects.get(pk=update.pk).milestone.raw_data[0]["value"]["location"]
    assert (stored["lat"], stored["lng"]) != (-7.2612, 112.7501)
    revision_value = update.latest_revision.content["milestone"]
    assert "-7.2612" not in str(revision_value)


def test_a_map_milestone_at_an_unsnapped_point_blocks(case):
    update = make_update(case, publish=False, milestone=update_milestone())
    # A point written around the model (an import, SQL) is caught by the locations check.
    raw = list(update.milestone.raw_data)
    raw[0]["value"]["location"] = {"lat": -7.2612, "lng": 112.7501}
    CaseUpdate.objects.filter(pk=update.pk).update(milestone=raw)
    update = CaseUpdate.objects.get(pk=update.pk)
    assert blocking(check_page(update), "locations")


def test_new_terms_recheck_the_live_updates_of_the_case(case):
    from sixdegree_cases.review.alerts import LiveCaseAlert

    update = make_update(case, narrative="<p>She now works at Melati Garments.</p>")
    assert update.live
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        add_term(case, "Melati Garments", kind="employer")
    assert LiveCaseAlert.objects.open().filter(page_id=update.pk).exists()


def test_an_update_is_held_to_its_own_case_terms_not_to_every_case(case, case_index):
    """The checks read an update with its parent case's private records (as a case's own)."""
    other = make_case_page(case_index, title="Other", slug="other")
    add_term(other, "Sokunthea")
    update = make_update(case, publish=False, narrative="<p>She met Sokunthea at the market.</p>")
    assert not blocking(check_page(update.latest_revision), "sensitive_terms")
