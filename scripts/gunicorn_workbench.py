"""
gunicorn settings for running the XBlock SDK workbench with several worker processes.

The workbench builds its scenarios lazily, in each process, on the first request: it
writes the scenario blocks to the database and numbers their usages in memory. Run by
many workers and threads at once, that first request races (duplicate scenario
errors, children rows deleted under another worker's feet). So the application is
loaded once in the master (``preload_app``), the scenarios are built there before any
worker is forked, and the master's database connection is closed so that no worker
inherits its socket. Usage: ``gunicorn -c scripts/gunicorn_workbench.py workbench.wsgi``.
"""
preload_app = True
control_socket_disable = True  # a throw-away server needs no control socket in $HOME


def when_ready(server):  # pylint: disable=unused-argument
    """In the master, after the app is loaded and before the workers start."""
    from django.db import connections  # pylint: disable=import-outside-toplevel
    from workbench.scenarios import get_scenarios  # pylint: disable=import-outside-toplevel

    get_scenarios()
    connections.close_all()
