"""Domain events: a service records what happened once, and the audit row and the event are
the same call.

A lower app says what happened with ``event_record(code=…, actor=…, target=…, payload=…)``
inside its transaction; a higher app reacts by subscribing to the code (or to a prefix,
``"training.booking.*"``) in its ``AppConfig.ready()``, so the lower app never imports it.
Handlers run in the caller's transaction, in a defined order, and what they write commits or
rolls back with the change; anything that leaves the process (a Celery task, an email) still
goes through the outbox or ``transaction.on_commit``.

Every code is declared in its app's ``events.py`` (``declare(EventSpec(...))``), with the
shape of its payload and whether it writes an audit row; ``docs/events.md`` lists them all.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, Protocol

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules

from peertrain.accounts.models import User
from peertrain.core.errors import DomainError

from .models import AuditEvent

CODE = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*){2,}$")  # app.thing.happened
# ``audited=ON_BEHALF``: an audit row only when the actor acts for someone else, the person
# the payload's ``user`` names (a lead booking a member; one's own booking is its own record).
ON_BEHALF = "on behalf"


class PayloadShape(Protocol):
    """What the catalogue reads of a payload's TypedDict: its required and optional keys."""

    __required_keys__: ClassVar[frozenset[str]]
    __optional_keys__: ClassVar[frozenset[str]]


@dataclass(frozen=True)
class EventSpec:
    """One code in the catalogue: ``payload`` is a TypedDict (the keys every event of the
    code carries), ``audited`` True, False or ``ON_BEHALF``, ``doc`` what happened."""

    code: str
    payload: type[PayloadShape]
    audited: bool | str
    doc: str


@dataclass(frozen=True)
class Event:
    code: str
    actor: User | None
    target: models.Model | None
    payload: Mapping[str, Any]  # small and JSON-able; its shape is the code's EventSpec.payload


Handler = Callable[[Event], None]


class UndeclaredEvent(LookupError):
    """A code nobody declared: a typo, or a declaration missing from ``<app>/events.py``."""


class EventOutsideTransaction(RuntimeError):
    """``event_record`` outside ``transaction.atomic()``: handlers' writes would commit
    one by one, and a failing handler couldn't undo the change it reacts to."""


class EventHandlerFailed(DomainError):
    """A handler failed with something other than a DomainError (a bug): the whole action
    rolled back. People are told nothing was saved; ``code`` and ``handler`` say where."""

    status_code = 500

    def __init__(self, code: str, handler: Handler):
        self.code = code
        self.handler = f"{handler.__module__}.{getattr(handler, '__qualname__', handler)}"
        super().__init__(
            "Something went wrong on our side, so nothing was saved. Please try again."
        )

    def __str__(self) -> str:
        return f"Handler {self.handler} failed on {self.code}; the action was rolled back."


@dataclass(frozen=True)
class _Subscription:
    pattern: str
    handler: Handler
    order: int
    seq: int


_catalogue: dict[str, EventSpec] = {}
_subscriptions: list[_Subscription] = []
_handlers: dict[str, tuple[Handler, ...]] = {}  # per code, worked out on first dispatch
_discovered = False


def declare(*specs: EventSpec) -> None:
    """Add codes to the catalogue (from ``<app>/events.py``, imported at start-up)."""
    for spec in specs:
        if not CODE.match(spec.code):
            raise ImproperlyConfigured(f"{spec.code!r} is not a dotted app.thing.happened code.")
        if spec.audited not in (True, False, ON_BEHALF):
            raise ImproperlyConfigured(f"{spec.code}: audited is True, False or ON_BEHALF.")
        if _catalogue.get(spec.code, spec) != spec:
            raise ImproperlyConfigured(f"{spec.code} is declared twice, differently.")
        _catalogue[spec.code] = spec


def discover() -> None:
    """Import every installed app's ``events`` module once, so the catalogue is whole."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("events")


def catalogue() -> dict[str, EventSpec]:
    discover()
    return dict(_catalogue)


def matches(pattern: str, code: str) -> bool:
    """``pattern`` is a code, or a prefix ending in ``.*`` that takes every code below it."""
    if pattern.endswith(".*"):
        return code.startswith(pattern[:-1])
    return pattern == code


def subscribe(pattern: str, handler: Handler, *, order: int = 100) -> None:
    """Run ``handler(event)`` for every event matching ``pattern``: lower ``order`` first,
    then in the order of subscribing. Subscribing the same handler again changes nothing."""
    discover()
    if not any(matches(pattern, code) for code in _catalogue):
        raise ImproperlyConfigured(f"{pattern!r} matches no declared event code.")
    if any(s.pattern == pattern and s.handler == handler for s in _subscriptions):
        return
    _subscriptions.append(_Subscription(pattern, handler, order, len(_subscriptions)))
    _handlers.clear()


def unsubscribe(pattern: str, handler: Handler) -> None:
    """Undo ``subscribe`` (tests; an app never needs it)."""
    _subscriptions[:] = [
        s for s in _subscriptions if not (s.pattern == pattern and s.handler == handler)
    ]
    _handlers.clear()


def handlers_for(code: str) -> tuple[Handler, ...]:
    if code not in _handlers:
        found = sorted(
            (s for s in _subscriptions if matches(s.pattern, code)),
            key=lambda s: (s.order, s.seq),
        )
        _handlers[code] = tuple(s.handler for s in found)
    return _handlers[code]


def event_record(
    *,
    code: str,
    actor: User | None,
    target: models.Model | None = None,
    payload: Mapping[str, Any] | None = None,
) -> Event:
    """Say that ``code`` happened, inside the caller's ``transaction.atomic()``: write the
    audit row if the catalogue says so, then run the handlers subscribed to it. Costs no
    query for a code that isn't audited and that nobody listens to."""
    spec = _catalogue.get(code) or catalogue().get(code)
    if spec is None:
        raise UndeclaredEvent(f"{code!r} is not declared in any app's events.py.")
    payload = dict(payload or {})
    _check_payload(spec, payload)
    _check_in_transaction(code)
    event = Event(code=code, actor=actor, target=target, payload=MappingProxyType(payload))
    if spec.audited is True or (spec.audited == ON_BEHALF and _on_behalf(event)):
        _audit_row(event)
    for handler in handlers_for(code):
        try:
            handler(event)
        except DomainError:
            raise
        except Exception as exc:
            raise EventHandlerFailed(code, handler) from exc
    return event


def _check_payload(spec: EventSpec, payload: dict) -> None:
    required = spec.payload.__required_keys__
    allowed = required | spec.payload.__optional_keys__
    missing, unknown = required - payload.keys(), payload.keys() - allowed
    if missing or unknown:
        raise TypeError(
            f"{spec.code} payload: missing {sorted(missing)}, unknown {sorted(unknown)}."
        )


def _check_in_transaction(code: str) -> None:
    connection = transaction.get_connection()
    # A test case's own atomic blocks don't count: the code under test must open its own.
    if not any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        raise EventOutsideTransaction(f"{code} recorded outside transaction.atomic().")


def _on_behalf(event: Event) -> bool:
    return event.actor is not None and event.payload.get("user") != event.actor.pk


def _audit_row(event: Event) -> AuditEvent:
    row = AuditEvent(actor=event.actor, action=event.code, data=dict(event.payload))
    if event.target is not None:
        row.content_type = ContentType.objects.get_for_model(event.target)
        row.object_id = str(event.target.pk)
    row.save()
    return row
