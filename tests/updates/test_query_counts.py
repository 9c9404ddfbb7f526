"""The timeline costs a fixed number of queries, however many updates a case has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.privacy.helpers import jpeg_bytes, landscape, upload_image

from .helpers import make_update, update_milestone

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.get(url)  # renditions are created on the first view
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_updates(case, count, start=0):
    for number in range(start, start + count):
        image = upload_image(jpeg_bytes(landscape()), title=f"Drawing {number}")
        make_update(
            case,
            title=f"Update {number}",
            slug=f"update-{number}",
            illustration=image,
            illustration_alt="A drawing",
            milestone=update_milestone(f"Stop {number}"),
        )


def test_case_page_queries_do_not_grow_with_updates(client, case, settings):
    settings.SIXDEGREE_PAGE_CACHE = False
    add_updates(case, 1)
    one = queries(client, case.url)
    add_updates(case, 4, start=1)
    five = queries(client, case.url)
    assert five == one, f"1 update: {one} queries, 5 updates: {five}"
