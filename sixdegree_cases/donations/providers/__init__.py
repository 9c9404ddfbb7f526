"""Payment provider glue. Providers are chosen by dotted path in `PAYMENT_VARIANTS`, as
django-payments does it: `payments.dummy.DummyProvider` for local runs, and
`sixdegree_cases.donations.providers.stripe.StripeProvider` for real money. A second provider
is one more class here and one more entry in the setting."""
