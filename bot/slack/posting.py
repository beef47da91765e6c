"""Putting rendered replies into Slack: a message (chat.postMessage), a chart or document (files_upload_v2, the
three-step external upload), and the direct-message channel with a person (conversations.open).

A message is never re-posted blindly. Each carries a key in its Slack message metadata (the
caller's, or a fresh one for an ordinary answer); when a post fails in a way that may have posted
it anyway (a 5xx answer, a timeout, a dropped connection), the conversation (or thread) is looked
at for that key before trying again. The clients' retry handlers therefore leave chat.postMessage
alone (`ServerErrorsExceptPosts`, `ConnectionErrorsExceptPosts`); 429s still wait for Retry-After.
"""
from __future__ import annotations

import http.client
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.slack.render import Outgoing, Post

logger = logging.getLogger(__name__)
ANSWER_EVENT = "perfbot_answer"
CHECK_WAITS = (1.0, 3.0)  # seconds before each look in Slack after a call that may have taken effect
HISTORY_CHECKED = 100
T = TypeVar("T")


def direct_channel(client: WebClient, user_id: str) -> str:
    """The id of the direct-message channel between the bot and `user_id` (opened if need be)."""
    return str(client.conversations_open(users=user_id)["channel"]["id"])


def may_have_posted(error: Exception) -> bool:
    """True for failures after which the call may still have taken effect: a 5xx answer, a
    timeout, a dropped or refused connection."""
    if isinstance(error, SlackApiError):
        return error.response.status_code >= 500
    return isinstance(error, (OSError, http.client.HTTPException))


def checked(attempt: Callable[[], T], find: Callable[[], tuple[bool, T]], what: str) -> T:
    """`attempt()`; after a failure that may have taken effect, wait and `find()` (found, what
    it gave) in Slack, and try again only when it is not there."""
    for wait in (*CHECK_WAITS, None):
        try:
            return attempt()
        except Exception as error:
            if wait is None or not may_have_posted(error):
                raise
            logger.warning("%s: %s; checking Slack before trying again", what, type(error).__name__)
            time.sleep(wait)
            found, value = find()
            if found:
                return value
    raise AssertionError("unreachable")


def messages(client: WebClient, channel: str, thread_ts: str | None = None) -> list[dict[str, Any]]:
    """The recent messages of `channel` (or of the thread `thread_ts`), with their metadata."""
    if thread_ts:
        found = client.conversations_replies(channel=channel, ts=thread_ts, limit=HISTORY_CHECKED,
                                             include_all_metadata=True)
    else:
        found = client.conversations_history(channel=channel, limit=HISTORY_CHECKED, include_all_metadata=True)
    return list(found.get("messages") or [])


def send(client: WebClient, item: Outgoing, channel: str, thread_ts: str | None = None,
         metadata: dict[str, Any] | None = None) -> str | None:
    """Post one message or upload one chart into `channel` (in the thread, if any); the ts of a
    posted message, or None for an upload. `metadata` is Slack message metadata for a message
    (default: a fresh key), looked for before a post that may have gone through is tried again."""
    if isinstance(item, Post):
        metadata = metadata or {"event_type": ANSWER_EVENT, "event_payload": {"key": uuid.uuid4().hex}}

        def there() -> tuple[bool, str | None]:
            try:
                recent = messages(client, channel, thread_ts)
            except SlackApiError as error:  # e.g. no channels:history in a channel: post again rather than lose it
                logger.warning("could not look in %s for the post (%s)", channel, error.response.get("error"))
                return False, None
            ts = next((str(m["ts"]) for m in recent if m.get("metadata") == metadata), None)
            return ts is not None, ts

        return checked(lambda: str(client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=item.text,
                                                           blocks=list(item.blocks) or None,
                                                           metadata=metadata)["ts"]),
                       there, f"posting in {channel}")
    client.files_upload_v2(
        channel=channel,
        thread_ts=thread_ts,
        file=item.content,
        filename=item.filename,
        title=item.title,
        alt_txt=item.alt_text,
    )
    return None


def _not_a_post(request: HttpRequest) -> bool:
    return not request.url.rstrip("/").endswith("/chat.postMessage")


class ServerErrorsExceptPosts(ServerErrorRetryHandler):
    """Retries 500/503 answers, except of chat.postMessage (`send` checks before posting again)."""

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        return _not_a_post(request) and super()._can_retry(state=state, request=request, response=response,
                                                           error=error)


class ConnectionErrorsExceptPosts(ConnectionErrorRetryHandler):
    """Retries dropped connections, except of chat.postMessage (`send` checks before posting again)."""

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        return _not_a_post(request) and super()._can_retry(state=state, request=request, response=response,
                                                           error=error)
