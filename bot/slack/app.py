"""The slack-bolt app: `create_app(settings, core)` wires the channel together.

Every listener acknowledges on the request thread (bolt's process_before_response) and hands the
payload to a bounded worker pool, so Slack has its acknowledgement within milliseconds however slow
the core is. (bolt's lazy listeners do the same but deep-copy every request first, which costs
more than everything else in an acknowledgement put together.) Events over HTTP are acknowledged
even earlier, by the server, and dispatched on the pool (see server.py). Cross-cutting concerns are
bolt middleware: signature check, url_verification, and ignoring repeated deliveries; bolt's own
IgnoringSelfEvents drops the bot's own messages and the translators drop other bots'.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.middleware.url_verification import UrlVerification
from slack_sdk import WebClient
from slack_sdk.http_retry import BackoffRetryIntervalCalculator, RateLimitErrorRetryHandler, RetryHandler

from bot.core.ports import Core
from bot.slack.conversation import Conversations
from bot.slack.dedup import IgnoringRepeatedEvents
from bot.slack.events import form_submission, is_direct
from bot.slack.inbox import ACKNOWLEDGED_ON_A_WORKER, FROM_INBOX
from bot.slack.people import People
from bot.slack.posting import ConnectionErrorsExceptPosts, ServerErrorsExceptPosts
from bot.slack.render import CARD_ACTION_PREFIX, CHOICE_ACTION_PREFIX, FORM_FILL_ACTION, FORM_OPEN_ACTION, FORM_VIEW_PREFIX
from bot.slack.settings import SlackSettings
from bot.slack.verification import VerifyingSignatures
from data_access.conversations import DeliveryClaims

logger = logging.getLogger(__name__)

SLASH_COMMAND = "/perf"
ANSWERING_IN_DM = "I'll answer in our direct messages."
ACTIONS = re.compile(rf"^({re.escape(CHOICE_ACTION_PREFIX)}|{re.escape(CARD_ACTION_PREFIX)})\d+$")


def retry_handlers() -> list[RetryHandler]:
    """429 waits for Retry-After; 500/503 and dropped connections are retried with backoff, except
    a chat.postMessage, which may have posted: bot/slack/posting.py looks for it before posting again."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        ConnectionErrorsExceptPosts(max_retry_count=2, interval_calculator=backoff),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorsExceptPosts(max_retry_count=3, interval_calculator=backoff),
    ]


def web_client(settings: SlackSettings) -> WebClient:
    """The bot's Web API client, pointed at SLACK_API_URL when set, with SLACK_TIMEOUT_SECONDS and retries."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.base_url or WebClient.BASE_URL,
        timeout=settings.timeout,
        retry_handlers=retry_handlers(),
    )


def create_app(settings: SlackSettings, core: Core, *, executor: Executor | None = None,
               claims: DeliveryClaims | None = None) -> App:
    """A bolt App answering DMs, @mentions, /perf and button clicks through `core`.

    Calls auth.test once to learn the bot's own user id. `executor` runs the answers (default: a
    pool of `settings.workers` threads); pass one to drain it, as tests and the benchmark do.
    `claims` (the store's, when several processes answer one app) makes each delivery answered once.
    """
    client = web_client(settings)
    app = App(
        client=client,
        name="perfbot",
        logger=logging.getLogger("bot.slack.bolt"),
        signing_secret=settings.signing_secret or "",
        process_before_response=True,
        request_verification_enabled=False,
        url_verification_enabled=False,
    )
    app.use(VerifyingSignatures(settings.signing_secret))
    app.use(UrlVerification())
    app.use(IgnoringRepeatedEvents(claims=claims))
    app.use(IgnoringViewsWithoutAType())

    pool = executor or ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="perfbot-slack")
    conversations = Conversations(core, People(core, client, settings.team_ids), client)

    def acknowledge_then_answer(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        """Acknowledge on the request thread, then answer on the worker pool (or right here when the
        HTTP server already acknowledged and dispatched on a worker)."""
        ack(text=acknowledgement(body))
        if context.get(ACKNOWLEDGED_ON_A_WORKER):
            conversations.handle(body, context.bot_user_id, context.get(FROM_INBOX))
        else:
            pool.submit(conversations.handle, body, context.bot_user_id).add_done_callback(report_failure)

    app.event("app_mention")(acknowledge_then_answer)
    app.event("message")(acknowledge_then_answer)
    app.command(SLASH_COMMAND)(acknowledge_then_answer)
    app.action(ACTIONS)(acknowledge_then_answer)

    @app.action(FORM_OPEN_ACTION)
    def open_form(ack: Ack, body: dict[str, Any]) -> None:
        """Open the modal at once (the click's trigger id lasts 3 seconds), then acknowledge."""
        conversations.open_form(body)
        ack()

    @app.action(FORM_FILL_ACTION)
    def fill_form(ack: Ack, body: dict[str, Any]) -> None:
        """Acknowledge a changed select in a form modal, then fill in the fields it fills in."""
        ack()
        pool.submit(conversations.fill_form, body).add_done_callback(report_failure)

    @app.view(re.compile(f"^{re.escape(FORM_VIEW_PREFIX)}"))
    def submit_form(ack: Ack, body: dict[str, Any]) -> None:
        """Check the submitted form at once: errors keep the modal open with each message under its
        field; otherwise the modal closes and the answer is posted from the worker pool."""
        incoming = form_submission(body)
        if incoming is None:
            ack()
            return
        errors = conversations.form_errors(incoming)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        pool.submit(conversations.answer, incoming, "form").add_done_callback(report_failure)

    app.view(re.compile(".*"))(close_view)
    return app


def close_view(ack: Ack) -> None:
    """A view submission from a modal perfbot did not open (say, an old version's) is acknowledged,
    which closes it, and nothing else happens."""
    ack()


class IgnoringViewsWithoutAType(Middleware):
    """Acknowledges (200, nothing done) a view payload with no `view.type`: bolt's listener matching
    fails on one with a 500. Every view Slack sends has a type, so such a payload is no real view."""

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse:
        """Stop a typeless view here; let everything else through."""
        body = req.body or {}
        if body.get("type") in ("view_submission", "view_closed") and not (body.get("view") or {}).get("type"):
            return BoltResponse(status=200, body="")
        return next()


def acknowledgement(body: dict[str, Any]) -> str:
    """What the asker sees at once: for /perf outside direct messages, where the answer will be."""
    if "command" in body and not is_direct(body.get("channel_id", "")):
        return ANSWERING_IN_DM
    return ""


def report_failure(work: Future[Any]) -> None:
    """Done-callback for work handed to the pool: log what escaped it, with its traceback."""
    error = work.exception()
    if error is not None:
        logger.error("could not answer a Slack payload", exc_info=error)
