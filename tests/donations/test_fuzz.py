"""No 5xx on any input (issue 10, item 7): hypothesis over every form and endpoint a stranger
can reach on the giving side — the donate form, the giving API, the Stripe webhook (validly
signed, malformed bodies) and the donor account forms.

Every answer must be 2xx, 3xx or 4xx; a 4xx carries a message; a refused input leaves no row
behind (no orphan donation, no half-made account, no counted event). The run is bounded and
deterministic (`derandomize`, a fixed number of examples, no example database) so CI sees the
same inputs every time; each example runs in a savepoint that is rolled back, so examples do not
see each other's rows. The giving API has no OpenAPI schema, so its JSON is generated here.

Every 5xx this found has a plain regression test beside the code it fixed.
"""

import contextlib
import json
import uuid
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from payments import PaymentStatus

from sixdegree_cases.donations.models import CaseFunding, Donation, DonorAccount, ProviderEvent
from sixdegree_cases.donations.providers.stripe import HANDLED_EVENTS

from .conftest import checkout_event, make_donation, refund_event, sign
from .donor_helpers import EMAIL, PASSWORD, confirmed_donor

pytestmark = pytest.mark.django_db

FRONT = "https://front.example"
API = "/api/v2/donations/"

FUZZ = hypothesis_settings(
    max_examples=50,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


# The donate form renders ~250 countries per answer: fewer examples keep the module near 60 s.
FUZZ_PAGES = hypothesis_settings(FUZZ, max_examples=30)


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def example():
    """One example: rate-limit counters reset, every row it writes rolled back afterwards."""
    cache.clear()
    with contextlib.suppress(_Rollback), transaction.atomic():
        yield
        raise _Rollback


@pytest.fixture(autouse=True)
def _fuzz_settings(settings):
    # The limit answers 429 after a few tries: the fuzz must reach the code behind it.
    settings.SIXDEGREE_DONATION_RATE_LIMIT = 0
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]


# --- Strategies -----------------------------------------------------------------------------

# Text that has broken forms before: NUL, surrogates are impossible in str but bidi, emoji,
# very long runs, digits with separators, and the boundaries of the columns (254, 255, 500).
nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        ["", " ", "\x00", "\u202e", "0", "-1", "1e3", "NaN", "Infinity", "9" * 40, "25", "25.00"]
    ),
    st.integers(min_value=0, max_value=600).map(lambda n: "a" * n),
    st.integers(min_value=240, max_value=330).map(lambda n: "a" * (n - 12) + "@example.org"),
)
emails = st.one_of(
    st.emails(),
    st.integers(min_value=1, max_value=330).map(lambda n: "a" * n + "@example.org"),
    nasty_text,
)
amounts = st.one_of(
    st.decimals(min_value=-10, max_value=2000, places=2, allow_nan=False).map(str),
    st.sampled_from(["5", "25", "1500", "1500.01", "0.001", "1" * 30, "١٢", "²"]),
    nasty_text,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def mostly(valid, weird):
    """`valid` about four times in five: the fuzz must get past validation to reach what follows
    (hypothesis' `one_of` leans towards its first branches, and shrinks towards them)."""
    return st.integers(min_value=0, max_value=4).flatmap(lambda n: weird if n == 4 else valid)


def form_values(inner):
    """One value, several values for the same key (a list), or the key left out."""
    return st.one_of(inner, st.lists(inner, min_size=2, max_size=3))


def front_urls():
    """Return URLs on the allowed front-end, most around the 500 characters a donation stores
    (the token is appended), or anything else."""
    lengths = st.sampled_from([0, 10, 400, 440, 450, 460, 480, 500, 2000])
    return mostly(
        st.one_of(
            lengths.map(lambda n: f"{FRONT}/{'p' * n}"), lengths.map(lambda n: f"{FRONT}/?q={'%' * n}")
        ),
        st.one_of(
            st.sampled_from(
                ["", "javascript:alert(1)", "https://evil.example/x", f"{FRONT}:99999/", "//x", "http://[::1"]
            ),
            nasty_text,
        ),
    )


# --- Assertions -----------------------------------------------------------------------------


def assert_answered(response):
    event(f"answered {response.status_code}")  # --hypothesis-show-statistics shows how deep it got
    assert response.status_code < 500, (response.status_code, response.content[:500])
    if response.status_code >= 400:
        assert response.content.strip(), "a refusal must say why"
        if response.get("Content-Type", "").startswith("application/json"):
            body = json.loads(response.content)
            messages = body.get("errors") or body.get("error") or body.get("message")
            assert messages, body


def rows():
    return {
        "donations": Donation.objects.count(),
        "users": get_user_model().objects.count(),
        "accounts": DonorAccount.objects.count(),
        "events": ProviderEvent.objects.count(),
        "funding": list(CaseFunding.objects.order_by("pk").values_list("raised", "donors")),
    }


def assert_no_orphan_donations(case):
    """Every donation is whole: case, amount within bounds, the case's currency, return URLs."""
    for donation in Donation.objects.all():
        assert donation.case_id == case.pk
        assert Decimal("0") < donation.total <= case.funding_target
        assert donation.currency == case.currency
        assert donation.success_url, "a donation without its success URL"
        assert donation.failure_url, "a donation without its failure URL"
        assert len(donation.billing_email) <= 254


# --- The donate form ------------------------------------------------------------------------


@FUZZ_PAGES
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "amount",
                "amount_choice",
                "currency",
                "email",
                "anonymous",
                "display_name",
                "name_style",
                "show_country",
                "country",
                "csrfmiddlewaretoken",
            ]
        )
        | st.text(max_size=8),
        form_values(
            st.one_of(amounts, emails, nasty_text, st.sampled_from(["USD", "usd", "on", "other", "TH"]))
        ),
        max_size=9,
    ),
    case_id=mostly(st.none(), nasty_text),
    query=st.one_of(st.none(), nasty_text),
)
def test_the_donate_form_never_fails(client, case, fields, case_id, query):
    url_id = case.pk if case_id is None else (case_id.replace("/", "") or "x")
    url = f"/donations/cases/{url_id}/give/"
    with example():
        before = rows()
        assert_answered(client.get(url, {"amount": query} if query is not None else {}))
        response = client.post(url, fields)
        assert_answered(response)
        if response.status_code == 302:
            assert Donation.objects.count() == before["donations"] + 1
        else:
            assert rows() == before
        assert_no_orphan_donations(case)


@FUZZ_PAGES
@given(
    amount=mostly(st.sampled_from(["5", "25", "25.50", "1500"]), amounts),
    email=mostly(st.sampled_from(["h@example.org", "a" * 242 + "@example.org"]), emails),
    display_name=mostly(st.sampled_from(["", "Ann"]), form_values(nasty_text)),
    country=mostly(st.sampled_from(["", "TH"]), st.one_of(st.sampled_from(["th", "XX"]), nasty_text)),
)
def test_the_donate_form_near_valid_input(client, case, amount, email, display_name, country):
    """Mostly well-formed gifts, one field off: reaches the code past validation."""
    data = {
        "amount": amount,
        "currency": "USD",
        "email": email,
        "display_name": display_name,
        "country": country,
    }
    with example():
        before = rows()
        response = client.post(f"/donations/cases/{case.pk}/give/", data)
        assert_answered(response)
        if response.status_code != 302:
            assert rows() == before
        assert_no_orphan_donations(case)


# --- The giving API -------------------------------------------------------------------------


def api_payloads(case_pk):
    """A valid gift with up to three keys replaced by anything (or dropped), or any JSON value."""
    valid = st.fixed_dictionaries(
        {
            "case": st.just(case_pk),
            "amount": st.sampled_from(["5", "25", "25.50", 30, 1500]),
            "currency": st.just("USD"),
            "email": st.sampled_from(["h@example.org", "a" * 242 + "@example.org"]),
            "anonymous": st.booleans(),
            "display_name": st.sampled_from(["", "Ann", "A. B."]),
            "country": st.sampled_from(["TH", ""]),
            "success_url": front_urls(),
            "failure_url": front_urls(),
        }
    )
    keys = st.sampled_from(
        [
            "case",
            "amount",
            "currency",
            "email",
            "anonymous",
            "display_name",
            "name_style",
            "show_country",
            "country",
            "amount_choice",
            "success_url",
            "failure_url",
            "other",
        ]
    )
    changes = st.lists(st.tuples(keys, st.one_of(st.none(), json_values, nasty_text, amounts)), max_size=2)

    def apply(payload, changes):
        for key, value in changes:
            payload[key] = value
        return payload

    return mostly(st.builds(apply, valid, changes), json_values)


@FUZZ
@given(data=st.data())
def test_the_giving_api_never_fails(client, case, data):
    payload = data.draw(api_payloads(case.pk))
    body = data.draw(
        mostly(
            st.just(json.dumps(payload)),
            st.one_of(
                st.binary(max_size=200),
                # Deeply nested JSON once made the parser raise RecursionError.
                st.integers(min_value=1, max_value=200_000).map(lambda n: "[" * n + "]" * n),
                st.integers(min_value=1, max_value=200_000).map(lambda n: '{"a":' * n + "1" + "}" * n),
            ),
        )
    )
    origin = data.draw(
        mostly(st.just(FRONT), st.sampled_from([None, "https://evil.example", "null", "http://testserver"]))
    )
    content_type = data.draw(
        mostly(
            st.just("application/json"), st.sampled_from(["text/plain", "application/x-www-form-urlencoded"])
        )
    )
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    with example():
        before = rows()
        response = client.post(API, data=body, content_type=content_type, **headers)
        assert_answered(response)
        if response.status_code == 201:
            assert Donation.objects.count() == before["donations"] + 1
            donation = Donation.objects.get(token=response.json()["donation"])
            assert donation.status in (PaymentStatus.WAITING, PaymentStatus.INPUT)
        else:
            assert rows() == before
        for donation in Donation.objects.all():
            assert len(donation.success_url) <= 500
            assert len(donation.failure_url) <= 500


@FUZZ
@given(token=mostly(st.none(), st.one_of(st.uuids().map(str), nasty_text)))
def test_the_donation_status_api_never_fails(client, case, token):
    donation = make_donation(case, "50.00")
    token = str(donation.token) if token is None else token.replace("/", "")
    with example():
        assert_answered(client.get(f"{API}{token}/"))


# --- The Stripe webhook ---------------------------------------------------------------------


def mutated_event(donation):
    """A real event shape with any part replaced by any JSON value."""
    base = st.sampled_from([checkout_event(donation), refund_event(donation)])
    paths = st.sampled_from(
        [
            ("id",),
            ("type",),
            ("data",),
            ("data", "object"),
            ("data", "object", "client_reference_id"),
            ("data", "object", "metadata"),
            ("data", "object", "metadata", "sixdegree_donation"),
            ("data", "object", "currency"),
            ("data", "object", "amount_total"),
            ("data", "object", "amount"),
            ("data", "object", "amount_refunded"),
            ("data", "object", "payment_status"),
        ]
    )
    replacement = st.one_of(
        json_values,
        st.sampled_from(sorted(HANDLED_EVENTS)),
        st.just(str(donation.token)),
        st.just(str(uuid.uuid4())),
        st.just("not-a-uuid"),
    )

    def apply(event, changes):
        event = json.loads(json.dumps(event))
        for path, value in changes:
            target = event
            for key in path[:-1]:
                if not isinstance(target, dict):
                    break
                target = target.setdefault(key, {})
            if isinstance(target, dict):
                target[path[-1]] = value
        return event

    return st.builds(apply, base, st.lists(st.tuples(paths, replacement), max_size=3))


@FUZZ
@given(data=st.data())
def test_the_stripe_webhook_never_fails(client, case, stripe_variant, data):
    donation = make_donation(case, "50.00", variant=stripe_variant, billing_email="stripe-donor@example.org")
    body = data.draw(
        mostly(
            mutated_event(donation).map(json.dumps),
            st.one_of(
                json_values.map(json.dumps),
                st.binary(max_size=200).map(lambda raw: raw.decode("latin-1")),
                st.integers(min_value=1, max_value=200_000).map(lambda n: "[" * n + "]" * n),
            ),
        )
    )
    header = data.draw(mostly(st.none(), st.one_of(nasty_text, st.just("t=1,v1=00"))))
    path = data.draw(
        mostly(
            st.sampled_from(
                [
                    reverse("static_process_payment", kwargs={"variant": "stripe"}),
                    reverse("process_payment", kwargs={"token": donation.token}),
                ]
            ),
            st.sampled_from(
                [
                    reverse("static_process_payment", kwargs={"variant": "dummy"}),
                    reverse("static_process_payment", kwargs={"variant": "nope"}),
                ]
            ),
        )
    )
    signature = sign(body) if header is None else header
    with example():
        before = rows()
        status_before = Donation.objects.get(pk=donation.pk).status
        response = client.post(
            path,
            data=body.encode("utf-8", "surrogatepass"),
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature,
        )
        assert_answered(response)
        if response.status_code >= 300:
            assert rows() == before
            assert Donation.objects.get(pk=donation.pk).status == status_before


# --- Donor accounts -------------------------------------------------------------------------


credentials = st.fixed_dictionaries(
    {
        "email": mostly(
            st.sampled_from([EMAIL, "New@Example.org", "a" * 230 + "@example.org"]), form_values(emails)
        ),
        "password": mostly(st.just(PASSWORD), form_values(nasty_text)),
    }
)


@FUZZ
@given(fields=credentials, form=st.sampled_from(["register", "password_reset", "login"]), donor=st.booleans())
def test_the_account_forms_never_fail(client, fields, form, donor):
    if form == "login":
        fields = {"username": fields["email"], "password": fields["password"]}
    with example():
        if donor:
            confirmed_donor(client)
        before = rows()
        response = client.post(reverse(f"sixdegree_donations:{form}"), fields)
        assert_answered(response)
        after = rows()
        created = after["users"] - before["users"]
        assert created in (0, 1)
        # An account is whole: a user has its donor account (or neither was made).
        assert after["accounts"] - before["accounts"] == created
        assert after["donations"] == before["donations"]


@FUZZ
@given(
    token=st.one_of(nasty_text, st.just("eyJ1IjoxfQ:1abc:def")),
    fields=st.dictionaries(
        st.sampled_from(["new_password1", "new_password2", "password"]) | st.text(max_size=5),
        form_values(nasty_text),
        max_size=3,
    ),
    form=st.sampled_from(["confirm", "password_reset_confirm"]),
)
def test_the_account_links_never_fail(client, token, fields, form):
    token = token.replace("/", "") or "x"
    url = f"/donations/account/{'confirm' if form == 'confirm' else 'reset'}/{token}/"
    with example():
        before = rows()
        assert_answered(client.get(url))
        response = client.post(url, fields)
        assert_answered(response)
        assert rows() == before


@pytest.fixture
def signed_in_donor(client):
    user = confirmed_donor(client)
    client.post(reverse("sixdegree_donations:login"), {"username": EMAIL, "password": PASSWORD})
    return user


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["password"]) | st.text(max_size=5), form_values(nasty_text), max_size=2
    ),
)
def test_the_account_settings_never_fail(client, signed_in_donor, fields):
    with example():
        assert_answered(client.get(reverse("sixdegree_donations:account")))
        response = client.post(reverse("sixdegree_donations:delete_account"), fields)
        assert_answered(response)
        assert get_user_model().objects.filter(pk=signed_in_donor.pk).exists()


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["verification_result", "token"]) | st.text(max_size=5), nasty_text, max_size=2
    ),
    method=st.sampled_from(["get", "post"]),
)
def test_the_dummy_callback_never_fails(client, case, query, method):
    """Test mode's provider takes its outcome from the query string: anything there is answered."""
    donation = make_donation(case, "50.00")
    url = reverse("process_payment", kwargs={"token": donation.token})
    with example():
        response = getattr(client, method)(f"{url}?{urlencode(query)}")
        assert_answered(response)
        if Donation.objects.get(pk=donation.pk).status != PaymentStatus.CONFIRMED:
            assert CaseFunding.objects.filter(case=case, raised__gt=0).count() == 0
