"""Issue #13: document types from a document's own forms, and a taxonomy that
tells the new names from their lookalikes, reads paraphrase, and vetoes only
near a match. The held-out figures of the evaluation sets are held in
test_tag_eval.py."""

from __future__ import annotations

import pytest

from tracker.doc_types import decide_doc_type
from tracker.tag import tag_item
from tracker.taxonomy import load_taxonomy, name_variants


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture
def tags(taxonomy):
    def tags(title: str, text: str = "") -> set[str]:
        result = tag_item(title, text, taxonomy)
        return set(result.topics + result.entities)

    return tags


# What each document says it is, in its own words (title, opening, expected).
FORMS = [
    ("A Proclamation on Veterans Day, 2025", "On Veterans Day, our Nation pauses to honor.", "proclamation"),
    ("National Small Business Week, 2026", "NOW, THEREFORE, I, DONALD J. TRUMP, President of the United States of America, do hereby proclaim May 3 through May 9.", "proclamation"),
    ("Promoting Advanced Artificial Intelligence Innovation and Security", "By the authority vested in me as President by the Constitution and the laws of the United States of America, it is hereby ordered: Section 1.", "executive-order"),
    ("Memorandum for the Secretary of Commerce", "By the authority vested in me as President, I hereby direct the following:", "memo"),
    ("Continuation of the National Emergency With Respect to Significant Malicious Cyber-Enabled Activities", "This notice shall be published in the Federal Register.", "notice"),
    ("Safety Zone; Potomac River, Washington, DC", "AGENCY: Coast Guard, DHS. ACTION: Temporary final rule.", "rule"),
    ("Framework for Artificial Intelligence Diffusion", "AGENCY: Bureau of Industry and Security, Commerce. ACTION: Interim final rule.", "export-control"),
    ("Full Committee Hearing — Export Controls and the Race for AI", "Date: Thursday, June 25, 2026 Time: 10:00 AM Location: Dirksen Senate Office Building 538", "hearing"),
    ("Anthropic to Chairman Scott and Ranking Member Warren", "Dear Chairman Scott and Ranking Member Warren: We write to inform the Committee.", "letter"),
    ("Chip Security Act", "A BILL To require export-controlled integrated circuits to be equipped with location verification.", "bill"),
    ("Export Controls: Commerce Should Improve Its Monitoring of Chip Licenses", "What GAO Found. The Bureau of Industry and Security has not consistently conducted end-use checks.", "report"),
    ("Treasury Sanctions Network Procuring Chips for Iranian Drones", "WASHINGTON — Today, the Department of the Treasury's Office of Foreign Assets Control (OFAC) sanctioned six entities.", "press-release"),
    # Coverage of a document is news, not the document.
    ("Trump signs order to block state AI laws", "WASHINGTON (Reuters) - President Donald Trump signed an executive order on Thursday.", "news"),
    ("White House issues proclamation raising tariffs on chips", "President Donald Trump on Friday issued a proclamation imposing tariffs, the White House said.", "news"),
    ("Senators grill BIS chief at hearing on chip smuggling", "Senators from both parties pressed the head of the bureau on Thursday.", "news"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "text", "expected"), FORMS)
def test_a_document_is_typed_by_its_own_forms(title, text, expected):
    assert decide_doc_type(title, text) == expected


def test_strong_forms_outweigh_the_sources_default():
    notice = "The Senate Committee on Banking, Housing, and Urban Affairs will meet in open session on Wednesday, July 8, 2026 at 10:00 a.m. in Room 538 of the Dirksen Senate Office Building to conduct a hearing."  # fmt: skip
    assert (
        decide_doc_type("Protecting American AI", notice, default_doc_type="press-release")
        == "hearing"
    )
    # With nothing to go on, the source's type stands.
    assert decide_doc_type("Warren, Scott Request Information", "", default_doc_type="press-release") == "press-release"  # fmt: skip
    # A White House feed that defaults to memo still gives an order its type.
    order = "By the authority vested in me as President, it is hereby ordered:"
    assert decide_doc_type("Restoring the United States Department of War", order, default_doc_type="memo") == "executive-order"  # fmt: skip


@pytest.mark.parametrize(
    ("hint", "agencies", "expected"),
    [
        ("executive-order", (), "executive-order"),
        ("proclamation", (), "proclamation"),
        ("notice", (), "notice"),
        ("notice", ("Industry and Security Bureau",), "export-control"),
        ("rule", ("Foreign Assets Control Office",), "rule"),
    ],
)
def test_the_formats_own_type_comes_first(hint, agencies, expected):
    assert (
        decide_doc_type("Anything at all", "", format_doc_type=hint, agencies=agencies) == expected
    )


NAMES = [
    ("minimax", "MiniMax raises funds", ""),
    ("minimax", "", "Anthropic named DeepSeek, Moonshot and MINIMAX."),
    ("minimax", "Mini Max ran 13 million exchanges", ""),
    ("zhipu", "", "Zhipu released GLM-4.5 under an open licence."),
    ("zhipu", "Z.ai files for listing", ""),
    ("bytedance", "", "TikTok's owner ByteDance plans to spend more."),
    ("bytedance", "Byte Dance buys chips", ""),
    ("deepseek", "DEEPSEEK LAUNCH DELAYED", ""),
    ("deepseek", "Deep Seek hires chip engineers", ""),
    ("baidu", "", "Baidu unveiled ERNIE 5."),
    ("tencent", "", "The WeChat owner invested."),
    ("xai", "", "xAI trained Grok on Colossus."),
    ("amazon", "", "Amazon Web Services will host the model."),
    ("amd", "", "Advanced Micro Devices won a licence for MI308 sales."),
    ("intel", "Intel to cut jobs", ""),
    ("smic", "", "SMIC makes Kirin processors."),
    ("tsmc", "", "Taiwan Semiconductor Manufacturing Co reported record profit."),
    ("state-department", "", "The State Department sent a cable to all posts."),
    ("treasury-department", "", "The Treasury Department weighs penalties."),
    ("ofac", "", "The Office of Foreign Assets Control designated four firms."),
    ("caisi", "", "The Center for AI Standards and Innovation evaluated the model."),
    ("ostp", "", "OSTP asked for comments."),
    ("house-foreign-affairs-committee", "House Foreign Affairs Committee advances bill", ""),
    (
        "house-select-committee-on-china",
        "",
        "The House Select Committee on the CCP issued a report.",
    ),
    ("house-homeland-security-committee", "", "The House Committee on Homeland Security met."),
    ("senate-commerce-committee", "Senate Commerce Committee votes", ""),
    (
        "senate-armed-services-committee",
        "",
        "The Senate Armed Services Committee marked up the NDAA.",
    ),
    ("michael-kratsios", "", "Michael Kratsios signed the memorandum."),
    ("bill-huizenga", "", "Rep. Bill Huizenga introduced the bill."),
    ("john-moolenaar", "", "Chairman Moolenaar spoke."),
    ("bill-hagerty", "", "Sen. Bill Hagerty offered an amendment."),
    ("andy-kim", "", "Sen. Andy Kim co-sponsored it."),
    ("andrew-garbarino", "", "Chairman Andrew Garbarino opened the probe."),
    ("frontier-model-forum", "", "Labs share indicators through the Frontier Model Forum."),
    ("cset", "", "CSET counted the graduates."),
    ("cnas", "", "The Center for a New American Security published a report."),
    ("itif", "", "ITIF urged Congress to act."),
]


@pytest.mark.parametrize(("slug", "title", "text"), NAMES)
def test_new_names_and_their_forms_are_tagged(tags, slug, title, text):
    assert slug in tags(title, text)


def test_a_child_implies_its_parents(tags):
    assert {"caisi", "nist", "commerce-department"} <= tags("", "CAISI tested the model.")
    assert {"ofac", "treasury-department"} <= tags("", "OFAC acted.")
    assert {"ostp", "white-house"} <= tags("", "OSTP acted.")


LOOKALIKES = [
    ("Minimax regret: a decision rule for uncertain AI risks", "A classic minimax approach.", {"minimax"}),
    ("Generalized linear models explained", "A GLM relates a predictor to the mean.", {"zhipu"}),
    ("Ernie Els wins senior major", "", {"baidu"}),
    ("Explainable AI (XAI) methods for credit scoring", "", {"xai"}),
    ("Grok the basics: a beginner's guide to tax brackets", "", {"xai"}),
    ("Amazon rainforest fires hit record", "Blazes in Brazil's Amazon rose.", {"amazon"}),
    ("New drug slows AMD progression", "Patients with age-related macular degeneration.", {"amd"}),
    ("Military intel shows build-up", "Intel gathered by satellites suggests troops are massing.", {"intel"}),
    ("Taiwan Semiconductor Industry Association elects chair", "", {"tsmc"}),
    ("Georgia Secretary of State certifies results", "", {"state-department"}),
    ("New York State Department of Health issues guidance", "", {"state-department"}),
    ("10-year Treasury yields climb", "HM Treasury published a plan.", {"treasury-department"}),
    ("UK AI Security Institute tests Claude", "Formerly the AI Safety Institute.", {"caisi"}),
    ("UK Foreign Affairs Committee questions minister", "MPs pressed the Foreign Office.", {"house-foreign-affairs-committee"}),
    ("House Energy and Commerce Committee releases draft", "", {"senate-commerce-committee", "commerce-department"}),
    ("House Armed Services Committee marks up defense bill", "", {"senate-armed-services-committee"}),
    ("Senate Homeland Security and Governmental Affairs Committee meets", "", {"house-homeland-security-committee"}),
    ("Wayne Huizenga's Dolphins legacy", "", {"bill-huizenga"}),
    ("Hagerty insurance expands classic car coverage", "", {"bill-hagerty"}),
    ("Kim Jong Un oversees missile test", "", {"andy-kim"}),
    ("Rep. Young Kim urges sanctions", "", {"andy-kim"}),
    ("State Department boosts Foreign Military Financing", "The FMF will buy air defences.", {"frontier-model-forum"}),
    ("CSET exam pass rates fall for California teachers", "", {"cset"}),
    ("Hospitals struggle to hire CNAs", "China National Accreditation Service (CNAS) certifies labs.", {"cnas"}),
    ("BIS Innovation Hub tests AI for bank supervision", "", {"bis", "commerce-department"}),
    ("Warren Davidson questions Fed on digital dollar", "Rep. Warren Davidson (R-Ohio) spoke.", {"elizabeth-warren"}),
    ("NCAA hits program with sanctions", "The university lost two scholarships.", {"sanctions"}),
    ("Judge sanctions lawyers for AI citations", "", {"sanctions"}),
    ("Weight-loss drugs reshape food industry", "", {"model-weights"}),
    ("How to compute your tax refund", "", {"compute"}),
    ("Mondelez raises prices on Chips Ahoy cookies", "", {"semiconductors", "chips-act"}),
    ("Chip Security Act clears committee", "", {"chips-act"}),
    ("Outbound flights from Heathrow disrupted", "", {"foreign-investment"}),
    ("Employees push back on NDAs", "", {"ndaa"}),
    ("Federal preemption of state drug-labeling claims upheld", "", {"state-ai-laws"}),
]  # fmt: skip


@pytest.mark.parametrize(("title", "text", "forbidden"), LOOKALIKES)
def test_new_lookalikes_are_not_tagged(tags, title, text, forbidden):
    assert not tags(title, text) & forbidden


PARAPHRASES = [
    (
        "distillation",
        "Lab says rival queried Claude to generate training data for other models",
        "",
    ),
    ("distillation", "OpenAI says Chinese startup copied its models", ""),
    ("distillation", "Harvesting outputs for training must stop, lab says", ""),
    ("distillation", "", "Investigators call it model extraction."),
    ("distillation", "Should bulk access to model outputs count as an export?", ""),
    ("export-controls", "Should bulk access to model outputs count as an export?", ""),
    ("export-controls", "BIS penalty for shipments to Huawei", ""),
    ("sanctions", "", "OFAC designated the network."),
    ("threat-intelligence-sharing", "", "Labs share indicators of distillation campaigns."),
    ("model-weights", "", "The company published the weights of its frontier model."),
    ("compute", "", "Chinese labs lack access to compute."),
    ("chips-act", "", "Intel got a stake in exchange for CHIPS Act grants."),
    ("foreign-investment", "", "Treasury's outbound investment rules took effect."),
    ("ndaa", "", "An amendment to the National Defense Authorization Act."),
    ("state-ai-laws", "", "The order tells the attorney general to challenge state AI laws."),
]


@pytest.mark.parametrize(("slug", "title", "text"), PARAPHRASES)
def test_paraphrases_are_tagged(tags, slug, title, text):
    assert slug in tags(title, text)


def test_a_veto_reaches_its_neighbourhood_not_the_whole_story(taxonomy):
    story = (
        "In a letter to senators, Anthropic said operators linked to Alibaba ran 28.8 million "
        "exchanges with Claude through about 25,000 fraudulent accounts between April 22 and "
        "June 5, targeting agentic reasoning and coding. The company asked Congress for "
        "tighter rules. Separately, Alibaba's shares fell in Hong Kong as investors weighed "
        "slowing cloud growth, while a fire at an oil refinery in Zhejiang hit energy stocks."
    )
    result = tag_item("Anthropic accuses Alibaba of distillation attack", story, taxonomy)
    assert "distillation" in result.topics
    near = tag_item("Refinery fire", "The crude distillation unit was shut.", taxonomy)
    assert "distillation" not in near.topics
    # The headline frames its story: "Giverny" in it vetoes "Claude" below.
    painter = tag_item(
        "Retrospective opens at Giverny", "Paintings by Claude go on show.", taxonomy
    )
    assert "anthropic" not in painter.entities


def test_evidence_of_a_variant_points_at_the_words_in_the_text(taxonomy):
    title = "DEEPSEEK and  Deep\nSeek, twice"
    result = tag_item(title, "", taxonomy)
    (tag,) = [t for t in result.tags if t.slug == "deepseek"]
    assert [title[e.start : e.end] for e in tag.evidence] == ["DEEPSEEK", "Deep\nSeek"]
    assert [e.text for e in tag.evidence] == ["DEEPSEEK", "Deep\nSeek"]


def test_name_variants():
    assert name_variants("DeepSeek") == ("DeepSeek", "Deep Seek")
    assert name_variants("OpenAI") == ("OpenAI",)  # "Open AI" is how people write open AI
    assert name_variants("HiSilicon") == ("HiSilicon",)  # "Hi" is not a word of the name
    assert name_variants("Commerce Dept.") == ("Commerce Dept",)
    assert name_variants("DeepSeek", case_sensitive=False) == ("DeepSeek",)


def test_short_names_do_not_match_in_capitals(tags):
    assert "meta" not in tags("META-ANALYSIS FINDS NOTHING")
    assert "xai" not in tags("XAI FOR BANKS")
    assert "nvidia" in tags("NVIDIA RALLIES")


def test_a_headline_is_vetoed_by_its_lede_sentence_only(tags):
    short = (
        "Anthropic told senators that Alibaba-linked accounts ran 28.8 million exchanges. "
        "Separately, a refinery fire hit energy stocks."
    )
    assert "distillation" in tags("Anthropic accuses Alibaba of distillation attack", short)
    lede = "Kentucky counties report rising demand from new bourbon distilleries. Officials met."
    assert "distillation" not in tags("Distillation boom strains rural water supply", lede)
