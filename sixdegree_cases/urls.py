"""URLs of the plugin. A host site includes them under its API prefix, e.g. `api/v2/`."""

from django.urls import path

from .api import docs, views
from .geo import views as geo_views
from .updates import feeds

app_name = "sixdegree_cases"

urlpatterns = [
    path("cases/<int:pk>/journey.geojson", views.journey, name="journey_geojson"),
    # What happened next, as Atom: per case and for the whole site.
    path("cases/<int:pk>/updates.atom", feeds.CaseUpdatesFeed(), name="case_updates_feed"),
    path("updates.atom", feeds.SiteUpdatesFeed(), name="updates_feed"),
    # The OpenAPI description of pages, journeys and giving, and a page that reads it.
    path("schema.json", docs.schema_json, name="openapi_schema"),
    path("docs/", docs.docs, name="api_docs"),
    # Names of regions and towns for the basemap (public geography only), one cell of a band of
    # zooms and a fixed grid at a time (geo/basemap.py).
    path(
        "basemap/labels/<int:band>/<int:x>/<int:y>.json",
        geo_views.basemap_label_cell,
        name="basemap_label_cell",
    ),
]
