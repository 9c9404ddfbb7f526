"""Build the Wagtail admin's POST data for a survivor case (as the editor's browser sends it)."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def milestone_form(
    stage="recruitment",
    title="Recruited",
    period="2009",
    location="SRID=4326;POINT(112.7 -7.3)",
    precision="town",
    place_label="",
):
    return (
        "milestone",
        {
            "stage": stage,
            "title": title,
            "period": period,
            "precision": precision,
            "place_label": place_label,
            "location": location,
            "narrative": rich_text(f"<p>{title}.</p>"),
            "illustration": {"image": "", "decorative": "", "alt_text": ""},
        },
    )


def case_form_data(milestones=None, items=None, **fields):
    """POST data for the add/edit case view; override any field with keyword arguments."""
    milestones = milestones if milestones is not None else [milestone_form(), milestone_form("escape")]
    items = (
        items if items is not None else [{"category": "shelter", "description": "Rent", "amount": "1500.00"}]
    )
    data = {
        "title": "Her story",
        "slug": "her-story",
        "pseudonym": "Mawar",
        "pronouns": "they",
        "age_group": "",
        "origin": "Indonesia",
        "summary": "A summary.",
        "story": streamfield(milestones),
        "dream": "A dream.",
        "funding_target": "1500.00",
        "currency": "USD",
        "funding_items": inline_formset(items),
        "case_officer_reference": "CO-1",
        "launch_date": "",
        "seo_title": "",
        "search_description": "",
    }
    data.update(fields)
    return nested_form_data(data)
