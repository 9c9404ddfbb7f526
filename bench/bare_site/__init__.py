"""The floor of figure (a): a bare Wagtail site, as `wagtail start` makes it, served like ours.

Its Python side is here (the apps `wagtail start` installs, a `HomePage` with no fields, the
welcome page at the root); its templates are rendered at run time from the installed Wagtail's
own project template (bench.run.render_bare_templates), so it always matches the installed
version. Production-like: DEBUG off, persistent connections, whitenoise, same PostgreSQL.
"""
