"""The OpenAPI 3 description of the public API: pages, journeys and giving.

Written by hand from the allow-lists (`SurvivorCasePage.api_fields`, `journey.milestones_for`,
the giving API's `_public`), and checked against them: tests/api/ validates it as OpenAPI 3.1,
validates real answers against it, and fuzzes the read API from it. Served as JSON at
`schema.json`, with a plain HTML page at `docs/` that loads nothing from anywhere.
"""

import copy

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": "A decimal amount with two places."}
ERROR = {"$ref": "#/components/schemas/Error"}
STAGES = ["recruitment", "journey", "exploitation", "escape", "recovery", "dream"]


def _json(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description):
    return _json(ERROR, description)


PAGE_META = {
    "type": "object",
    "required": ["type", "detail_url"],
    "properties": {
        "type": {**STRING, "examples": ["sixdegree_cases.SurvivorCasePage"]},
        "detail_url": {"type": "string", "format": "uri"},
        "html_url": {"type": ["string", "null"], "format": "uri"},
        "slug": STRING,
        "first_published_at": {"type": ["string", "null"], "format": "date-time"},
        "search_description": STRING,
        "parent": {"type": ["object", "null"]},
        "locale": STRING,
    },
}

MILESTONE = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "number",
        "stage",
        "stage_label",
        "stage_icon",
        "title",
        "period",
        "precision",
        "place_label",
        "lat",
        "lng",
        "narrative",
        "illustration",
    ],
    "properties": {
        "number": {"type": "integer", "minimum": 1, "description": "Position in the story, from 1."},
        "stage": {"type": "string", "enum": STAGES},
        "stage_label": STRING,
        "stage_icon": {
            "type": ["string", "null"],
            "format": "uri",
            "description": "Absolute URL of an SVG icon.",
        },
        "title": STRING,
        "period": {**STRING, "description": 'An approximate period ("2009", "six years"), never a date.'},
        "precision": {
            "type": "string",
            "enum": ["town", "region", "country"],
            "description": "How coarse the place is: a town of at least 50,000 people, a region, a country.",
        },
        "place_label": STRING,
        "lat": {"type": ["number", "null"], "description": "Of the snapped place, never the point picked."},
        "lng": {"type": ["number", "null"]},
        "narrative": {**STRING, "description": "Plain HTML (paragraphs, emphasis, links)."},
        "illustration": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["url", "width", "height", "alt"],
                    "properties": {
                        "url": {
                            "type": "string",
                            "format": "uri",
                            "description": "Absolute URL of a rendition.",
                        },
                        "width": {"type": "integer"},
                        "height": {"type": "integer"},
                        "alt": STRING,
                    },
                },
            ]
        },
    },
}

FUNDING_ITEM = {
    "type": "object",
    "required": ["category", "category_label", "description", "amount"],
    "properties": {"category": STRING, "category_label": STRING, "description": STRING, "amount": MONEY},
}

CASE = {
    "type": "object",
    "description": "A live, public survivor case: these fields and nothing else (`fields=*`).",
    "required": ["id", "meta", "title"],
    "properties": {
        "id": {"type": "integer"},
        "meta": {"$ref": "#/components/schemas/PageMeta"},
        "title": STRING,
        "pseudonym": {**STRING, "description": "Never the survivor's name."},
        "summary": STRING,
        "origin": {**STRING, "description": "A country or region, never a town."},
        "dream": STRING,
        "age_group": {"type": "string", "enum": ["", "under_18", "18_24", "25_34", "35_44", "45_plus"]},
        "launch_date": {"type": ["string", "null"], "format": "date"},
        "lifecycle": {
            "type": "object",
            "description": "Fundraising, funded, in progress, completed: each step reached, by month.",
            "required": ["status", "status_label", "steps"],
            "additionalProperties": False,
            "properties": {
                "status": {"type": "string", "enum": ["fundraising", "funded", "in_progress", "completed"]},
                "status_label": {"type": "string"},
                "steps": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["status", "label", "month", "month_label"],
                        "additionalProperties": False,
                        "properties": {
                            "status": {"type": "string"},
                            "label": {"type": "string"},
                            "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                            "month_label": {"type": "string"},
                        },
                    },
                },
            },
        },
        "milestones": {"type": "array", "items": {"$ref": "#/components/schemas/Milestone"}},
        "funding_target": MONEY,
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "funding_items": {"type": "array", "items": {"$ref": "#/components/schemas/FundingItem"}},
        "raised": {"description": "Confirmed donations only."},
        "target": {},
        "percent": {},
        "donors": {"type": ["integer", "null"]},
        "status": NULLABLE_STRING,
        "funded_in_days": {"type": ["integer", "null"]},
        "accepts_gifts": {
            "type": "boolean",
            "description": "True while the case takes gifts: fundraising and not fully funded.",
        },
    },
}

JOURNEY = {
    "type": "object",
    "required": ["type", "properties", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "properties": {
            "type": "object",
            "required": ["case", "pseudonym"],
            "properties": {"case": {"type": "integer"}, "pseudonym": STRING},
        },
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "geometry": {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {
                            "type": {"const": "Point"},
                            "coordinates": {
                                "type": "array",
                                "items": {"type": "number"},
                                "minItems": 2,
                                "maxItems": 2,
                            },
                        },
                    },
                    "properties": {"type": "object", "description": "The milestone, less lat and lng."},
                },
            },
        },
    },
}

GIFT_REQUEST = {
    "type": "object",
    "required": ["case", "amount", "currency", "email"],
    "properties": {
        "case": {"type": "integer"},
        "amount": MONEY,
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "email": {"type": "string", "format": "email", "description": "For the receipt only; never shown."},
        "anonymous": {"type": "boolean", "default": True},
        "display_name": STRING,
        "name_style": STRING,
        "show_country": {"type": "boolean"},
        "country": STRING,
        "success_url": {"type": "string", "format": "uri", "description": "On an allowed front-end origin."},
        "failure_url": {"type": "string", "format": "uri"},
    },
}

DONATION = {
    "type": "object",
    "required": ["donation", "status", "amount", "currency", "case", "progress"],
    "properties": {
        "donation": {"type": "string", "format": "uuid"},
        "status": STRING,
        "amount": MONEY,
        "currency": STRING,
        "case": {"type": "integer"},
        "progress": {"type": "object"},
        "redirect_url": {"type": "string", "format": "uri", "description": "Where to send the donor next."},
    },
}

ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Sixdegree public API",
        "version": "2.0",
        "description": (
            "Live, public survivor cases, their journeys, and giving. Every field comes from an "
            'explicit allow-list; every error is JSON (`{"message": …}`, or `{"errors": …}` for '
            "giving). Images appear only as renditions inside milestones."
        ),
    },
    "paths": {
        "/api/v2/pages/": {
            "get": {
                "operationId": "listPages",
                "summary": "Live, public pages (cases with type=sixdegree_cases.SurvivorCasePage)",
                "parameters": [
                    {
                        "name": "type",
                        "in": "query",
                        "schema": {**STRING, "examples": ["sixdegree_cases.SurvivorCasePage"]},
                    },
                    {"name": "fields", "in": "query", "schema": {**STRING, "examples": ["*"]}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50},
                    },
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                    {"name": "order", "in": "query", "schema": STRING},
                    {"name": "search", "in": "query", "schema": STRING},
                    {"name": "slug", "in": "query", "schema": STRING},
                    {"name": "child_of", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["meta", "items"],
                            "properties": {
                                "meta": {
                                    "type": "object",
                                    "required": ["total_count"],
                                    "properties": {"total_count": {"type": "integer"}},
                                },
                                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}},
                            },
                        },
                        "A page of results.",
                    ),
                    "400": _error("A parameter is not understood."),
                    "404": _error("Nothing there."),
                },
            }
        },
        "/api/v2/pages/{id}/": {
            "get": {
                "operationId": "getPage",
                "summary": "One live, public page",
                "parameters": [ID, {"name": "fields", "in": "query", "schema": STRING}],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Case"}, "The page."),
                    "400": _error("A parameter is not understood."),
                    "404": _error("No live, public page with this id."),
                },
            }
        },
        "/api/v2/cases/{id}/journey.geojson": {
            "get": {
                "operationId": "getJourney",
                "summary": "A case's journey: one Point per milestone, in story order",
                "parameters": [ID],
                "responses": {
                    "200": {
                        "description": "A GeoJSON FeatureCollection.",
                        "content": {
                            "application/geo+json": {"schema": {"$ref": "#/components/schemas/Journey"}}
                        },
                    },
                    "404": _error("No live, public case with this id."),
                },
            }
        },
        "/api/v2/donations/": {
            "post": {
                "operationId": "startGift",
                "summary": "Start a gift to a case (from an allowed front-end origin)",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GiftRequest"}}},
                },
                "responses": {
                    "201": _json(
                        {"$ref": "#/components/schemas/Donation"}, "Started: send the donor to redirect_url."
                    ),
                    "4XX": _json(
                        {"$ref": "#/components/schemas/GivingErrors"}, "Refused; nothing was charged."
                    ),
                    "503": _json(
                        {"$ref": "#/components/schemas/GivingErrors"}, "The provider is unavailable."
                    ),
                },
            }
        },
        "/api/v2/donations/{token}/": {
            "get": {
                "operationId": "getGift",
                "summary": "A gift's state, for a thank-you page (no donor data)",
                "parameters": [
                    {
                        "name": "token",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    }
                ],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Donation"}, "The gift."),
                    "404": _error("No such gift."),
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Error": {"type": "object", "required": ["message"], "properties": {"message": STRING}},
            "GivingErrors": {
                "type": "object",
                "required": ["errors"],
                "properties": {
                    "errors": {"type": "object", "additionalProperties": {"type": "array", "items": STRING}}
                },
            },
            "PageMeta": PAGE_META,
            "Milestone": MILESTONE,
            "FundingItem": FUNDING_ITEM,
            "Case": CASE,
            "Journey": JOURNEY,
            "GiftRequest": GIFT_REQUEST,
            "Donation": DONATION,
        }
    },
}


def openapi_schema(base_url=""):
    """The schema, with this site's address as its server (absolute URLs from one setting)."""
    schema = copy.deepcopy(OPENAPI)
    if base_url:
        schema["servers"] = [{"url": base_url}]
    return schema
