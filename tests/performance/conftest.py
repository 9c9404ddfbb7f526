import pytest


@pytest.fixture
def count_queries(client):
    """GET `url` twice (the first creates renditions and fills caches); the second's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(context.captured_queries)

    return count


@pytest.fixture
def page_cache_on(settings):
    """The page cache on the local cache, with nothing kept in this process before or after."""
    from django.core.cache import cache as default_cache

    from sixdegree_cases.caching import process, sites
    from sixdegree_cases.caching.backends import get_page_cache

    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.DjangoCachePageCache",
        "TIMEOUT": 60,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage", "home.HomePage"],
        "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/"],
    }
    default_cache.clear()
    sites.clear()
    process.clear()
    yield get_page_cache()
    process.clear()
    sites.clear()
    default_cache.clear()
