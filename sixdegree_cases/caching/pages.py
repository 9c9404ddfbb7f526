"""What a paginated page tells the page cache."""


def shown_page_number(request, number):
    """The page number a paginated page really showed: only a URL whose `?page=` names it is
    kept in the page cache (`?page=999` shown as the last page is rendered, never stored)."""
    pending = getattr(request, "_sixdegree_page_cache", None)
    if pending is not None:
        pending.page_number = number
