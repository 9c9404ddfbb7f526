from wagtail.models import Page


class HomePage(Page):
    """`wagtail start`'s home page: no fields, the welcome template."""
