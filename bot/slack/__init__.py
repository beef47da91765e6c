"""The Slack channel: slack-bolt translating Slack payloads to core messages and core replies to
Block Kit and files. Entry points: `serve(settings, core)` runs it (`perfbot serve slack`),
`create_app(settings, core)` builds the bolt app, and `SlackSender(core, delivery_client(settings))`
delivers the dispatcher's notifications."""
from bot.slack.app import create_app, web_client
from bot.slack.sender import SlackSender, delivery_client
from bot.slack.server import serve
from bot.slack.settings import SlackSettings

__all__ = ["SlackSender", "SlackSettings", "create_app", "delivery_client", "serve", "web_client"]
