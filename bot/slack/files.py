"""A file a person drops into the bot's direct messages (a return's spreadsheet), fetched with the bot
token (scope `files:read`) for the core. A file larger than the core takes is not fetched at all
(its size is in the event); a file whose size was not stated is read only up to one byte past the
limit. The token is sent only to Slack's file host (or the SLACK_API_URL host, for the local mock),
never to a URL elsewhere that an event might name."""
from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlparse

from slack_sdk import WebClient

from bot.core.messages import Upload
from data_access.return_files import MAX_BYTES

FILE_HOSTS = ("files.slack.com",)
_BLOCK = 1 << 16


class FileNotFetched(RuntimeError):
    """Slack would not hand over the file (deleted, no access, a host that is not Slack's)."""


def fetch(client: WebClient, described: dict[str, Any], limit: int = MAX_BYTES) -> Upload:
    """The file an event describes, as the core's Upload (content None when it is past `limit`)."""
    if not described.get("url_private_download") and not described.get("url_private") and described.get("id"):
        described = {**described, **(client.files_info(file=described["id"]).get("file") or {})}
    name = str(described.get("name") or described.get("title") or "file")
    size = int(described.get("size") or 0)
    if size > limit:
        return Upload(name, size)
    url = str(described.get("url_private_download") or described.get("url_private") or "")
    if not _slack_host(url, client.base_url):
        raise FileNotFetched(f"{name}: {url or 'no download address'} is not a Slack file address")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urllib.request.urlopen(request, timeout=client.timeout) as response:  # noqa: S310 — host checked
            content = bytearray()
            while block := response.read(_BLOCK):
                content += block
                if len(content) > limit:
                    return Upload(name, max(size, len(content)))
    except (urllib.error.URLError, OSError) as error:
        raise FileNotFetched(f"{name}: {error}") from error
    return Upload(name, len(content), bytes(content))


def _slack_host(url: str, api_url: str) -> bool:
    """True for https on Slack's file host, or any URL on the host the Web API client is pointed at."""
    parsed, api = urlparse(url), urlparse(api_url)
    return (parsed.scheme == "https" and parsed.hostname in FILE_HOSTS) or (
        bool(parsed.hostname) and (parsed.hostname, parsed.port) == (api.hostname, api.port)
        and api.hostname not in ("slack.com", "www.slack.com"))
