"""Settings read by the plugin, each with a safe default.

A host site overrides any of them in its Django settings; nothing here imports the host project.
"""

from django.conf import settings

DEFAULTS = {
    # Snapped locations are populated places of at least this many people.
    "SIXDEGREE_MIN_PLACE_POPULATION": 50_000,
    # A region or country marker is never closer than this (km) to a smaller place: it would
    # read as that place. Such a region is shown at its largest town, or as its country.
    "SIXDEGREE_PLACE_CLEARANCE_KM": 5,
    # Empty means the basemap is drawn from the site's own Natural Earth country shapes.
    "SIXDEGREE_TILE_URL": "",
    "SIXDEGREE_TILE_ATTRIBUTION": "",
    # Static paths (relative to STATIC_URL) of the map assets, served by the site itself. They
    # ship in the plugin's wheel (from the npm packages, scripts/vendor-assets.json).
    "SIXDEGREE_LEAFLET_JS": "sixdegree_cases/vendor/leaflet/leaflet.js",
    "SIXDEGREE_LEAFLET_CSS": "sixdegree_cases/vendor/leaflet/leaflet.css",
    "SIXDEGREE_TOPOJSON_JS": "sixdegree_cases/vendor/topojson-client/topojson-client.min.js",
    "SIXDEGREE_BASEMAP": "sixdegree_cases/vendor/world-atlas/countries-110m.json",
    # Path prefixes of the API: every answer there is JSON, errors included (api.errors).
    "SIXDEGREE_API_PATHS": ["/api/"],
    # Origins allowed to read the public API from a browser (CORS, through django-cors-headers):
    # a list of origins, or ["*"]; empty sends no CORS header (sixdegree_cases.api.cors).
    "SIXDEGREE_API_CORS_ORIGINS": [],
    # Cases listed per page of a case index.
    "SIXDEGREE_CASES_PER_PAGE": 12,
    # The privacy checks run on every revision submitted for review, by dotted path
    # (sixdegree_cases.privacy.checks); a deployment may add its own.
    "SIXDEGREE_PRIVACY_CHECKS": [
        "sixdegree_cases.privacy.checks.terms.SensitiveTermsCheck",
        "sixdegree_cases.privacy.checks.contacts.ContactDetailsCheck",
        "sixdegree_cases.privacy.checks.images.ImagesCheck",
        "sixdegree_cases.privacy.checks.locations.LocationsCheck",
        "sixdegree_cases.privacy.checks.consent.ConsentCheck",
        "sixdegree_cases.privacy.checks.funding.FundingCheck",
    ],
    # Page types (other than cases, which always are) that go live only through privacy review:
    # "__all__" or a list of "app_label.ModelName". Types left out still pass the blocking
    # privacy checks before they go live.
    "SIXDEGREE_REVIEWED_PAGE_TYPES": "__all__",
    # The face detector of the images check, by dotted path (a FaceDetector subclass in
    # sixdegree_cases.privacy.faces); its model must ship inside an installed package.
    "SIXDEGREE_FACE_DETECTOR": "sixdegree_cases.privacy.faces.yunet.YuNetFaceDetector",
    # Checks of the editor's text while it is written (privacy.drafts), per staff member and
    # minute; 0 lifts the limit. Typing sends one check a second at most.
    "SIXDEGREE_DRAFT_CHECK_RATE_LIMIT": 120,
    # Characters of text one such check may carry in all (its fields together); more is a 400.
    # The editor's script sends a long case in several checks below it.
    "SIXDEGREE_DRAFT_CHECK_MAX_CHARS": 200_000,
    # Donations (sixdegree_cases.donations). The PAYMENT_VARIANTS key new donations use;
    # empty means the first one.
    "SIXDEGREE_PAYMENT_VARIANT": "",
    # Smallest gift, in the case's currency.
    "SIXDEGREE_MIN_DONATION": "5",
    # Preset amounts offered by the donate form, per currency code, over the defaults in
    # sixdegree_cases.donations.presets (those above the remaining amount are hidden).
    "SIXDEGREE_PRESET_AMOUNTS": {},
    # Donation attempts per client and window (seconds), counted in the default cache.
    "SIXDEGREE_DONATION_RATE_LIMIT": 10,
    "SIXDEGREE_DONATION_RATE_WINDOW": 600,
    # Request header holding the client address set by a trusted proxy; "" uses REMOTE_ADDR.
    "SIXDEGREE_CLIENT_IP_HEADER": "",
    # Addresses or networks of the proxies whose forwarding headers are believed (the load
    # balancer, a reverse proxy on this host). Empty: no header is believed, from anyone.
    "SIXDEGREE_TRUSTED_PROXIES": [],
    # Trusted proxies that append their own address after the client's in that header.
    "SIXDEGREE_PROXY_COUNT": 0,
    # Seconds a link e-mailed to a donor (confirm the address, reset the password) works; each
    # works once. Short: a mailbox read later by someone else must not open the account.
    "SIXDEGREE_DONOR_LINK_MAX_AGE": 2 * 3600,
    # Update e-mails sent per batch (one SMTP connection and one transaction each).
    "SIXDEGREE_UPDATE_MAIL_BATCH": 50,
    # Headless front-ends allowed to start donations and to receive the donor back.
    "SIXDEGREE_DONATION_ALLOWED_ORIGINS": [],
    # Stripe signatures older than this many seconds are refused (replay protection).
    "SIXDEGREE_STRIPE_WEBHOOK_TOLERANCE": 300,
    # Seconds one request to Stripe may take, and how often a failed one is retried: a
    # stalled Stripe costs a donor at most (retries + 1) x timeout, never a worker for good.
    "SIXDEGREE_STRIPE_TIMEOUT": 5,
    "SIXDEGREE_STRIPE_RETRIES": 1,
    # Donation starts per process allowed to wait on Stripe at once; more are refused at once
    # so that page requests always find a free thread.
    "SIXDEGREE_STRIPE_CONCURRENCY": 2,
    # Stripe's API address; empty: Stripe's own. For stripe-mock on a staging server, or the
    # stalled provider of `make bench`.
    "SIXDEGREE_STRIPE_API_BASE": "",
    # Show the "test mode" banner and allow the dummy provider with DEBUG off.
    "SIXDEGREE_PAYMENTS_TEST_MODE": False,
    # Wrong passwords one client may try on one password-protected page (or document
    # collection) before it is locked out of that page for SIXDEGREE_PASSWORD_LOCKOUT_SECONDS;
    # and how many all clients together may try before the page locks for everyone.
    "SIXDEGREE_PASSWORD_GUESS_LIMIT": 5,
    "SIXDEGREE_PASSWORD_GUESS_PAGE_LIMIT": 100,
    "SIXDEGREE_PASSWORD_LOCKOUT_SECONDS": 900,
    # The full-page cache of anonymous page views (sixdegree_cases.caching): a dict with
    # BACKEND (dotted path) and its options, or None for no page cache.
    "SIXDEGREE_PAGE_CACHE": None,
}


def get_setting(name):
    """Return the Sixdegree setting `name`, falling back to its safe default."""
    return getattr(settings, name, DEFAULTS[name])
