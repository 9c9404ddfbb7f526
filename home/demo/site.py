"""The demo site's own pages: the home page and the case index, as plain data."""

SITE_NAME = "Sixdegree"

HOME = {
    "title": "Sixdegree",
    "slug": "home",
    "introduction": (
        "<p>Sixdegree connects you with survivors of human trafficking in South-East Asia who are "
        "rebuilding their lives. Each survivor chose to share their story, under a pseudonym, and "
        "every place in it is shown only as a town, a region or a country.</p>"
        "<p>What each survivor needs was worked out with a case officer, and every story shows "
        "exactly what your support pays for.</p>"
    ),
    "featured_heading": "Stories that need you now",
}

# Used when a page other than Wagtail's welcome page already holds the slug "home".
HOME_FALLBACK_SLUG = "sixdegree"

CASE_INDEX = {
    "title": "Cases",
    "slug": "cases",
    "intro": (
        "<p>These are the stories of survivors who are ready for their next step. Read how each "
        "journey unfolded, and see the plan each survivor made for what comes next.</p>"
    ),
}
