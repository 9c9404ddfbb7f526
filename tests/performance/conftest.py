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
