"""``RUN_ADDRESS``: where `make run` and `make dev` serve, and what follows from it unless
set: the site's address in emails (``SITE_URL``) and the host names it answers to
(``ALLOWED_HOSTS``). The launcher binds to it; the settings read it, so every process `make
run` starts (the seeding step, the web server, the worker) agrees. No Django here: the
settings import it before Django is set up.
"""

import socket
from dataclasses import dataclass

DEFAULT_ADDRESS = "127.0.0.1:8000"
WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]"}  # noqa: S104 (recognised here, not bound to)


class AddressError(ValueError):
    pass


@dataclass(frozen=True)
class Address:
    host: str  # as gunicorn and runserver take it; an IPv6 address keeps its brackets
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def parse_address(raw: str) -> Address:
    """``host:port``, ``[ipv6]:port`` or a bare port (on 127.0.0.1)."""
    raw = raw.strip()
    host, _, port = raw.rpartition(":")
    if not host and raw.isdigit():
        host, port = "127.0.0.1", raw
    if not port.isdigit() or not 0 < int(port) < 65536 or not host or " " in host:
        raise AddressError(
            f"RUN_ADDRESS must be host:port (like {DEFAULT_ADDRESS}) or a port, not {raw!r}"
        )
    return Address(host, int(port))


def public_host(address: Address) -> str:
    """The name people reach a server on ``address`` by: its host, or for an address on
    every interface, this machine's name."""
    return socket.getfqdn() if address.host in WILDCARD_HOSTS else address.host


def site_url_for(address: Address) -> str:
    return f"http://{public_host(address)}:{address.port}"


def allowed_hosts_for(address: Address) -> list[str]:
    return list(dict.fromkeys(["127.0.0.1", "localhost", public_host(address)]))
