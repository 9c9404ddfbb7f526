from tests.donations.conftest import (  # noqa: F401 - the money attacks' fixtures
    _fresh_providers_and_cache,
    case,
    site_db,
    stripe_variant,
)
from tests.review.conftest import (  # noqa: F401
    fake_checks,
    officer,
    review_setup,
    reviewer,
    second_reviewer,
    staff,
    superuser,
)
