"""The public shape of a story: milestones and the journey as GeoJSON.

The API, the GeoJSON endpoint and the story map template all read this one allow-list.
"""

from bs4 import BeautifulSoup

from .blocks import Stage, illustration_rendition
from .geo.points import InvalidLocation, parse_point


def plain_html(rich_text):
    """Rendered rich text without the editor's internals (Draftail's `data-block-key`)."""
    soup = BeautifulSoup(str(rich_text), "html.parser")
    for tag in soup.find_all(attrs={"data-block-key": True}):
        del tag["data-block-key"]
    return str(soup)


def milestone_dict(value, number):
    """One milestone block value as a dict holding public fields only."""
    try:
        point = parse_point(value["location"])
    except InvalidLocation:
        point = None
    return {
        "number": number,
        "stage": value["stage"],
        "stage_label": str(Stage.label_of(value["stage"])),
        "title": value["title"],
        "period": value["period"],
        # How coarse the stored place is: "town", "region" or "country".
        "precision": value["precision"],
        "place_label": value["place_label"],
        "lat": point.lat if point else None,
        "lng": point.lng if point else None,
        "narrative": plain_html(value["narrative"]),
        "illustration": illustration_rendition(value.get("illustration")),
    }


def milestones_for(page):
    """The page's milestones, in story order, as dicts holding public fields only."""
    return [
        milestone_dict(block.value, number)
        for number, block in enumerate(page.story, start=1)
        if block.block_type == "milestone"
    ]


def journey_geojson(page, milestones=None):
    """A FeatureCollection with one Point feature per located milestone, in story order."""
    features = []
    for milestone in page.milestones if milestones is None else milestones:
        if milestone["lat"] is None:
            continue
        properties = {k: v for k, v in milestone.items() if k not in ("lat", "lng")}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [milestone["lng"], milestone["lat"]]},
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "properties": {"case": page.pk, "pseudonym": page.pseudonym},
        "features": features,
    }
