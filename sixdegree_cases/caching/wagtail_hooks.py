from wagtail import hooks


@hooks.register("before_serve_page")
def remember_served_page(page, request, serve_args, serve_kwargs):
    """Tell the page cache which page this response shows (its tags and whether to store)."""
    pending = getattr(request, "_sixdegree_page_cache", None)
    if pending is not None:
        pending.page = page
