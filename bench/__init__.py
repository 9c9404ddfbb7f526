"""`make bench`: the production stack measured against floors measured in the same run.

`python -m bench` creates a PostgreSQL database and uses a Redis database number of its own,
serves the site with gunicorn under the production settings on loopback, measures figures
(a)–(g) of issue 5 next to their floors, writes build/bench.json and prints a table. Every
request loop is bounded in count and time, and only 127.0.0.1 is ever contacted.
"""
