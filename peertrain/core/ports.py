"""Query ports: how a lower app gets an answer only a higher app can give.

Events carry news upwards (a higher app reacts to what a lower one did); a port carries a
question: "my gaps" (programmes) wants the upcoming sessions that teach a skill, and only
sessions, a higher app it must not import, knows them. The lower app declares the port in
its ``ports.py`` with an answer for when nobody provides one; the higher app provides the
answer in its ``AppConfig.ready()``; the lower app asks. One provider per port.
docs/events.md lists every port beside the events.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Port:
    name: str  # "<asking app>.<question>", e.g. "programmes.sessions_teaching"
    default: Callable[..., Any]  # the answer while no app provides one
    doc: str


_ports: dict[str, Port] = {}
_providers: dict[str, Callable[..., Any]] = {}
_discovered = False


def declare_port(name: str, *, default: Callable[..., Any], doc: str) -> Port:
    port = Port(name=name, default=default, doc=doc)
    if _ports.get(name, port) != port:
        raise ImproperlyConfigured(f"Port {name} is declared twice, differently.")
    _ports[name] = port
    return port


def ports() -> dict[str, Port]:
    """Every declared port (each installed app's ``ports`` module is imported once)."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("ports")
    return dict(_ports)


def _port(name: str | Port) -> Port:
    key = name.name if isinstance(name, Port) else name
    port = _ports.get(key) or ports().get(key)
    if port is None:
        raise ImproperlyConfigured(f"No app declares the port {key!r}.")
    return port


def provide(name: str | Port, provider: Callable[..., Any]) -> None:
    """Answer the port with ``provider`` (from the providing app's ``ready()``). Providing
    the same function again changes nothing; a second, different provider is refused."""
    port = _port(name)
    if _providers.setdefault(port.name, provider) != provider:
        raise ImproperlyConfigured(f"Port {port.name} is provided already.")


def withdraw(name: str | Port) -> None:
    """Undo ``provide`` (tests; an app never needs it)."""
    _providers.pop(_port(name).name, None)


def provider_of(name: str | Port) -> Callable[..., Any] | None:
    return _providers.get(_port(name).name)


def ask(name: str | Port, *args: Any, **kwargs: Any) -> Any:
    """The provider's answer, or the port's default while nobody provides one."""
    port = _port(name)
    return _providers.get(port.name, port.default)(*args, **kwargs)
