"""The demo's updates: two fictional cases have one live update each, one is completed, and
Xiao Fang's case stays as IOM published it."""

import pytest
from django.core import mail
from django.core.management import call_command
from payments import PaymentStatus

from sixdegree_cases.donations.models import CaseFunding, Donation
from sixdegree_cases.donations.receipts import owed
from sixdegree_cases.models import CaseLifecycle, CaseUpdate, SurvivorCasePage
from sixdegree_cases.review.models import ReviewApproval

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def load():
    call_command("load_demo_content", force=True, no_admin=True, verbosity=0)


def test_two_fictional_cases_get_one_live_reviewed_update_each_and_one_is_completed():
    load()
    updates = CaseUpdate.objects.live()
    parents = sorted(update.get_parent().slug for update in updates)
    assert parents == ["noy", "vuthy"]
    for update in updates:
        assert ReviewApproval.objects.filter(page_id=update.pk, revision_id=update.live_revision_id).exists()
    vuthy = SurvivorCasePage.objects.get(slug="vuthy")
    assert CaseLifecycle.objects.get(case=vuthy).status == "completed"
    assert len(vuthy.map_milestones) == len(vuthy.milestones) + 1


def test_each_demo_step_has_its_own_date_after_the_launch():
    """Not "Funded, In progress, Completed: November 2017" on one case: each step its month."""
    load()
    for lifecycle in CaseLifecycle.objects.select_related("case"):
        steps = [step["date"] for step in lifecycle.steps()]
        assert steps == sorted(set(steps)), (lifecycle.case.slug, steps)
        assert len({(day.year, day.month) for day in steps}) == len(steps), lifecycle.case.slug
        assert steps[0] > lifecycle.case.launch_date


def test_xiao_fang_stays_as_iom_published_it():
    load()
    xiao_fang = SurvivorCasePage.objects.get(slug="xiao-fang")
    assert not xiao_fang.get_children().exists()
    assert not CaseLifecycle.objects.filter(case=xiao_fang).exists()


def test_a_second_run_adds_no_update():
    load()
    before = (CaseUpdate.objects.count(), CaseLifecycle.objects.count())
    load()
    assert (CaseUpdate.objects.count(), CaseLifecycle.objects.count()) == before


def test_the_funded_fictional_cases_show_the_gifts_that_funded_them(client):
    """Not "0.00 USD raised, 0 donors" on a completed case: fictional, anonymous gifts, one per
    funding item, that nobody is owed a receipt for; none for Xiao Fang."""
    load()
    for slug, donors, funded_in_days in (("vuthy", 5, 50), ("noy", 5, 56)):
        case = SurvivorCasePage.objects.get(slug=slug)
        funding = CaseFunding.objects.get(case=case)
        assert funding.raised == case.funding_target
        assert funding.donors == donors == case.funding_items.count()
        assert funding.funded_in_days == funded_in_days
        assert funding.fully_funded_at.date() == CaseLifecycle.objects.get(case=case).funded_on
        page = client.get(case.url).content.decode()
        assert f"Fully funded in {funded_in_days} days by {donors} donors" in page
    gifts = Donation.objects.all()
    assert {gift.status for gift in gifts} == {PaymentStatus.CONFIRMED}
    assert all(gift.anonymous and not gift.billing_email and gift.receipt_sent_at for gift in gifts)
    assert not owed().exists()
    assert call_command("send_receipts") is None
    assert mail.outbox == []
    xiao_fang = SurvivorCasePage.objects.get(slug="xiao-fang")
    assert not Donation.objects.filter(case=xiao_fang).exists()
    assert not CaseFunding.objects.filter(case=xiao_fang, raised__gt=0).exists()


def test_a_second_run_adds_no_gift():
    load()
    before = list(CaseFunding.objects.order_by("case_id").values_list("case_id", "raised", "donors"))
    count = Donation.objects.count()
    load()
    assert Donation.objects.count() == count
    assert list(CaseFunding.objects.order_by("case_id").values_list("case_id", "raised", "donors")) == before
