"""Door 6: a live case is re-checked when what the checks know changes, and people are told."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.privacy.models import ConsentRecord
from sixdegree_cases.review.constants import LOG_ALERT_UNPUBLISH
from sixdegree_cases.review.models import LiveCaseAlert
from tests.privacy.helpers import add_term

# A word of the live summary made by tests.factories.make_case_page.
LIVE_WORD = "restaurant"


@pytest.fixture
def people(reviewer, officer, staff):
    return {"reviewer": reviewer, "officer": officer, "staff": staff}


@pytest.fixture
def alerted(case, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_term(case, LIVE_WORD)
    return LiveCaseAlert.objects.get(page=case)


def is_live(page):
    return SurvivorCasePage.objects.get(pk=page.pk).live


def test_a_new_term_matching_live_text_raises_an_alert(alerted, case):
    assert alerted.is_open
    assert alerted.checks == ["sensitive_terms"]
    assert alerted.reason == LiveCaseAlert.Reason.SENSITIVE_TERM
    assert alerted.blocking_count == 1
    assert is_live(case)


def test_the_alert_reaches_the_cases_reviewers_and_officers_only(alerted, people):
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {people["reviewer"].email, people["officer"].email}


def test_the_alert_email_carries_no_case_text(alerted, case):
    (message, *_) = mail.outbox
    text = message.subject + message.body + "".join(str(alt[0]) for alt in message.alternatives)
    for case_text in (LIVE_WORD, case.title, case.pseudonym, case.slug, "r•••"):
        assert case_text.lower() not in text.lower()
    assert f"#{case.pk}" in message.subject
    assert reverse("wagtailadmin_home") in message.body


def test_a_term_that_matches_nothing_raises_no_alert(case, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_term(case, "Desa Contoh")
    assert not LiveCaseAlert.objects.exists()
    assert mail.outbox == []


def test_a_changed_term_is_checked_again(case, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        term = add_term(case, "Desa Contoh")
    with django_capture_on_commit_callbacks(execute=True):
        term.term = LIVE_WORD
        term.save()
    assert LiveCaseAlert.objects.get(page=case).checks == ["sensitive_terms"]


def test_withdrawn_consent_rechecks_the_live_case(case, people, django_capture_on_commit_callbacks):
    consent = ConsentRecord.objects.get(case=case)
    with django_capture_on_commit_callbacks(execute=True):
        consent.withdrawn_at = timezone.now()
        consent.save()
    alert = LiveCaseAlert.objects.get(page=case)
    assert alert.reason == LiveCaseAlert.Reason.CONSENT
    assert alert.checks == ["consent"]


def test_a_term_of_a_draft_case_raises_no_alert(case_index, people, django_capture_on_commit_callbacks):
    from tests.factories import make_case_page

    draft = make_case_page(case_index, publish=False, slug="draft-case")
    with django_capture_on_commit_callbacks(execute=True):
        add_term(draft, LIVE_WORD)
    assert not LiveCaseAlert.objects.exists()


def test_the_dashboard_shows_the_alert_to_reviewers_and_officers(alerted, case, people, client):
    for name in ("reviewer", "officer"):
        client.force_login(people[name])
        content = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Live cases with a blocking finding" in content, name
        assert reverse("sixdegree_review:alert_unpublish", args=[alerted.pk]) in content


def test_the_dashboard_hides_alerts_from_communications_staff(alerted, people, client):
    client.force_login(people["staff"])
    assert (
        "Live cases with a blocking finding" not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_one_action_unpublishes_the_case_and_closes_the_alert(
    alerted, case, people, client, django_capture_on_commit_callbacks
):
    client.force_login(people["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sixdegree_review:alert_unpublish", args=[alerted.pk]))
    assert response.status_code == 302
    assert not is_live(case)
    alerted.refresh_from_db()
    assert not alerted.is_open
    assert alerted.resolved_by == people["officer"]
    assert PageLogEntry.objects.filter(page=case, action=LOG_ALERT_UNPUBLISH, user=people["officer"]).exists()


def test_staff_cannot_use_the_unpublish_action(alerted, case, people, client):
    client.force_login(people["staff"])
    response = client.post(reverse("sixdegree_review:alert_unpublish", args=[alerted.pk]))
    assert response.status_code in (302, 403)
    assert is_live(case)
    alerted.refresh_from_db()
    assert alerted.is_open


def test_the_unpublish_action_needs_a_post(alerted, case, people, client):
    client.force_login(people["reviewer"])
    response = client.get(reverse("sixdegree_review:alert_unpublish", args=[alerted.pk]))
    assert response.status_code == 405
    assert is_live(case)


def test_an_alert_of_a_case_already_down_says_so_and_changes_nothing(alerted, case, people, client):
    case.unpublish()
    client.force_login(people["reviewer"])
    response = client.post(reverse("sixdegree_review:alert_unpublish", args=[alerted.pk]), follow=True)
    assert response.status_code == 200
    assert "is not live" in response.content.decode()


def test_unpublishing_by_any_path_closes_the_alert(alerted, case):
    case.unpublish()
    alerted.refresh_from_db()
    assert not alerted.is_open


def test_a_mail_server_that_is_down_leaves_the_alert_on_the_dashboard(
    case, people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.live.stand_ins.FailingEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        add_term(case, LIVE_WORD)
    assert LiveCaseAlert.objects.get(page=case).is_open


def test_more_terms_update_the_open_alert_without_more_mail(
    alerted, case, people, django_capture_on_commit_callbacks
):
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        add_term(case, "sewing")  # of the dream: same check, another place
    assert LiveCaseAlert.objects.filter(page=case).count() == 1
    alerted.refresh_from_db()
    assert alerted.blocking_count == 2
    assert len(mail.outbox) == sent


def test_the_dashboard_button_works_with_csrf_checks_on(alerted, case, people):
    import re

    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["reviewer"])
    content = browser.get(reverse("wagtailadmin_home")).content.decode()
    action = reverse("sixdegree_review:alert_unpublish", args=[alerted.pk])
    form = content[content.index(f'action="{action}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = browser.post(action, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not is_live(case)
