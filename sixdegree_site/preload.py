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
- The gazetteer (geo/gazetteer.py) is 155,000 places parsed from JSON: about 0.6 s of CPU and
  110 MB in every worker that snapped a point, served a cell of basemap names or checked a
  label. Built here with its region centres, the basemap's cells and the automatic labels,
  it is one copy shared by all workers. It is only an optimisation: a missing data file or
  a bad setting is logged and left to the first request, as it would be without preloading.

Last, `gc.freeze()` moves everything built so far out of the collector's reach: a worker's
collections no longer write to the objects it shares with its siblings, so the pages holding
them stay shared (copy-on-write) instead of being copied into each worker.
"""

import gc
import logging

from django.core.validators import validate_email
from django.template import engines
from django.template.loader import get_template

from sixdegree_cases.caching.holes import HOLE_TEMPLATES
from sixdegree_cases.geo import basemap, labels
from sixdegree_cases.geo.snapping import current_gazetteer

logger = logging.getLogger(__name__)


def warm_up():
    """Build now what the first requests of every worker would build."""
    validate_email("warm.up@example.org")
    engines.all()
    for name in HOLE_TEMPLATES.values():
        get_template(name)
    _load_gazetteer()
    gc.freeze()


def _load_gazetteer():
    """The gazetteer of this site's settings and what every worker builds from it."""
    try:
        gazetteer = current_gazetteer()
        gazetteer.find(0.0, 0.0)  # its region and country centres
        basemap.label_cell(basemap.BANDS[0].zoom, 0, 0)  # every cell of basemap names
        labels.is_automatic_label("")  # the labels the site fills in itself
    except Exception:  # the master must start; the first request will say why
        logger.exception("The gazetteer was not preloaded; each worker will load its own.")
