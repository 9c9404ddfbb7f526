"""Updates in API v2 and the Atom feeds: allow-listed fields of live, public updates only."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from sixdegree_cases.updates.lifecycle import CaseStatus, set_case_status
from tests.factories import make_case_page

from .helpers import make_update, update_milestone

pytestmark = pytest.mark.django_db

UPDATE_KEYS = {"id", "meta", "title", "case", "period", "narrative", "illustration", "map_milestone"}
META_KEYS = {
    "type",
    "detail_url",
    "html_url",
    "slug",
    "first_published_at",
    "search_description",
    "parent",
    "locale",
}
ATOM = "{http://www.w3.org/2005/Atom}"
ENTRY_CHILDREN = {"title", "link", "published", "updated", "id", "summary"}


@pytest.fixture
def updates(case):
    live = make_update(case, milestone=update_milestone(), search_description="Qzsearchdesc")
    draft = make_update(case, publish=False, title="Qzdraftupdate", slug="draft-update")
    private = make_update(case, title="Qzprivateupdate", slug="private-update")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    return live, draft, private


def test_api_update_detail_has_exactly_the_allow_listed_keys(client, case, updates):
    live, _draft, _private = updates
    data = client.get(f"/api/v2/pages/{live.pk}/", {"fields": "*"}).json()
    assert set(data) == UPDATE_KEYS
    assert set(data["meta"]) == META_KEYS
    assert data["case"] == case.pk
    assert data["period"] == "March 2026"
    assert data["narrative"].startswith("<p>")
    assert data["map_milestone"]["title"] == "Her own sewing corner"
    assert set(data["map_milestone"]) == {
        "number",
        "stage",
        "stage_label",
        "title",
        "period",
        "precision",
        "place_label",
        "lat",
        "lng",
        "narrative",
        "illustration",
    }


def test_api_lists_live_public_updates_only(client, case, updates):
    response = client.get("/api/v2/pages/", {"type": "sixdegree_cases.CaseUpdate", "fields": "*"})
    items = response.json()["items"]
    assert [item["id"] for item in items] == [updates[0].pk]
    body = response.content.decode()
    assert "Qzdraftupdate" not in body
    assert "Qzprivateupdate" not in body
    for hidden in updates[1:]:
        assert client.get(f"/api/v2/pages/{hidden.pk}/").status_code == 404


def test_api_case_carries_its_lifecycle(client, case):
    set_case_status(case, CaseStatus.IN_PROGRESS)
    data = client.get(f"/api/v2/pages/{case.pk}/").json()
    assert data["lifecycle"]["status"] == "in_progress"
    assert [step["status"] for step in data["lifecycle"]["steps"]] == ["funded", "in_progress"]
    assert set(data["lifecycle"]["steps"][0]) == {"status", "label", "month", "month_label"}


def _entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the site's own feed, in a test
    return root.findall(f"{ATOM}entry")


@pytest.mark.parametrize("feed", ["case", "site"])
def test_feeds_carry_live_public_updates_with_allow_listed_fields_only(client, case, updates, feed):
    url = (
        reverse("sixdegree_cases:case_updates_feed", args=[case.pk])
        if feed == "case"
        else reverse("sixdegree_cases:updates_feed")
    )
    response = client.get(url)
    (entry,) = _entries(response)
    assert {child.tag.removeprefix(ATOM) for child in entry} <= ENTRY_CHILDREN
    assert entry.find(f"{ATOM}title").text == "Her own sewing corner (March 2026)"
    assert entry.find(f"{ATOM}link").get("href").endswith(f"{case.url}#update-{updates[0].pk}")
    body = response.content.decode()
    for hidden in ("Qzdraftupdate", "Qzprivateupdate", "Qzsearchdesc", "Case officer CO-17"):
        assert hidden not in body


def test_feeds_of_draft_private_or_missing_cases_answer_the_same_404(client, case_index):
    draft = make_case_page(case_index, publish=False, title="Draft", slug="draft")
    private = make_case_page(case_index, title="Private", slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    answers = [
        client.get(reverse("sixdegree_cases:case_updates_feed", args=[pk]))
        for pk in (draft.pk, private.pk, 99999)
    ]
    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1


def test_the_site_feed_leaves_out_updates_of_private_cases(client, case_index):
    from tests.privacy.helpers import record_consent

    private = make_case_page(case_index, title="Private", slug="private")
    record_consent(private)
    make_update(private, title="Qzupdateofprivate")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert "Qzupdateofprivate" not in client.get(reverse("sixdegree_cases:updates_feed")).content.decode()
