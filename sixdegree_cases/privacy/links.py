"""Rich-text links to pages render the target's URL only when the target is itself public.

A page's URL carries its slug, and a draft's or a restricted page's slug was never reviewed for
the public (it may be the survivor's real name). Wagtail's own handler renders any page's URL,
so a reviewed page linking to a draft would publish the draft's slug. A link to a page that is
not live, or sits behind a view restriction, renders as a bare `<a>` (its text only).
"""

from django.utils.html import escape
from wagtail.rich_text.pages import PageLinkHandler


def is_public(page):
    """Live, and no view restriction on the page or any of its ancestors."""
    return page.live and not page.get_view_restrictions().exists()


class PublicPageLinkHandler(PageLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        tags = []
        for page in cls.get_many(attrs_list):
            target = page.localized if page else None
            if target is None or not is_public(target):
                tags.append("<a>")
            else:
                tags.append(f'<a href="{escape(target.url)}">')
        return tags
