"""Work each gunicorn worker would otherwise do on its first requests, done once before it forks.

gunicorn loads the application in its master (`preload_app`) and forks the workers from it:
what is built here is shared by every worker. Nothing here may open a connection (a
connection made before the fork would be shared by the workers).

- Django's e-mail validator compiles its patterns on first use. The domain pattern is large:
  every thread that validated an address before it was compiled compiled it too, holding the
  GIL, so the first donation starts of each new worker stalled its page requests for a second
  or more (`make bench` (l), measured with py-spy on the workers).
"""

from django.core.validators import validate_email


def warm_up():
    """Compile now what the first requests of every worker would compile."""
    validate_email("warm.up@example.org")
