"""The Slack channel: slack-bolt translating Slack payloads to core messages and core replies to
Block Kit and files. Entry points: `create_app(settings, core)` and `serve(settings, core)`."""
from bot.slack.app import create_app
from bot.slack.server import serve
from bot.slack.settings import SlackSettings

__all__ = ["SlackSettings", "create_app", "serve"]
