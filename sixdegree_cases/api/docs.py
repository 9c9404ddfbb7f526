"""The API's OpenAPI schema as JSON, and a plain HTML page describing it.

The page is the schema rendered by a template: no script, no stylesheet, nothing from another
host (a documentation viewer from a CDN would tell that host who reads the API docs).
"""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.api.utils import get_base_url

from .schema import openapi_schema

METHODS = ("get", "post", "put", "patch", "delete")


@require_safe
def schema_json(request):
    """GET schema.json: the OpenAPI 3.1 description, with this site as its server."""
    return JsonResponse(openapi_schema(get_base_url(request) or ""), json_dumps_params={"indent": 2})


@require_safe
def docs(request):
    """GET docs/: every operation with its parameters and answers, from the schema."""
    schema = openapi_schema(get_base_url(request) or "")
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "parameters": operation.get("parameters", []),
            "responses": [
                (code, answer.get("description", "")) for code, answer in operation["responses"].items()
            ],
        }
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    return TemplateResponse(
        request,
        "sixdegree_cases/api/docs.html",
        {"info": schema["info"], "servers": schema.get("servers", []), "operations": operations},
    )
