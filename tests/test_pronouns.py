"""Each case says how to refer to its survivor; no page, e-mail or admin text assumes a gender."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from sixdegree_cases.donations.mail import send_receipt
from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.pronouns import Pronouns, phrase
from tests.donations.conftest import make_donation
from tests.factories import make_case_page

ROOT = Path(__file__).resolve().parent.parent
GENDERED = re.compile(r"\b(she|her|hers|herself|he|him|his|himself)\b", re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pronouns", "heading", "back"),
    [
        (Pronouns.SHE, "Support her", "Back to her story"),
        (Pronouns.HE, "Support him", "Back to his story"),
        (Pronouns.THEY, "Support them", "Back to their story"),
    ],
)
def test_pages_refer_to_the_survivor_as_the_case_says(client, case_index, pronouns, heading, back):
    case = make_case_page(case_index, pronouns=pronouns)
    assert heading in client.get(case.url).content.decode()
    donate = client.get(reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk})).content.decode()
    assert back in donate


@pytest.mark.django_db
def test_a_new_case_assumes_nothing(case_index):
    assert SurvivorCasePage().pronouns == Pronouns.THEY
    assert phrase(SurvivorCasePage(pronouns="xx"), "support") == "Support them"


@pytest.mark.django_db
def test_the_receipt_refers_to_the_survivor_as_the_case_says(case_index):
    case = make_case_page(case_index, pronouns=Pronouns.HE)
    donation = make_donation(case, anonymous=False, display_name="Ana")
    send_receipt(donation)
    body = mail.outbox[0].body
    assert "You chose to be listed among his supporters as “Ana”." in body


def _template_text(path):
    text = path.read_text()
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", text, flags=re.S)
    return re.sub(r"{#.*?#}", "", text, flags=re.S)


def test_no_template_assumes_a_gender():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for folder in ("templates", "sixdegree_cases", "home", "search")
        for path in (ROOT / folder).rglob("templates/**/*")
        if path.suffix in {".html", ".txt"}
        for match in GENDERED.finditer(_template_text(path))
    ]
    found += [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in GENDERED.finditer(_template_text(path))
    ]
    assert found == []


# Translatable strings of the code: _("…"), gettext("…"), pgettext_lazy("ctx", "…").
MESSAGE = re.compile(
    r"""\b(?:_|gettext(?:_lazy)?|ngettext|pgettext(?:_lazy)?)\(\s*(?:"[^"]*",\s*)?("(?:[^"\\]|\\.)*")"""
)


def test_no_message_of_the_code_assumes_a_gender():
    found = [
        f"{path.relative_to(ROOT)}: {message}"
        for folder in ("sixdegree_cases", "home", "search", "sixdegree_site")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and path.name != "pronouns.py"
        for message in MESSAGE.findall(path.read_text())
        if GENDERED.search(message)
    ]
    assert found == []
