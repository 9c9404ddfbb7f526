"""`{% survivor_phrase case "support" %}`: a phrase in the form that fits the case's survivor."""

from django import template

from ..pronouns import phrase

register = template.Library()


@register.simple_tag
def survivor_phrase(case, key, **values):
    """The phrase `key` of `sixdegree_cases.pronouns.PHRASES` for `case`, with `values` filled in.

    Escaped like any other variable (autoescape decides): a donor's name passed as a value
    cannot inject markup.
    """
    text = str(phrase(case, key))
    return text % values if values else text
