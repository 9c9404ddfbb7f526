"""URLs of the plugin. A host site includes them under its API prefix, e.g. `api/v2/`."""

from django.urls import path

from .api import views

app_name = "sixdegree_cases"

urlpatterns = [
    path("cases/<int:pk>/journey.geojson", views.journey, name="journey_geojson"),
]
