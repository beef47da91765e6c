"""The Microsoft Teams channel: Bot Framework activities in, core `Message`s; core replies out, as
Teams messages, Adaptive Cards and image attachments.

Entry points: `bot.teams.app.serve` / `create_app` (the web server), `bot.teams.proactive`
(`TeamsSender.send` for reminders and alerts) and `bot.teams.package.write_package` (the Teams app
zip). Every botbuilder import lives in this package, so moving to the Microsoft 365 Agents SDK
touches nothing else.
"""
