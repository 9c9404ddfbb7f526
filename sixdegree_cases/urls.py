"""URLs of the plugin. A host site includes them under its API prefix, e.g. `api/v2/`."""

from django.urls import path

from .api import docs, views

app_name = "sixdegree_cases"

urlpatterns = [
    path("cases/<int:pk>/journey.geojson", views.journey, name="journey_geojson"),
    # The OpenAPI description of pages, journeys and giving, and a page that reads it.
    path("schema.json", docs.schema_json, name="openapi_schema"),
    path("docs/", docs.docs, name="api_docs"),
]
