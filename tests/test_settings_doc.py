"""Every setting in the registry is documented in the README's settings table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.config import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"| `{name}` |" in README
