"""Every tab says which page it is, then the product: "My home · PeerTrain". The layout once
wrote "My homePeerTrain" on every page (its ``{% if self.title %}`` can't work in Django)."""

import html
import re

import pytest
from django.template import Context, Template

from peertrain.core.page_title import with_site_name

pytestmark = pytest.mark.django_db
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
NAV = re.compile(r'data-testid="main-nav">(.*?)</ul>', re.S)
PAGE_TITLE = re.compile(r"^(?P<page>\S(.*\S)?) · PeerTrain$")


def tab_title(response) -> str:
    return html.unescape(TITLE.search(response.content.decode()).group(1))


def nav_urls(response) -> list[str]:
    """The main pages a person can reach from the navigation (the admin has its own layout)."""
    nav = NAV.search(response.content.decode()).group(1)
    return [url for url in re.findall(r'href="([^"]+)"', nav) if not url.startswith("/admin/")]


@pytest.mark.parametrize("person", ["employee", "trainer", "lead", "ld_staff"])
def test_every_main_page_is_named_then_the_product(client, request, person, team):
    client.force_login(request.getfixturevalue(person))
    urls = nav_urls(client.get("/"))
    assert "/" in urls

    titles = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        titles[url] = tab_title(response)

    unnamed = {url: title for url, title in titles.items() if not PAGE_TITLE.match(title)}
    assert unnamed == {}
    assert titles["/"] == "My home · PeerTrain"
    assert all("PeerTrain" not in PAGE_TITLE.match(t)["page"] for t in titles.values())


def test_signed_out_and_error_pages_are_named_too(client, employee):
    assert tab_title(client.get("/accounts/login/")) == "Sign in · PeerTrain"
    client.force_login(employee)
    assert tab_title(client.get("/no-such-page/")) == "Not found · PeerTrain"


def test_a_name_with_markup_in_it_is_escaped_once(client, lead):
    lead.team.name = "R&D <Labs>"
    lead.team.save(update_fields=["name"])
    client.force_login(lead)

    page = client.get("/skills/matrix/").content.decode()

    assert "<title>Skills matrix · R&amp;D &lt;Labs&gt; · PeerTrain</title>" in page


def test_a_page_that_names_nothing_is_just_the_product():
    page = Template(
        "{% load page_title %}{% filter with_site_name %}  {% endfilter %}|"
        "{% filter with_site_name %}\n  Sessions\n{% endfilter %}"
    ).render(Context())

    assert page == "PeerTrain|Sessions · PeerTrain"
    assert with_site_name("<b>") == "&lt;b&gt; · PeerTrain"  # plain text is escaped
