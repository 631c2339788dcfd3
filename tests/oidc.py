"""A real OpenID Connect provider for the sign-in tests, and the steps of a sign-in through it.

The provider is oidc-provider-mock (authlib underneath): it serves discovery, the authorize
page, tokens, signed ID tokens, userinfo and the end-session endpoint, and hands out whatever
claims a test registers for a subject -- including malformed ones such as
``email_verified: "false"``, which is the point. It runs in a thread of the test process.
"""

import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import requests

CLIENT_ID = "peertrain"
CLIENT_SECRET = "test-client-secret"
PROVIDER_ID = "oidc"
PROVIDER_NAME = "Company sign-in"
LOGIN_PATH = f"/accounts/oidc/{PROVIDER_ID}/login/"


@dataclass(frozen=True)
class OidcProvider:
    url: str

    def add_person(self, sub: str, **claims) -> None:
        """Register the claims the provider releases for ``sub`` (userinfo and ID token)."""
        response = requests.put(f"{self.url}/users/{quote(sub, safe='')}", json=claims, timeout=5)
        response.raise_for_status()

    def authorize(self, authorize_url: str, sub: str) -> str:
        """What the person does on the provider's page: sign in as ``sub`` and consent.
        Answers the redirect back to PeerTrain's callback."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]


@contextmanager
def running_provider():
    import oidc_provider_mock

    # authlib refuses plain HTTP unless told otherwise; the provider only listens on loopback.
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    with oidc_provider_mock.run_server_in_thread() as server:
        yield OidcProvider(url=f"http://localhost:{server.server_port}")


def provider_settings(server_url: str, **app_settings) -> dict:
    """SOCIALACCOUNT_PROVIDERS as peertrain/settings/base.py builds it from OIDC_* variables."""
    return {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": PROVIDER_NAME,
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": server_url, **app_settings},
                }
            ]
        }
    }


def closed_port_url() -> str:
    """An address where nothing listens: the provider is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def sso_sign_in(client, provider: OidcProvider, sub: str):
    """The whole round trip with Django's test client: PeerTrain's SSO button, the
    provider's page, and the callback (where PeerTrain fetches tokens and userinfo from the
    provider over real HTTP). Answers PeerTrain's response to the callback."""
    start = client.post(LOGIN_PATH)
    assert start.status_code == 302, start.content[:500]
    callback = urlsplit(provider.authorize(start["Location"], sub))
    return client.get(f"{callback.path}?{callback.query}")
