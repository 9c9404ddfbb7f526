"""Rich-text links render a page's URL (its slug) only when that page is itself public."""

from django.test import Client
from wagtail.models import PageViewRestriction

from sixdegree_cases.models import CaseIndexPage
from sixdegree_cases.review.guard import UnreviewedRevisionError
from sixdegree_cases.review.services import ApprovalRefused, approve_and_publish
from tests.factories import make_case_page
from tests.privacy.helpers import add_term


def publish_intro_linking(case_index, target):
    index = CaseIndexPage.objects.get(pk=case_index.pk)
    index.intro = f'<p>Read <a linktype="page" id="{target.pk}">her story</a> soon.</p>'
    try:
        approve_and_publish(index.save_revision(), require_checks=True)
    except (ApprovalRefused, UnreviewedRevisionError):
        return None  # held: the checks blocked the link
    index.refresh_from_db()
    response = Client().get(index.url, HTTP_HOST="localhost")
    assert response.status_code == 200
    return response.content.decode()


def test_an_index_intro_linking_a_draft_case_does_not_publish_the_drafts_slug(case_index):
    """Found by the red team: the draft's slug (the survivor's real name, never reviewed) was
    rendered into the public index through a rich-text link."""
    draft = make_case_page(case_index, publish=False, slug="siti-rahayu-desa-contoh", title="Draft")
    add_term(draft, "Siti Rahayu", kind="name")
    html = publish_intro_linking(case_index, draft)
    assert html is None or "siti-rahayu" not in html


def test_a_link_to_a_page_behind_a_view_restriction_does_not_render_its_url(case_index):
    """Found by the red team (same door): a restricted page's URL is no more public than a draft's."""
    hidden = make_case_page(case_index, slug="behind-a-password")
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="long-secret-9"
    )
    html = publish_intro_linking(case_index, hidden)
    assert html is None or "behind-a-password" not in html


def test_a_link_to_a_live_public_case_still_renders_its_url(case_index):
    public = make_case_page(case_index, slug="a-public-story")
    html = publish_intro_linking(case_index, public)
    assert html is not None
    assert 'href="/' in html
    assert "a-public-story" in html


def test_the_checks_of_a_page_read_the_slugs_of_the_pages_its_rich_text_links_to(case_index):
    """Found by the red team: the checks read only the link text, never the linked draft's slug."""
    from tests.privacy.helpers import findings_of

    draft = make_case_page(case_index, publish=False, slug="siti-rahayu-desa-contoh", title="Draft")
    add_term(draft, "Siti Rahayu", kind="name")
    index = CaseIndexPage.objects.get(pk=case_index.pk)
    index.intro = f'<p>Read <a linktype="page" id="{draft.pk}">her story</a> soon.</p>'
    findings = findings_of(index, "sensitive_terms")
    assert findings
    assert "link" in findings[0].where
