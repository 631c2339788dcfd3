"""axe-core (vendored beside this file) in the browser tests: loaded into every page of a
browser context, run on demand, its serious and critical findings returned."""

from pathlib import Path

from playwright.sync_api import BrowserContext, Page

AXE_CORE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
BLOCKING = {"serious", "critical"}
# Context options for pages axe checks: Bootstrap drops its .15 s colour transitions for
# reduced motion, so axe never measures a colour halfway through a fade (a control focused
# by autofocus as the page loads starts one).
STILL = {"reduced_motion": "reduce"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    where: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


def load_axe(context: BrowserContext) -> None:
    """An init script runs in every page before the page's own scripts, outside its CSP."""
    context.add_init_script(path=AXE_CORE)


def blocking_violations(page: Page) -> list[dict]:
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
