"""A milestone whose location was never picked is refused with a clear message: the map
picker's default point (where the map opens) is not a location."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from sixdegree_cases.blocks import MilestoneBlock
from sixdegree_cases.models import SurvivorCasePage
from tests.admin_forms import case_form_data, milestone_form
from tests.factories import make_case_page, milestone

NEVER_PICKED = "never picked"


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("editor", "e@example.org", "pw"))
    return client


def default_point_ewkt(settings):
    default = settings.GEO_WIDGET_DEFAULT_LOCATION
    return f"SRID=4326;POINT({default['lng']} {default['lat']})"


def test_the_pickers_default_point_is_refused_by_the_block(settings):
    block = MilestoneBlock()
    value = block.to_python(milestone(location=default_point_ewkt(settings))[1])
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    assert NEVER_PICKED in str(error.value.block_errors["location"])


def test_an_admin_save_with_an_untouched_picker_is_refused(admin_client, case_index, settings):
    page = make_case_page(case_index, publish=False)
    revisions = page.revisions.count()
    untouched = milestone_form("escape", location=default_point_ewkt(settings))
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        case_form_data(milestones=[milestone_form(), untouched]),
    )
    assert response.status_code == 200
    assert NEVER_PICKED in response.content.decode()
    assert SurvivorCasePage.objects.get(pk=page.pk).revisions.count() == revisions


def test_a_point_next_to_the_default_is_a_location(settings):
    default = settings.GEO_WIDGET_DEFAULT_LOCATION
    block = MilestoneBlock()
    moved = {"lat": default["lat"] + 0.5, "lng": default["lng"] - 0.5}
    assert block.clean(block.to_python(milestone(location=moved)[1]))["place_label"]
