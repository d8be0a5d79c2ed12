"""An official document's abstract opens in its agency's voice, in the present tense
("The Treasury Department amends ..."); coverage of the act writes the past. The cues
in tracker/doc_cues.py read that voice (the titles here name no type)."""

from __future__ import annotations

import pytest

from tracker.doc_types import decide_doc_type


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The Treasury Department amends the CFIUS regulations to require filings.", "rule"),
        ("NIST, Department of Commerce, issues a final rule defining the transactions.", "rule"),
        ("The Food and Drug Administration proposes action levels for acrylamide.", "rule"),
        ("DoD issues an interim rule barring contractors from using covered models.", "rule"),
        (
            "The Antitrust Division of the Department of Justice gives notice that it has "
            "received a request.",
            "notice",
        ),
        (
            "The Office of Science and Technology Policy seeks comment on measures to protect "
            "model weights.",
            "notice",
        ),
        (
            "The Bureau of Industry and Security (BIS) amends the Export Administration "
            "Regulations to cover affiliates.",
            "export-control",
        ),
        (
            "The Department of Commerce rescinds the country-tier framework for advanced "
            "computing items.",
            "export-control",
        ),
    ],
)
def test_the_agencys_own_voice_types_the_document(text: str, kind: str) -> None:
    assert decide_doc_type("Provisions Pertaining to Certain Transactions", text) == kind
    # Strong enough to outweigh a news source's default, as the document's own forms are.
    assert decide_doc_type("Provisions", text, default_doc_type="news") == kind


@pytest.mark.parametrize(
    "text",
    [
        "The Treasury Department amended its rules on Tuesday, officials said.",
        "The Institute for AI Policy and Strategy proposes tiered security standards.",
        "A think tank's council proposes a framework for compute governance.",
        "Regulators will weigh whether the Commerce Department issues more licences.",
        "The Commerce Department announces $2 billion in awards to three chipmakers.",
    ],
)
def test_coverage_studies_and_announcements_are_not_read_as_the_act(text: str) -> None:
    assert decide_doc_type("Chip curbs widen", text, default_doc_type="news") == "news"
