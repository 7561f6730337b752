"""Wire the adapters once: settings -> store -> services. Tests call it with a fake clock or a test URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.settings import Settings
from checklists.services import Actor, ChecklistService
from checklists.store import Store, make_engine, require_migrated

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    store: Store
    service: ChecklistService
    clock: Clock


def bootstrap(settings: Settings, *, clock: Clock = system_clock, check_schema: bool = True) -> Container:
    engine = make_engine(settings.database.url)
    if check_schema:
        require_migrated(engine)
    store = Store(engine)
    service = ChecklistService(store, clock, settings.app.tz, blue_days=settings.app.blue_days)
    if check_schema and settings.directory:
        load_directory(service, settings.directory)
    return Container(settings, store, service, clock)


def load_directory(service: ChecklistService, mapping: dict[str, list[str]]) -> None:
    """Config entries are loaded at start; entries edited at run time stay (the config only adds)."""
    known = {name for name, _, _ in service.directory_entries()}
    for name, ids in mapping.items():
        if name not in known:
            service.set_directory(name, ids, Actor("config"))
