"""The options of `perfbot demo` (and `python -m bot.web`), apart from the web server, so that every
other command's parser is built without loading it."""
from __future__ import annotations

import argparse
from datetime import date


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `perfbot demo` (and `python -m bot.web`): --host, --port, --today and --fresh."""
    parser.add_argument("--host", help="interface to listen on (default PERFBOT_WEB_HOST or 127.0.0.1; any other "
                                       "than loopback needs PERFBOT_WEB_AUTH_TOKEN)")
    parser.add_argument("--port", type=int, help="port (default PERFBOT_WEB_PORT or 8080; 0 picks a free one)")
    parser.add_argument("--today", type=date.fromisoformat,
                        help="start the demo clock on this date at 09:00 London (YYYY-MM-DD; default "
                             "PERFBOT_DEMO_TODAY, else the real date and time)")
    parser.add_argument("--fresh", action="store_true",
                        help="start again: forget every value submitted, notification and conversation, and "
                             "import the sample data afresh (refused on a database holding other data)")
