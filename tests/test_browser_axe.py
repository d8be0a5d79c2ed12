"""axe-core on every page type at 1280 and 390 px (issue 16): no serious or
critical violation (contrast, names of links, buttons and fields, landmarks).

axe-playwright-python injects the axe-core it bundles; one server and one
browser serve the module, one signed-out and one signed-in tab per width.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from site_tour import DESKTOP, PHONE, demo_site, log_in, tour

WIDTHS = {"390px": PHONE, "1280px": DESKTOP}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_site(tmp_path_factory.mktemp("axe")) as base:
        yield base


def findings(axe: Axe, tab: Page) -> list[str]:
    """The serious and critical violations on the page, one line per rule and node."""
    results = axe.run(tab)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"][:3]:
            lines.append(f"{violation['id']} ({violation['impact']}): {node['target']} "
                         f"{node.get('failureSummary', '')[:160]!r}")  # fmt: skip
    return lines


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_serious_accessibility_violation(browser: Browser, site: str, width: str) -> None:
    viewport = WIDTHS[width]
    axe = Axe()
    reader = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)  # type: ignore[arg-type]
    staff = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)  # type: ignore[arg-type]
    try:
        staff_paths = log_in(staff, site)
        found: dict[str, list[str]] = {}
        for context, paths in ((reader, tour(site)), (staff, staff_paths)):
            tab = context.new_page()
            for name, path in paths.items():
                response = tab.goto(site + path)
                assert response is not None and response.status == 200, path
                if lines := findings(axe, tab):
                    found[f"{name} {path}"] = lines
        assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(v) for page, v in found.items())
    finally:
        reader.close()
        staff.close()
