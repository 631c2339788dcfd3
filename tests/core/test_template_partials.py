"""Pages share their template blocks instead of copying them: the "nothing was saved"
summary (``partials/_form_errors.html``), the level radio buttons
(``programmes/_level_radios.html``), the pager and the team picker. Each form page is
checked to draw the shared block, and the templates to hold no copy of any of them, so a
page that grew its own version again fails here."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from ..factories import SkillFactory

ROOT = Path(settings.BASE_DIR)

# (who, page, what they post) -> every one of them is refused as a form error
FORM_PAGES = {
    "trainer verifies a level": ("trainer", "/trainers/assess/", {"email": "x", "level": 9}),
    "lead assesses from the matrix": ("lead", "/skills/matrix/assess/", {"level": 9}),
    "L&D set a target": ("ld_staff", "/skills/targets/", {"team": "", "target_level": 9}),
    "trainer proposes a session": ("trainer", "/sessions/new/", {"title": ""}),
    "L&D create a programme": ("ld_staff", "/programmes/new/", {"title": ""}),
    "someone rates themselves": ("employee", "/skills/rate/", {"level": 9}),
}


def error_block(html: str) -> str:
    match = re.search(
        r'<div class="alert alert-danger" role="alert" data-testid="(?:form|rate)-errors">'
        r"(.*?)</div>",
        html,
        re.S,
    )
    assert match, "no 'nothing was saved' block on the page"
    return match.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("page", FORM_PAGES)
def test_every_form_page_says_nothing_was_saved_in_one_way(client, request, page, lead):
    who, url, data = FORM_PAGES[page]
    client.force_login(request.getfixturevalue(who))
    if who == "lead":
        data = data | {"member": lead.pk, "skill": SkillFactory().pk}

    response = client.post(url, data)

    assert 400 <= response.status_code < 500
    block = error_block(response.content.decode())
    assert block.strip().startswith('<p class="mb-1 fw-semibold">Nothing was saved:</p>')
    assert re.search(r"<li>[^<]*: [^<]+</li>", block), "each refused input is named with why"


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "url"), [("trainer", "/trainers/assess/"), ("lead", "assess")])
def test_both_assessment_pages_draw_the_same_level_radios(client, request, who, url, lead):
    client.force_login(request.getfixturevalue(who))
    if url == "assess":
        url = f"/skills/matrix/assess/?member={lead.pk}&skill={SkillFactory().pk}"

    html = client.get(url).content.decode()

    fieldset = re.search(
        r'<fieldset class="mb-3">\s*<legend[^>]*>Level</legend>.*?</fieldset>', html, re.S
    )
    assert fieldset
    radios = re.findall(
        r'<input class="form-check-input" type="radio" name="level" id="level-(\d)"',
        fieldset.group(0),
    )
    assert radios == ["0", "1", "2", "3", "4"]


def templates() -> list[Path]:
    found = sorted((ROOT / "templates").rglob("*.html"))
    for app in ("peertrain", "programmes", "trainers", "sessions", "portal"):
        found += sorted(p for p in (ROOT / app).rglob("*.html") if "templates" in p.parts)
    return found


@pytest.mark.parametrize(
    ("block", "pattern", "home"),
    [
        ("nothing was saved", r"{%\s*if form\.errors\s*%}", "templates/partials/_form_errors.html"),
        (
            "level radios",
            r'type="radio" name="level"',
            "programmes/templates/programmes/_level_radios.html",
        ),
        ("pager", r"page\.has_other_pages", "templates/partials/_pagination.html"),
        (
            "team picker",
            r'data-testid="team-picker"',
            "programmes/templates/programmes/_team_picker.html",
        ),
    ],
)
def test_shared_blocks_are_not_copied_into_pages(block, pattern, home):
    copies = [
        str(path.relative_to(ROOT))
        for path in templates()
        if re.search(pattern, path.read_text()) and path.relative_to(ROOT).as_posix() != home
    ]

    assert copies == [], f"the {block} block belongs in {home}; include it instead"
