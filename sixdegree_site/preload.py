"""Work each gunicorn worker would otherwise do on its first requests, done once before it forks.

gunicorn loads the application in its master (`preload_app`) and forks the workers from it:
what is built here is shared by every worker. Nothing here may open a connection (a
connection made before the fork would be shared by the workers).

Each of these cost a new worker's first requests, in every thread that got there before it
was done (measured with py-spy on the workers during `make bench` (l) and (m)):

- Django's e-mail validator compiles its patterns on first use; the domain pattern is large.
  Compiled by several threads at once, holding the GIL, it stalled a new worker's pages for a
  second or more when its first donation starts came in.
- The template engines are built on first use, importing every template tag library; then
  the templates of a cached page's figures are read and compiled.
"""

from django.core.validators import validate_email
from django.template import engines
from django.template.loader import get_template

from sixdegree_cases.caching.holes import HOLE_TEMPLATES


def warm_up():
    """Build now what the first requests of every worker would build."""
    validate_email("warm.up@example.org")
    engines.all()
    for name in HOLE_TEMPLATES.values():
        get_template(name)
