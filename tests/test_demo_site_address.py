"""The demo site answers at WAGTAILADMIN_BASE_URL, so the API's links name the served address."""

from wagtail.models import Site

from home.demo.loader import Report, point_default_site
from tests.factories import make_case_page


def test_the_demo_site_follows_the_base_url(settings, home, case_index, client):
    settings.WAGTAILADMIN_BASE_URL = settings.WAGTAILAPI_BASE_URL = "http://127.0.0.1:8123"
    case = make_case_page(case_index)
    report = Report()
    point_default_site(home, report)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    assert any("127.0.0.1:8123" in note for note in report.notes)
    meta = client.get(f"/api/v2/pages/{case.pk}/", HTTP_HOST="127.0.0.1:8123").json()["meta"]
    assert meta["html_url"].startswith("http://127.0.0.1:8123/")
    assert meta["html_url"].endswith(f"/{case.slug}/")
    assert meta["detail_url"] == f"http://127.0.0.1:8123/api/v2/pages/{case.pk}/"


def test_a_second_run_with_the_same_address_changes_nothing(settings, home):
    settings.WAGTAILADMIN_BASE_URL = "https://cases.example.org"
    point_default_site(home, Report())
    report = Report()
    point_default_site(home, report)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("cases.example.org", 443)
    assert report.notes == []
