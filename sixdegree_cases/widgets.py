"""Form widgets of the public pages that must render fast.

Django renders every `<option>` of a `<select>` through two template includes: a list of the
world's countries costs 16 ms per page, a third of a case page's render. `LongSelect` writes
the same markup in Python.
"""

from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


@lru_cache(maxsize=64)
def _options(choices, selected):
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value in selected else "", label) for value, label in choices),
    )


class LongSelect(forms.Select):
    """A single-choice `<select>` with the markup of Django's, for lists of hundreds of options.

    The options' HTML is kept per list of choices and selection (a few per language).
    """

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        selected = frozenset(str(v) for v in context["value"])
        choices = tuple((str(option_value), str(label)) for option_value, label in self._flat_choices())
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(context["attrs"]), _options(choices, selected)
        )

    def _flat_choices(self):
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                yield from ((v, text) for v, text in label)
            else:
                yield ("" if option_value is None else option_value, label)
