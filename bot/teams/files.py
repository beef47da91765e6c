"""A file a person drops into their personal chat with the bot (a return's spreadsheet): with
`supportsFiles` in the app manifest, Teams stores it in the sender's OneDrive and the message carries
an attachment of type `application/vnd.microsoft.teams.file.download.info` whose `downloadUrl` is
pre-authorised for a short time. It is fetched here — only from SharePoint/OneDrive or the
activity's own service host, read no further than one byte past the limit — for the core."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import aiohttp

from bot.core.messages import Upload
from bot.teams.activities import ActivityJson
from data_access.return_files import MAX_BYTES

DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
FILE_HOSTS = (".sharepoint.com", ".sharepoint.us", ".sharepoint-mil.us", ".sharepoint.de")
TIMEOUT_SECONDS = 30
_BLOCK = 1 << 16


def attached_file(activity: ActivityJson) -> dict[str, Any] | None:
    """The first file attachment of a personal-chat message, or None."""
    for attachment in activity.get("attachments") or []:
        if isinstance(attachment, dict) and attachment.get("contentType") == DOWNLOAD_INFO:
            return attachment
    return None


async def fetch(activity: ActivityJson, attachment: dict[str, Any], limit: int = MAX_BYTES) -> Upload:
    """The attached file as the core's Upload: content None when it is past `limit` (the core then
    refuses it by its size) or could not be fetched (the core says so)."""
    name = str(attachment.get("name") or "file")
    url = str((attachment.get("content") or {}).get("downloadUrl") or "")
    if not _trusted(url, str(activity.get("serviceUrl") or "")):
        return Upload(name, 0)
    content = bytearray()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)) as session:
            async with session.get(url) as response:
                response.raise_for_status()
                if (response.content_length or 0) > limit:
                    return Upload(name, response.content_length or 0)
                async for block in response.content.iter_chunked(_BLOCK):
                    content += block
                    if len(content) > limit:
                        return Upload(name, len(content))
    except (aiohttp.ClientError, TimeoutError):
        return Upload(name, 0)
    return Upload(name, len(content), bytes(content))


def _trusted(url: str, service_url: str) -> bool:
    """True for https on SharePoint/OneDrive, or a URL on the activity's own service host."""
    parsed, service = urlparse(url), urlparse(service_url)
    if parsed.scheme == "https" and (parsed.hostname or "").endswith(FILE_HOSTS):
        return True
    return bool(parsed.hostname) and (parsed.hostname, parsed.port) == (service.hostname, service.port)
