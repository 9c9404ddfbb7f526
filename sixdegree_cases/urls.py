"""URLs of the plugin. A host site includes them under its API prefix, e.g. `api/v2/`."""

from django.urls import path

from .api import views
from .geo import views as geo_views

app_name = "sixdegree_cases"

urlpatterns = [
    path("cases/<int:pk>/journey.geojson", views.journey, name="journey_geojson"),
    path("basemap/labels.json", geo_views.basemap_labels, name="basemap_labels"),
]
