"""No exact point at rest, anywhere: whatever path a picked point takes, only its snapped place
is stored. Each test sweeps the whole database (every text and JSON column of every table,
found by introspection), the cache and the media storage for the picked coordinates."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from wagtail.admin.models import FormState

from sixdegree_cases.geo.snapping import snap
from sixdegree_cases.models import SurvivorCasePage
from tests.admin_forms import case_form_data, milestone_form
from tests.factories import make_case_page, milestone

from .helpers import CANARIES, PICKED, PICKED_EWKT, at_rest, database_hits

ADDRESS = "12 Hang Bac street, behind the pagoda"


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def draft(case_index):
    return make_case_page(case_index, publish=False, slug="her-story")


def picked_story(precision="town"):
    return [
        milestone_form(location=PICKED_EWKT, precision=precision),
        milestone_form("escape", location=PICKED_EWKT, precision=precision),
    ]


def stored_story(page):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT story::text FROM sixdegree_cases_survivorcasepage WHERE page_ptr_id = %s", [page.pk]
        )
        return json.loads(cursor.fetchone()[0])


def test_the_sweep_finds_a_point_that_is_at_rest(draft):
    """The sweep itself can fail: a planted point is found where it was planted."""
    FormState.objects.bulk_create(  # bulk_create skips save() and its signals, as SQL would
        [
            FormState(
                data=f"story-0-value-location={PICKED_EWKT}",
                user=get_user_model().objects.create_user("someone"),
                content_type_id=draft.content_type_id,
                object_id=str(draft.pk),
                parent_object_id="",
                last_updated_at="2026-01-01T00:00:00Z",
            )
        ]
    )
    assert [hit[:2] for hit in database_hits()] == [("wagtailadmin_formstate", "data")]


def test_admin_preview_stores_only_snapped_points(admin_client, draft):
    response = admin_client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk]),
        case_form_data(milestones=picked_story()),
    )
    assert response.json()["is_valid"] is True
    state = FormState.objects.get()
    hanoi = snap(PICKED)
    assert f"POINT%28{hanoi.lng:.5f}+{hanoi.lat:.5f}%29" in state.data
    assert at_rest() == []


def test_admin_preview_keeps_the_precision_of_each_milestone(admin_client, draft):
    admin_client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk]),
        case_form_data(milestones=picked_story(precision="country")),
    )
    vietnam = snap(PICKED, "country")
    assert f"POINT%28{vietnam.lng:.5f}+{vietnam.lat:.5f}%29" in FormState.objects.get().data


def test_the_preview_still_renders_from_the_snapped_data(admin_client, draft):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk])
    admin_client.post(url, case_form_data(milestones=picked_story()))
    response = admin_client.get(url)
    assert response.status_code == 200
    assert snap(PICKED).label.split(",")[0] in response.content.decode()
    assert at_rest() == []


def test_preview_of_a_new_case_stores_only_snapped_points(admin_client, case_index):
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["sixdegree_cases", "survivorcasepage", case_index.pk]
    )
    response = admin_client.post(url, case_form_data(milestones=picked_story(precision="region")))
    assert response.json()["is_valid"] is True
    assert at_rest() == []


def test_a_point_inside_any_value_is_snapped_or_dropped():
    from sixdegree_cases.geo.previews import snap_form_data

    encoded = snap_form_data(
        f"blob=%7B%22at%22%3A+%22{PICKED_EWKT}%22%7D&bad=SRID%3D4326%3BPOINT%28999+999%29&title=Hi"
    )
    assert not any(canary in encoded for canary in CANARIES)
    assert "999" not in encoded
    assert "title=Hi" in encoded


def test_saving_in_the_admin_stores_only_snapped_points(admin_client, draft):
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        case_form_data(milestones=picked_story()),
    )
    assert response.status_code == 302
    assert at_rest() == []


def test_a_raw_json_story_is_normalised_to_the_blocks_keys_and_snapped(draft):
    raw = [
        {"type": "milestone", "id": "a", "value": {**milestone(location=PICKED)[1], "address": ADDRESS}},
        {"type": "milestone", "id": "b", "value": {**milestone("escape", location=PICKED)[1], "gps": PICKED}},
    ]
    draft.story = json.dumps(raw)
    draft.save()
    draft.save_revision()

    stored = stored_story(draft)
    hanoi = snap(PICKED)
    assert {child["id"] for child in stored} == {"a", "b"}
    for child in stored:
        assert set(child["value"]) == set(
            SurvivorCasePage.story.field.stream_block.child_blocks["milestone"].child_blocks
        )
        assert child["value"]["location"] == {"lat": hanoi.lat, "lng": hanoi.lng}
    assert at_rest() == []
    assert at_rest((ADDRESS,)) == []


def test_a_raw_story_given_as_a_list_is_normalised_too(draft):
    draft.story = [{"type": "milestone", "value": {**milestone(location=PICKED)[1], "address": ADDRESS}}] * 2
    draft.save()
    stored = stored_story(draft)
    assert all("address" not in child["value"] for child in stored)
    assert all(child["id"] for child in stored)
    assert at_rest() == []
    assert at_rest((ADDRESS,)) == []


def test_a_story_that_is_not_json_is_not_stored(draft):
    draft.story = f"She was held at {ADDRESS}, {PICKED_EWKT}"
    draft.save()
    assert stored_story(draft) == []
    assert at_rest() == []
    assert at_rest((ADDRESS,)) == []


def test_ids_stay_the_same_between_the_page_and_its_revision(draft):
    draft.story = json.dumps([{"type": "milestone", "value": milestone(location=PICKED)[1]}] * 2)
    draft.save()
    revision = draft.save_revision()
    ids = [child["id"] for child in stored_story(draft)]
    assert [child["id"] for child in json.loads(revision.content["story"])] == ids


def test_the_migration_snaps_previews_stored_before_it(draft):
    from importlib import import_module

    from django.apps import apps

    FormState.objects.bulk_create(
        [
            FormState(
                data=f"story-0-value-location={PICKED_EWKT}",
                user=get_user_model().objects.create_user("someone"),
                content_type_id=draft.content_type_id,
                object_id=str(draft.pk),
                parent_object_id="",
                last_updated_at="2026-01-01T00:00:00Z",
            )
        ]
    )
    migration = import_module("sixdegree_cases.migrations.0002_snap_points_in_preview_storage")
    migration.snap_stored_previews(apps, None)
    assert at_rest() == []


def test_a_raw_story_written_with_queryset_update_is_normalised(draft):
    raw = [
        {"type": "milestone", "id": "a", "value": {**milestone(location=PICKED)[1], "address": ADDRESS}}
    ] * 2
    SurvivorCasePage.objects.filter(pk=draft.pk).update(story=raw)
    assert all(
        set(child["value"]) >= {"location"} and "address" not in child["value"]
        for child in stored_story(draft)
    )
    assert at_rest() == []
    assert at_rest((ADDRESS,)) == []


def test_a_raw_story_loaded_from_a_fixture_is_normalised(draft):
    from django.core import serializers

    raw = [
        {"type": "milestone", "id": "a", "value": {**milestone(location=PICKED)[1], "address": ADDRESS}}
    ] * 2
    payload = json.dumps(
        [{"model": "sixdegree_cases.survivorcasepage", "pk": draft.pk, "fields": {"story": json.dumps(raw)}}]
    )
    for loaded in serializers.deserialize("json", payload):
        loaded.object.save_base(raw=True, update_fields=["story"])
    assert all("address" not in child["value"] for child in stored_story(draft))
    assert at_rest() == []
    assert at_rest((ADDRESS,)) == []


def test_no_path_leaves_the_picked_point_anywhere(admin_client, case_index):
    """Every way a point can come in, one after the other, then one sweep of everything."""
    from sixdegree_cases.review.services import approve_and_publish

    add_preview = reverse(
        "wagtailadmin_pages:preview_on_add", args=["sixdegree_cases", "survivorcasepage", case_index.pk]
    )
    admin_client.post(add_preview, case_form_data(milestones=picked_story("region")))
    created = admin_client.post(
        reverse("wagtailadmin_pages:add", args=["sixdegree_cases", "survivorcasepage", case_index.pk]),
        case_form_data(milestones=picked_story()),
    )
    assert created.status_code == 302
    page = SurvivorCasePage.objects.get(slug="her-story")
    admin_client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
        case_form_data(milestones=picked_story("country")),
    )
    page = SurvivorCasePage.objects.get(pk=page.pk)
    page.story = json.dumps(
        [{"type": "milestone", "value": {**milestone(location=PICKED)[1], "gps": PICKED}}] * 2
    )
    approve_and_publish(page.save_revision(), require_checks=False)
    assert SurvivorCasePage.objects.get(pk=page.pk).live
    admin_client.get(SurvivorCasePage.objects.get(pk=page.pk).url)

    assert at_rest() == []
