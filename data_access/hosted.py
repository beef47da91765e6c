"""Files and charts handed out by link (Teams fetches a chart or the report deck from the bot): kept
in the store under an unguessable token until they expire, so whichever process gets the request
can serve it, and a restart loses none. The scheduler removes expired ones."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Engine, delete

from data_access.database import session_factory
from data_access.models import HostedFile


def host(engine: Engine, content: bytes, name: str, media_type: str, now: datetime, expires: datetime) -> str:
    """Keep `content` until `expires`; returns its token."""
    token = secrets.token_urlsafe(18)
    with session_factory(engine).begin() as session:
        session.add(HostedFile(token=token, name=name, media_type=media_type, content=content, created_at=now,
                               expires_at=expires))
    return token


def hosted(engine: Engine, token: str) -> HostedFile | None:
    """The file kept under `token`, or None (never kept, or removed once expired)."""
    with session_factory(engine)() as session:
        return session.get(HostedFile, token)


def purge_hosted(engine: Engine, now: datetime) -> int:
    """Remove the files whose links have expired; returns how many."""
    with session_factory(engine).begin() as session:
        return session.execute(delete(HostedFile).where(HostedFile.expires_at < now)).rowcount
