"""The pages that tell donors who runs the site and how, and the organisation's details.

Plain data, like the cases. The text holds no e-mail address or phone number: those would stop
the privacy review (contact-details check). The Contact page shows the organisation settings.
"""

ORGANISATION = {
    "name": "Sixdegree",
    "registration": "Demonstration site: not a registered organisation, and it takes no real money.",
    "contact_email": "hello@sixdegree.example",
    "postal_address": "",
    "fees": (
        "Every gift goes to the survivor's plan. Card fees are paid by the organisation, "
        "not taken from your gift."
    ),
}

PAGES = [
    {
        "setting": "about_page",
        "title": "About",
        "slug": "about",
        "intro": (
            "Sixdegree connects people who want to help with survivors of human trafficking who "
            "are rebuilding their lives."
        ),
        "body": (
            "<p>Sixdegree is built on the idea behind IOM X's 6Degree: survivors tell their "
            "stories, in their own words and under a pseudonym, and donors fund a plan each "
            "survivor made with a case officer.</p>"
            "<h2>Who we work with</h2>"
            "<p>Every survivor on this site is supported by a case officer at a partner "
            "organisation. The case officer agrees the plan and the budget with the survivor, and "
            "makes sure the money reaches what it was given for.</p>"
            "<h2>What we will never do</h2>"
            "<ul><li>Show a survivor's real name, face or exact location.</li>"
            "<li>Pass messages between donors and survivors.</li>"
            "<li>Sell or share donors' details.</li></ul>"
        ),
    },
    {
        "setting": "how_it_works_page",
        "title": "How it works",
        "slug": "how-it-works",
        "intro": "How a story reaches this site, how it is checked, and where your gift goes.",
        "body": (
            "<h2>1. The survivor decides</h2>"
            "<p>Nothing is published without the survivor's consent, recorded by a case officer. "
            "The survivor can withdraw that consent at any time: the story then disappears from "
            "the site and from every copy we control, at once.</p>"
            "<h2>2. The story is written safely</h2>"
            "<p>Stories use a pseudonym. Places are shown only as a large town, a region or a "
            "country, never a village or an address, and the map never stores the exact point an "
            "editor picked. Photos are never of faces, and their hidden data is removed.</p>"
            "<h2>3. A second person reviews it</h2>"
            "<p>Before anything goes live, a privacy reviewer who did not write it checks the "
            "exact version that will be published. Automatic checks look for names, phone "
            "numbers, exact dates and other details that could identify someone, and stop the "
            "review until they are fixed.</p>"
            "<h2>4. You give to a plan</h2>"
            "<p>Each story shows what the survivor needs and what each part costs. Your gift is "
            "counted toward that total, and the donation form closes when it is reached.</p>"
        ),
    },
    {
        "setting": "privacy_page",
        "title": "Privacy policy",
        "slug": "privacy",
        "intro": "What we keep about survivors and donors, why, and for how long.",
        "body": (
            "<h2>Survivors</h2>"
            "<p>We hold a pseudonym, the story the survivor agreed to publish, and a record of "
            "that consent. We never hold a survivor's real name on this site.</p>"
            "<h2>Donors</h2>"
            "<p>We keep only what a payment and a receipt need: the amount, the date, and the "
            "e-mail address the receipt is sent to. You give anonymously unless you choose to be "
            "named, and then only as you choose (a first name or initials).</p>"
            "<h2>No tracking</h2>"
            "<p>This site loads nothing from any other website: no analytics, no advertising, no "
            "fonts and no map tiles from elsewhere. Share links open the other site only when you "
            "click them.</p>"
            "<h2>Your rights</h2>"
            "<p>You can delete your donor account at any time from its page. Donation records "
            "stay for accounting, without your name.</p>"
        ),
    },
    {
        "setting": "contact_page",
        "title": "Contact",
        "slug": "contact",
        "intro": "Questions about a gift, a story or this site: write to us.",
        "body": (
            "<p>We answer within a few working days. We cannot pass messages to survivors, and "
            "we will never tell anyone where a survivor lives.</p>"
        ),
        "show_contact_details": True,
    },
]
