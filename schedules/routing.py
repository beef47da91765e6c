"""Who hears about a change of status, from the data: the indicator's owner, the director of its
service, the cabinet member whose portfolio it is, the leadership channels, the council's leader
(people with the `leader` role hear of every red at the council in their own chat, whether or not a
leadership channel is configured), and whoever subscribed to the indicator, its service or
portfolio — or, for a ward, whoever subscribed to that ward.
Each recipient once, with the reason they are told (the first that applies)."""
from __future__ import annotations

from dataclasses import dataclass, field

from data_access.store import Store
from schedules.subscriptions import INDICATOR, PORTFOLIO, SERVICE, WARD, Interest, subscriptions

OWNER, DIRECTOR, PORTFOLIO_HOLDER = "owner", "service director", "portfolio holder"
LEADERSHIP, LEADER, SUBSCRIBER = "leadership", "leader", "subscribed"
ACCOUNTABLE = (OWNER, DIRECTOR)


def _roles(text: str | None) -> set[str]:
    return {r.strip() for r in (text or "").split(";") if r.strip()}


@dataclass
class Routing:
    """Works out the recipients of alerts about each indicator and place (built once per sweep)."""

    store: Store
    council: str
    leadership_channels: tuple[str, ...] = ()
    interests: list[Interest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.directors: dict[str, list[str]] = {}
        self.cabinet: dict[str, list[str]] = {}
        self.leaders: list[str] = []
        self.names: dict[str, str] = {}
        for person in self.store.people():
            self.names[person.email] = person.name
            roles = _roles(person.roles)
            if "director" in roles and person.service:
                self.directors.setdefault(person.service, []).append(person.email)
            if "cabinet_member" in roles and person.portfolio:
                self.cabinet.setdefault(person.portfolio, []).append(person.email)
            if LEADER in roles:
                self.leaders.append(person.email)
        if not self.interests:
            self.interests = subscriptions(self.store)
        self._cache: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._owners = self.store.indicators["owner_email"].to_dict()

    def owner(self, indicator: str) -> str | None:
        """The indicator's owner's e-mail, if it has one."""
        owner = self._owners.get(indicator)
        return owner if isinstance(owner, str) and owner else None

    def recipients(self, indicator: str, place: str) -> list[tuple[str, str]]:
        """(recipient, why) for a change of `indicator` at `place`; a recipient is an e-mail or a
        chat channel such as 'slack:C0123'."""
        key = (indicator, place)
        if key not in self._cache:
            self._cache[key] = self._work_out(indicator, place)
        return self._cache[key]

    def _work_out(self, indicator: str, place: str) -> list[tuple[str, str]]:
        found: dict[str, str] = {}
        if place != self.council:
            for interest in self.interests:
                if interest.kind == WARD and interest.target == place:
                    found.setdefault(interest.email, SUBSCRIBER)
            return list(found.items())
        indicators = self.store.indicators
        service = indicators["service"].get(indicator)
        portfolio = indicators["portfolio"].get(indicator)
        owner = self.owner(indicator)
        if owner:
            found[owner] = OWNER
        for email in self.directors.get(service, []) if isinstance(service, str) else []:
            found.setdefault(email, DIRECTOR)
        for email in self.cabinet.get(portfolio, []) if isinstance(portfolio, str) else []:
            found.setdefault(email, PORTFOLIO_HOLDER)
        for channel in self.leadership_channels:
            found.setdefault(channel, LEADERSHIP)
        for email in self.leaders:
            found.setdefault(email, LEADER)
        for interest in self.interests:
            if ((interest.kind == INDICATOR and interest.target == indicator)
                    or (interest.kind == SERVICE and interest.target == service)
                    or (interest.kind == PORTFOLIO and interest.target == portfolio)):
                found.setdefault(interest.email, SUBSCRIBER)
        return list(found.items())
