"""`load_demo_content`: the demo tree, its cases, illustrations and admin user; run twice."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision, Site

from home.demo import loader
from home.demo.cases import CASES
from home.demo.illustrations import COLLECTION_NAME
from home.models import HomePage
from sixdegree_cases.geo.gazetteer import get_gazetteer
from sixdegree_cases.models import CaseIndexPage, FundingItem, SurvivorCasePage
from sixdegree_cases.privacy.models import ConsentRecord, SensitiveTerm
from sixdegree_cases.review.models import ReviewApproval
from sixdegree_cases.review.services import approve_and_publish

CASE_SLUGS = {"xiao-fang", "vuthy", "noy", "hla"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its illustrations in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def no_demo_env(monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)


def load(**options):
    """Run the command (DEBUG is off under pytest) and return what it printed."""
    stdout = io.StringIO()
    call_command("load_demo_content", force=True, stdout=stdout, **options)
    return stdout.getvalue()


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "collections": Collection.objects.count(),
        "users": get_user_model().objects.count(),
        "sites": Site.objects.count(),
        "funding items": FundingItem.objects.count(),
        "consent records": ConsentRecord.objects.count(),
        "sensitive terms": SensitiveTerm.objects.count(),
        "approvals": ReviewApproval.objects.count(),
    }


def stored_locations():
    """Every milestone location in the database: on the pages and in every revision."""
    stories = []
    for page in SurvivorCasePage.objects.all():
        stories.append(page.story.raw_data)
        for revision in page.revisions.all():
            story = revision.content["story"]
            stories.append(json.loads(story) if isinstance(story, str) else story)
    return [block["value"]["location"] for story in stories for block in story]


@pytest.mark.django_db
def test_builds_the_site_tree_with_four_live_cases():
    load(no_admin=True)

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.live
    assert home.get_parent().depth == 1
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    index = CaseIndexPage.objects.get(slug="cases")
    assert index.live
    assert index.get_parent().pk == home.pk
    assert index.intro
    cases = SurvivorCasePage.objects.child_of(index)
    assert set(cases.values_list("slug", flat=True)) == CASE_SLUGS
    assert all(case.live and case.first_published_at for case in cases)
    assert all(page.revisions.count() == 1 for page in [home, index, *cases])


@pytest.mark.django_db
def test_cases_go_live_with_consent_and_an_approval_of_their_live_revision():
    load(no_admin=True)

    for case in SurvivorCasePage.objects.all():
        assert ConsentRecord.objects.filter(case=case).current().exists()
        assert ReviewApproval.objects.filter(revision_id=case.live_revision_id).exists()


@pytest.mark.django_db
def test_xiao_fang_needs_1500_usd_in_four_categories():
    load(no_admin=True)

    case = SurvivorCasePage.objects.get(slug="xiao-fang")
    assert case.pseudonym == "Xiao Fang"
    assert (case.funding_target, case.currency) == (Decimal("1500.00"), "USD")
    items = list(case.funding_items.all())
    assert {item.category for item in items} == {
        "psychological_support",
        "vocational_training",
        "trafficking_resilience",
        "basic_necessities",
    }
    assert sum(item.amount for item in items) == Decimal("1500.00")
    precisions = {block.value["place_label"]: block.value["precision"] for block in case.story}
    assert precisions == {"West Kalimantan, Indonesia": "region", "Surabaya, Indonesia": "town"}


@pytest.mark.django_db
def test_every_case_passes_validation_and_adds_up():
    load(no_admin=True)

    for case in SurvivorCasePage.objects.all():
        case.full_clean()
        case.story.stream_block.clean(case.story)
        assert 4 <= len(case.story) <= 6
        assert sum(item.amount for item in case.funding_items.all()) == case.funding_target
        assert case.launch_date
        assert case.case_officer_reference
    fictional = SurvivorCasePage.objects.exclude(slug="xiao-fang")
    assert all("fictional" in case.summary for case in fictional)


@pytest.mark.django_db
def test_stories_follow_the_stages_in_order():
    load(no_admin=True)
    order = ["recruitment", "journey", "exploitation", "escape", "recovery", "dream"]

    for case in SurvivorCasePage.objects.all():
        stages = [order.index(block.value["stage"]) for block in case.story]
        assert stages == sorted(stages), case.slug


@pytest.mark.django_db
def test_every_stored_location_is_a_snapped_place():
    load(no_admin=True)
    gazetteer = get_gazetteer(50_000)
    input_points = {
        (value["location"]["lat"], value["location"]["lng"]) for case in CASES for value in case["story"]
    }

    locations = stored_locations()
    assert len(locations) > 2 * len(CASES)
    for location in locations:
        assert gazetteer.find(location["lat"], location["lng"]) is not None, location
        assert (location["lat"], location["lng"]) not in input_points


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    load()
    before = counts()
    modified = dict(Page.objects.values_list("pk", "last_published_at"))

    output = load()

    assert counts() == before
    assert dict(Page.objects.values_list("pk", "last_published_at")) == modified
    assert "0 created" in output


@pytest.mark.django_db
def test_foreign_pages_are_kept():
    root = Page.get_first_root_node()
    welcome = root.get_children().get(slug="home")
    welcome.title = "Our own site"
    # A host's own pages go live through the privacy review like every page of the tree.
    approve_and_publish(welcome.save_revision(), require_checks=False)
    about = welcome.add_child(instance=Page(title="About us", slug="about", live=False))

    output = load(no_admin=True)

    assert Page.objects.filter(pk__in=[welcome.pk, about.pk]).count() == 2
    home = HomePage.objects.get()
    assert home.slug == "sixdegree"
    # The default site still serves the page it served: the command only says so.
    assert Site.objects.get(is_default_site=True).root_page_id == welcome.pk
    assert "left as is" in output


@pytest.mark.django_db
def test_a_failed_run_leaves_nothing_behind(monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "get_or_create_case", broken)
    before = counts()

    with pytest.raises(RuntimeError):
        load(no_admin=True)

    assert counts() == before
    assert not list((settings.MEDIA_ROOT / "original_images").glob("*"))


@pytest.mark.django_db
def test_admin_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_USERNAME", "demo-lead")
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a-local-password-from-env")

    output = load()

    user = get_user_model().objects.get(username="demo-lead")
    assert user.is_superuser
    assert user.check_password("a-local-password-from-env")
    assert "a-local-password-from-env" not in output


def printed_password(output):
    return re.search(r"^ {4}(\S+)$", output, re.MULTILINE).group(1)


@pytest.mark.django_db
def test_admin_password_is_generated_and_shown_once(monkeypatch):
    password = printed_password(load())
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.check_password(password)
    assert len(password) >= 20
    assert password not in load()

    monkeypatch.setenv("DEMO_ADMIN_USERNAME", "second-admin")
    assert printed_password(load()) != password


@pytest.mark.django_db
def test_existing_admin_keeps_its_password(monkeypatch):
    get_user_model().objects.create_superuser("admin", "", "the-password-they-chose")
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "another-password")

    output = load()

    assert get_user_model().objects.get(username="admin").check_password("the-password-they-chose")
    assert "already present: admin user" in output


@pytest.mark.django_db
def test_no_admin_creates_no_user():
    load(no_admin=True)

    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_refuses_to_run_without_debug_unless_forced():
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo_content", stdout=io.StringIO())
    assert not HomePage.objects.exists()


@pytest.mark.django_db
def test_illustrations_are_drawings_without_metadata_or_telling_names():
    load(no_admin=True)

    images = get_image_model().objects.filter(collection__name=COLLECTION_NAME)
    assert images.count() == 4
    for image in images:
        name = image.file.name.removeprefix("original_images/")
        assert re.fullmatch(r"[a-z0-9]{16,}\.png", name), name
        assert not any(word in name for word in ("sunrise", "boat", "road", "sewing", "demo"))
        with image.open_file() as handle, PILImage.open(handle) as picture:
            assert picture.format == "PNG"
            assert not picture.getexif()
    used = [
        block.value["illustration"]
        for case in SurvivorCasePage.objects.all()
        for block in case.story
        if block.value["illustration"]
    ]
    assert {image.pk for image in used} == set(images.values_list("pk", flat=True))
    assert all(image.contextual_alt_text and not image.decorative for image in used)


@pytest.mark.django_db
def test_home_page_features_live_cases():
    load(no_admin=True)

    featured = HomePage.objects.get().get_featured_cases()
    # Vuthy's and Noy's cases are funded (and past): they no longer need anyone "now".
    assert [case.slug for case in featured] == ["xiao-fang", "hla"]
    assert all(case.live for case in featured)


@pytest.mark.django_db
def test_case_index_lists_the_four_cases():
    load(no_admin=True)

    cases = CaseIndexPage.objects.get(slug="cases").get_cases()
    assert [case.slug for case in cases] == ["hla", "noy", "vuthy", "xiao-fang"]


@pytest.mark.django_db
def test_the_home_page_and_the_case_index_go_live_through_recorded_approvals():
    load(no_admin=True)

    for page in (HomePage.objects.get(), CaseIndexPage.objects.get()):
        assert page.live
        assert ReviewApproval.objects.filter(page_id=page.pk, revision_id=page.live_revision_id).exists()
