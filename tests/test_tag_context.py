"""Names that count only in the right company: a senator's namesake in sport, an
acronym the item spells out as another body, a bare "chips" or "sanctions" in an
item about neither technology nor states. Examples written here, in wording of
their own (tests/data/EVALUATION.md, tagging2)."""

from __future__ import annotations

import pytest

from tracker.tag import tag_item
from tracker.tag_context import name_runs, public_life, spelled_otherwise
from tracker.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def taxonomy():  # type: ignore[no-untyped-def]
    return load_taxonomy()


def slugs(title: str, text: str, taxonomy) -> set[str]:  # type: ignore[no-untyped-def]
    return {tag.slug for tag in tag_item(title, text, taxonomy).tags}


def rule_slugs(title: str, text: str, taxonomy) -> set[str]:  # type: ignore[no-untyped-def]
    """What the rules tag: the topic model's reading of a bare headline is judged by the
    evaluation sets, not here."""
    return {tag.slug for tag in tag_item(title, text, taxonomy).tags if tag.origin != "model"}


def test_a_senators_namesake_outside_public_life_is_not_tagged(taxonomy) -> None:  # type: ignore[no-untyped-def]
    assert "andy-kim" not in slugs(
        "Andy Kim, folk singer, plays his last show in Asbury Park",
        "Fans queued for hours to hear the songs from his debut record.",
        taxonomy,
    )
    assert "john-moolenaar" not in slugs(
        "Moolenaar wins the sprint at the Ronde van Drenthe",
        "The Dutch rider beat two teammates.",
        taxonomy,
    )
    assert "andy-kim" in slugs(
        "Sen. Andy Kim asks Commerce about chip licences",
        "The New Jersey Democrat wrote to BIS.",
        taxonomy,
    )
    assert not public_life(["A folk singer plays his last show", "Fans queued for hours."])
    assert public_life(["The senator wrote to the bureau", ""])


def test_an_acronym_spelled_out_as_another_body_is_not_that_agency(taxonomy) -> None:  # type: ignore[no-untyped-def]
    assert "ftc" not in slugs(
        "Jamaica Fair Trading Commission opens review of cement prices",
        "The FTC will take submissions until March.",
        taxonomy,
    )
    assert "ftc" in slugs(
        "Federal Trade Commission (FTC) sues data broker",
        "The FTC says the firm sold locations.",
        taxonomy,
    )
    physics = name_runs(["the International Association of Physics Students"])
    assert spelled_otherwise("IAPS", physics, ())
    assert not spelled_otherwise(
        "IAPS",
        name_runs(["the Institute for AI Policy and Strategy"]),
        ("Institute for AI Policy and Strategy",),
    )


def test_a_bare_chip_or_sanction_needs_an_item_about_technology_or_states(taxonomy) -> None:  # type: ignore[no-untyped-def]
    assert "semiconductors" not in slugs(
        "Card player cashes out chips worth $1 million",
        "He led the final table from the start.",
        taxonomy,
    )
    assert "semiconductors" not in slugs(
        "Cats must carry microchips from April", "Owners have a year to register them.", taxonomy
    )
    assert "semiconductors" in slugs(
        "Nvidia chips bound for China seized", "Customs found the servers in a warehouse.", taxonomy
    )
    assert "sanctions" not in slugs(
        "Rowing federation sanctions a new regatta on the Charles",
        "Entries open next week.",
        taxonomy,
    )
    assert "sanctions" in slugs(
        "US sanctions Russian suppliers of drone parts", "Treasury named 14 firms.", taxonomy
    )


def test_a_models_name_is_its_makers_only_where_software_is_spoken_of(taxonomy) -> None:  # type: ignore[no-untyped-def]
    assert "microsoft" not in slugs(
        "Copilot training scheme takes off at island airline",
        "Cadets fly 200 hours a year.",
        taxonomy,
    )
    assert "microsoft" in slugs(
        "Copilot gets new AI agents for spreadsheets",
        "The assistant can now build models.",
        taxonomy,
    )


def test_an_acronym_spelled_with_its_linking_words_is_read_too() -> None:
    own = ("Department of Justice", "Justice Department")
    assert spelled_otherwise("DOJ", name_runs(["DOJ: Days of Jazz return to the riverfront"]), own)
    assert not spelled_otherwise("DOJ", name_runs(["The Department of Justice (DOJ) sued"]), own)


@pytest.mark.parametrize(
    ("slug", "title", "text"),
    [
        ("distillation", "Order on Shielding U.S. Frontier Models From Adversarial Extraction", ""),
        ("distillation", "Lab bans accounts used to train a student model on its outputs", ""),
        ("national-security", "Report accuses app of spying for Beijing", ""),
        ("export-controls", "Huawei ramps output despite U.S. curbs", ""),
        (
            "export-controls",
            "Chipmaker wins approval for shipments of accelerators to Gulf buyers",
            "",
        ),
        ("compute", "Startup rents GPUs in Johor to train its models", ""),
        ("chips-act", "Fab gets its final CHIPS disbursement", ""),
        ("antitrust", "Regulator sues to block chipmaker's purchase of a networking startup", ""),
        (
            "state-ai-laws",
            "An Act relating to high-risk artificial intelligence systems",
            "Illinois HB 4411",
        ),
    ],
)
def test_topics_named_in_other_words(taxonomy, slug, title, text) -> None:  # type: ignore[no-untyped-def]
    assert slug in slugs(title, text, taxonomy)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Pyongyang fires two ballistic missiles into the sea", ""),
        ("Lab says Moscow-backed hackers probed its training servers", ""),
        ("Report: state-sponsored operators used chatbots to write malware", ""),
        ("Panel weighs how to defend the homeland from AI-enabled attacks", ""),
        ("Entity List adds labs supporting a hypersonic weapons programme", ""),
        ("Engineer admits stealing lithography designs for a Chinese rival", ""),
        ("Labs told to harden weights against nation-state intruders", ""),
        ("Keeping accelerators out of adversary hands", ""),
        ("A Proclamation on Armed Forces Day", ""),
    ],
)
def test_the_military_state_hacking_and_threats_in_other_words(taxonomy, title, text) -> None:  # type: ignore[no-untyped-def]
    assert "national-security" in slugs(title, text, taxonomy)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Students hack together a chatbot at weekend event", ""),
        ("Ransomware crew hacked a hospital chain, police say", ""),
        ("Homeland Security committee schedules vote on border bill", ""),
        ("State-backed lender funds chip plant in Ohio", ""),
        ("Thieves stole copper wire from the rail yard", ""),
        ("Adversary proceedings open in the retailer's bankruptcy", ""),
    ],
)
def test_hacking_states_and_adversaries_at_large_are_not_national_security(
    taxonomy, title, text
) -> None:  # type: ignore[no-untyped-def]
    assert "national-security" not in slugs(title, text, taxonomy)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("AB 2210 - Artificial intelligence: companion chatbots: safeguards", ""),
        ("Ohio H.B. 88 (Introduced) - Relating to automated decision systems", ""),
        ("Attorney general sues app maker under the state's AI consumer law", ""),
        ("Senators float a plan to supersede state AI rules for ten years", ""),
        ("Startups fear a 50-state maze of AI obligations", ""),
    ],
)
def test_state_ai_laws_by_their_numbers_and_the_plans_to_override_them(
    taxonomy, title, text
) -> None:  # type: ignore[no-untyped-def]
    assert "state-ai-laws" in slugs(title, text, taxonomy)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("HB 310 - Artificial insemination of cattle; licensing", "AI technicians need a permit."),
        ("SB 45 sets new rules for groundwater wells", ""),
        ("The state's new tax law takes effect", ""),
    ],
)
def test_state_bills_on_other_things_are_not_state_ai_laws(taxonomy, title, text) -> None:  # type: ignore[no-untyped-def]
    assert "state-ai-laws" not in slugs(title, text, taxonomy)


def test_export_controls_by_the_bills_rules_and_smuggling_that_name_them(taxonomy) -> None:  # type: ignore[no-untyped-def]
    for title in (
        "Conferees keep the GAIN AI Act in the defence bill",
        "Senator wants location verification built into every exported accelerator",
        "Prosecutors say the ring rerouted servers packed with GPUs through Thailand",
        "Two firms accused of chip diversion to sanctioned buyers",
    ):
        assert "export-controls" in slugs(title, "", taxonomy), title
    assert "export-controls" not in slugs(
        "Phone app adds location verification for rideshare drivers", "", taxonomy
    )


def test_semiconductors_listed_beside_quantum_as_a_covered_sector_are_not_chips(taxonomy) -> None:  # type: ignore[no-untyped-def]
    sector = (
        "The program covers transactions in semiconductors and microelectronics, quantum "
        "information technologies and artificial intelligence."
    )
    assert "semiconductors" not in slugs(
        "Treasury finalises outbound investment rule", sector, taxonomy
    )
    assert "semiconductors" in slugs(
        "Chipmaker opens a new wafer plant", "The semiconductor plant will employ 2,000.", taxonomy
    )


def test_compute_by_the_names_the_trade_gives_it(taxonomy) -> None:  # type: ignore[no-untyped-def]
    for title in (
        "Cloud giant switches on a Trainium cluster for its model partner",
        "Chinese lab shows an Ascend supernode to investors",
        "Rules would cover remote access to controlled chips through the cloud",
        "AI campus in Ohio plans two gigawatts of capacity",
    ):
        assert "compute" in slugs(title, "", taxonomy), title
    for title in (
        "Reactor upgrade adds two gigawatts to the grid",
        "Stargate reboot casts its lead actors",
        "Hospital VPN flaw gave attackers remote access to records",
    ):
        assert "compute" not in slugs(title, "", taxonomy), title


def test_the_secretary_of_state_an_order_directs_is_the_state_department(taxonomy) -> None:  # type: ignore[no-untyped-def]
    order = (
        "The Secretary of State, in consultation with the Secretary of the Treasury, shall "
        "identify foreign persons who misappropriate American model weights."
    )
    assert "state-department" in slugs("Executive Order on Protecting AI Models", order, taxonomy)
    for title, text in (
        ("Georgia's Secretary of State certifies the runoff", "Counties finished the recount."),
        ("Secretary of State certifies ballot measures", "The measures go to voters in May."),
        ("Secretary of State warns of fake business registration letters", ""),
    ):
        assert "state-department" not in slugs(title, text, taxonomy), title


def test_the_attorney_general_an_order_names_is_the_justice_department(taxonomy) -> None:  # type: ignore[no-untyped-def]
    order = (
        "By the authority vested in me as President, the Attorney General shall establish "
        "a task force to challenge State laws that burden interstate commerce."
    )
    assert "doj" in slugs("Executive Order on a National AI Framework", order, taxonomy)
    for title, text in (
        ("Texas Attorney General sues a chatbot maker", "The federal case is the first."),
        ("Witnesses include the Attorney General of Utah", "A federal standard is debated."),
        ("41 attorneys general warn AI firms", "The Attorney General of each state signed."),
    ):
        assert "doj" not in slugs(title, text, taxonomy), title


def test_the_select_committee_on_china_by_its_short_name_and_its_chairman(taxonomy) -> None:  # type: ignore[no-untyped-def]
    for title in (
        "Select Committee chair presses Nvidia on sales to China",
        "Letter from Chairman Moolenaar to the Commerce Secretary",
    ):
        assert "house-select-committee-on-china" in slugs(title, "", taxonomy), title
    for title in (
        "Museum's select committee picks export china for a new gallery",
        "Select Committee on the Climate Crisis alumni meet in China",
    ):
        assert "house-select-committee-on-china" not in slugs(title, "", taxonomy), title


@pytest.mark.parametrize(
    ("slug", "title", "text"),
    [
        ("anthropic", "Anthropic selection and the age of the universe", "Cosmologists argue."),
        ("smic", "France lifts the SMIC by 2%", "The minimum wage rises in January."),
        ("semiconductors", "France lifts the SMIC by 2%", "The minimum wage rises in January."),
        ("nvidia", "City orders ten H20 buses", "The hydrogen fuel cell fleet starts in May."),
        ("white-house", "Crowds gather outside Moscow's White House", "Ministers resigned."),
        ("white-house", "The White House restaurant reopens", "The old farmhouse seats 60."),
        ("sanctions", "Judge sanctions lawyers over invented citations", ""),
        ("intellectual-property", "Closing a patent foramen ovale cuts strokes", ""),
        ("chips-act", "'Chips Act' comedy troupe tours", "The troupe sold out its fringe run."),
        ("bytedance", "Byte Dance camp teaches robot choreography", ""),
        ("minimax", "MiniMax grocer opens 30 stores", "The discount supermarket chain grows."),
        ("baidu", "ERNIE draws two jackpot winners", "Premium bonds paid out a record."),
        ("amazon", "Flood plan for Amazon Creek approved", ""),
        ("john-moolenaar", "Jan Moolenaar signs for Feyenoord", "The goalkeeper joins in July."),
        ("andrew-garbarino", "Garbarino Foods recalls pesto", ""),
        ("andrew-garbarino", "Chef Andrew Garbarino opens a trattoria", ""),
        ("deepseek", "'Deep Seek' expedition maps seamounts", "The submersible dived 4 km."),
        ("microsoft", "Bing Crosby's lost radio show released", ""),
        ("threat-intelligence-sharing", "States agree to share wildfire threat data", ""),
        ("export-controls", "Chip design group licenses its cores", "Open-source, Apache licence."),
        ("model-weights", "Weights and Measures Modernization Act", ""),
        ("model-weights", "Forecast model weights recent polls more heavily", ""),
        ("antitrust", "Monopoly world champion crowned in Macau", ""),
        ("moonshot-ai", "Kimi Antonelli takes pole", ""),
        ("compute", "Federal Statistical Research Data Centers: Comment Request", ""),
        ("treasury-department", "Liquidity in the U.S. Treasury market", "Dealers pulled back."),
        ("sanctions", "FAA-sanctioned air race returns", "Crowds lined the runway."),
        ("intel", "House Intel Committee holds its annual threats hearing", ""),
        ("white-house", "White House, Tenn., rezones land for a data center", ""),
        ("national-security", "National Security Bancorp reports quarterly results", ""),
        ("model-weights", "New survey weights for the travel survey", "Model-based weighting."),
        ("model-weights", "Standard passenger and baggage weights updated", "Aircraft models."),
        ("foreign-investment", "COINS Act would mint a numismatic series", "Commemorative coins."),
        ("export-controls", "Photo editor adds batch export controls", "RAW files export faster."),
        ("elizabeth-warren", "Elizabeth Warren, children's author, wins an award", ""),
    ],
)
def test_namesakes_writers_set_beside_the_labels_are_not_tagged(
    taxonomy, slug, title, text
) -> None:  # type: ignore[no-untyped-def]
    """The rules' guards."""
    assert slug not in rule_slugs(title, text, taxonomy)


@pytest.mark.parametrize(
    ("slug", "title", "text"),
    [
        ("anthropic", "Anthropic releases a new Claude model", ""),
        ("smic", "SMIC ramps 5nm output for Huawei", ""),
        ("nvidia", "Nvidia resumes H20 sales to China", ""),
        ("white-house", "White House issues AI memo", ""),
        ("sanctions", "OFAC sanctions a chip procurement network", ""),
        ("intellectual-property", "Lab sues rival over trade secrets and patents", ""),
        ("deepseek", "DeepSeek releases a new reasoning model", ""),
        ("microsoft", "Bing adds an AI chat mode", ""),
        ("threat-intelligence-sharing", "Labs agree to share threat indicators", ""),
        ("antitrust", "FTC alleges monopoly in ad tech", ""),
        ("treasury-department", "U.S. Treasury designates Chinese firms", ""),
        ("model-weights", "Qwen is the open-weight model most start-ups use, survey finds", ""),
        ("intel", "Intel wins a foundry order", ""),
    ],
)
def test_the_labels_themselves_still_are(taxonomy, slug, title, text) -> None:  # type: ignore[no-untyped-def]
    assert slug in {tag.slug for tag in tag_item(title, text, taxonomy).tags}


def test_a_chipmakers_data_centre_products_are_chips_not_compute(taxonomy) -> None:  # type: ignore[no-untyped-def]
    for title in (
        "Chipmaker's data-centre GPUs need a licence for China",
        "Nvidia's data center revenue doubles",
    ):
        assert "compute" not in {
            t.slug for t in tag_item(title, "", taxonomy).tags if t.origin != "model"
        }
    assert "compute" in slugs("Utility signs power deal for a new data center campus", "", taxonomy)


def test_omb_and_its_numbered_memoranda_are_the_white_houses(taxonomy) -> None:  # type: ignore[no-untyped-def]
    for title, text in (
        (
            "Memorandum M-41-07: Buying AI Responsibly",
            "Heads of executive departments and agencies must ...",
        ),
        ("OMB tells agencies to inventory their AI systems", ""),
    ):
        assert "white-house" in slugs(title, text, taxonomy), title
    boilerplate = (
        "The Social Security Administration has submitted this information collection to "
        "OMB for approval under the Paperwork Reduction Act; OMB control number 0960-0001."
    )
    assert "white-house" not in slugs(
        "Agency Information Collection Activities", boilerplate, taxonomy
    )


def test_the_house_homeland_committee_by_its_short_name_and_its_chairman(taxonomy) -> None:  # type: ignore[no-untyped-def]
    for title in (
        "House Homeland hearing examines AI-enabled attacks",
        "Chairman Garbarino opens a probe",
    ):
        assert "house-homeland-security-committee" in slugs(title, "", taxonomy), title


def test_published_threat_reports_and_passed_indicators_are_threat_sharing(taxonomy) -> None:  # type: ignore[no-untyped-def]
    for title, text in (
        ("Quarterly Threat Report: Disrupting Malicious Uses of AI", ""),
        ("Lab bans accounts run from Pyongyang", "It passed the indicators to industry partners."),
        ("Policy memo: an indicator clearinghouse for distillation attacks", ""),
    ):
        assert "threat-intelligence-sharing" in slugs(title, text, taxonomy), title
    for title, text in (
        ("Report says the app shares user data with the government", ""),
        ("Schools must share threat assessments when pupils transfer", ""),
        ("FINRA names a new clearinghouse for bond trades", ""),
    ):
        tags = {t.slug for t in tag_item(title, text, taxonomy).tags if t.origin != "model"}
        assert "threat-intelligence-sharing" not in tags, title


def test_extraction_of_other_things_is_not_distillation(taxonomy) -> None:  # type: ignore[no-untyped-def]
    assert "distillation" not in slugs(
        "AI helps mining firms speed lithium extraction", "Models predict ore grades.", taxonomy
    )
    assert "national-security" not in slugs(
        "Senate Homeland Security panel advances border bill", "", taxonomy
    )


def test_a_run_of_thousands_of_capitalised_words_is_read_in_proportion_to_its_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hostile summary ("A Fair Fair Fair ... B") must not cost the square of its length:
    an acronym's letters are looked for only within a few words of each start."""
    import tracker.tag_context as context

    longest = 0
    spelled = context._spelled

    def counted(words: list[str], letters: int) -> list[str] | None:
        nonlocal longest
        longest = max(longest, len(words))
        return spelled(words, letters)

    monkeypatch.setattr(context, "_spelled", counted)
    text = "A " + "Fair " * 20_000 + "B"  # every word could begin "FTC"
    own = ("Federal Trade Commission",)
    assert not spelled_otherwise("FTC", name_runs(["Federal Trade Commission", text]), own)
    assert longest <= 3 * context.WORDS_PER_LETTER


def test_an_acronym_written_thousands_of_times_is_read_once(
    taxonomy,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import tracker.tag as tag_module

    calls = 0
    check = tag_module.spelled_otherwise

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return check(*args, **kwargs)

    monkeypatch.setattr(tag_module, "spelled_otherwise", counted)
    assert "ftc" in slugs("FTC sues", "The FTC said. " * 5_000, taxonomy)
    assert calls <= 2


@pytest.mark.parametrize(
    ("title", "text", "slug", "meant"),
    [
        ("Nevada Department of Commerce fines two casinos",
         "The department said both had let licences lapse.", "commerce-department", False),
        ("Queensland looks to HM Treasury model for its budget office",
         "The Treasury in London publishes its forecasts twice a year.", "treasury-department",
         False),
        ("Texas Senate Commerce Committee hears testimony on utility rates",
         "The committee will vote next week.", "senate-commerce-committee", False),
        ("Maryland Department of Justice sues landlord over deposits",
         "The state's Department of Justice said tenants were overcharged.", "doj", False),
        ("White House Inn reopens on the coast road",
         "The White House has twelve rooms and a garden bar.", "white-house", False),
        # The federal body beside another of its name is still the federal body.
        ("U.S. Treasury and HM Treasury agree to share sanctions data",
         "The Treasury will send its lists to London weekly.", "treasury-department", True),
        ("Ohio firms ask the Department of Commerce for licences",
         "The Department of Commerce said it would decide in June.", "commerce-department",
         True),
        ("White House farm bill push stalls in the Senate",
         "The White House wants the bill passed by August.", "white-house", True),
    ],
)  # fmt: skip
def test_another_body_or_place_of_the_name_is_not_the_federal_one(
    taxonomy, title, text, slug, meant
) -> None:  # type: ignore[no-untyped-def]
    assert (slug in slugs(title, text, taxonomy)) is meant


@pytest.mark.parametrize(
    ("title", "text", "slug", "meant"),
    [
        ("Monopoly night at the library draws forty players",
         "The board game club meets every Thursday.", "antitrust", False),
        ("Judge hears monopoly case against search giant",
         "The government says the company kept rivals off phones.", "antitrust", True),
        ("Patent leather loafers return to the runway",
         "Designers showed glossy shoes in black and red.", "intellectual-property", False),
        ("Drugmaker loses patent fight over its cancer pill",
         "The court found the claims invalid.", "intellectual-property", True),
        ("Regional race sanctioned by the cycling federation",
         "Results will count toward the national rankings.", "sanctions", False),
        ("Shipping firms sanctioned by Treasury over Iran oil",
         "The designations block their property in the United States.", "sanctions", True),
        ("Club members weigh in on model railway wagons",
         "Heavier weights on each car keep the model trains on the track.", "model-weights",
         False),
        # A topic's name capitalised before a company's form is that company.
        ("Export Controls Solutions LLC opens a Denver office",
         "The consultancy trains freight forwarders in paperwork.", "export-controls", False),
        ("Firm wins stadium deal", "Antitrust Services Inc. will run the ticket gates.",
         "antitrust", False),
        ("Consultancy advises on export controls for chip firms",
         "Its clients include two Export Controls Solutions customers in Ohio; the firm "
         "says export controls on chips have doubled its work.", "export-controls", True),
    ],
)  # fmt: skip
def test_a_word_of_a_topic_in_a_hobby_a_shop_or_a_sport(taxonomy, title, text, slug, meant) -> None:  # type: ignore[no-untyped-def]
    assert (slug in slugs(title, text, taxonomy)) is meant


@pytest.mark.parametrize(
    ("slug", "title", "text", "meant"),
    [
        # Sharing in the words a memo or a story uses: what agencies learn passed to
        # developers, evidence pooled or passed between labs, a channel for indicators.
        ("threat-intelligence-sharing", "Memo asks agencies to brief AI developers",
         "Agencies are to share what they learn about foreign query campaigns with American "
         "AI developers.", True),
        ("threat-intelligence-sharing", "Labs agree on a plan against scraping rings",
         "The firms will pass evidence of the rings to the government and to one another.",
         True),
        ("threat-intelligence-sharing", "AI firms open a line for abuse reports",
         "Members will swap signs of extraction campaigns through a secure channel.", True),
        ("threat-intelligence-sharing", "Start-ups pool data on fraudulent sign-ups",
         "Five developers will compare notes each week.", True),
        ("threat-intelligence-sharing", "Radio club opens a secure channel",
         "Volunteers relay rainfall readings to the county.", False),
        ("threat-intelligence-sharing", "Review pools data from thirty trials",
         "The authors found no effect on blood pressure.", False),
        # National security: the President's cyber month, a hostile state's drones.
        ("national-security", "A Proclamation on Cybersecurity Awareness Month",
         "I call on every business to guard its networks and report intrusions.", True),
        ("national-security", "Credit union marks Cybersecurity Awareness Month",
         "Members can turn on two-step login in the app.", False),
        ("national-security", "Treasury names suppliers to Iran's drone program",
         "Eleven firms shipped engines and navigation chips.", True),
        ("national-security", "Consumer drone maker opens a Chicago store",
         "The Shenzhen company sells camera drones to hobbyists.", False),
        # Export controls: the GAIN AI Act by what it does, diversion red flags.
        ("export-controls", "Defense bill would make chipmakers serve US customers first",
         "Negotiators added the provision on Tuesday.", True),
        ("export-controls", "New guidance lists red flags for diversion of accelerators",
         "Exporters should check who the end user is.", True),
        ("export-controls", "Nurses learn the red flags of sepsis",
         "Early signs include fever and a fast heartbeat.", False),
        # Distillation in the nouns coverage uses, and siphoned or mass-queried models.
        ("distillation", "Senators target AI copycats in the defense bill", "", True),
        ("distillation", "Lab accused of siphoning a rival chatbot's answers", "", True),
        ("distillation", "Start-up queried American chatbots at scale, filing says", "", True),
        ("distillation", "Final rule updates Australia Group controls",
         "It revises the entries for distillation and absorption columns.", False),
        # A committee or a legislature's panel named Commerce is not the department.
        ("commerce-department", "Subcommittee hears app store bills",
         "The Subcommittee on Commerce, Manufacturing, and Trade meets Tuesday.", False),
        ("commerce-department", "Distillery bill clears a state panel",
         "The Committee on Commerce and Labor voted 9-2.", False),
        # A namesake the story says is one.
        ("alibaba", "Entity List adds a Dubai reseller",
         "Alibaba General Trading FZE, a reseller unrelated to the group of a similar name, "
         "was added.", False),
        ("andy-kim", "Andy Kim opens a noodle bar",
         "The owner, no relation to the senator, trained in Seoul.", False),
        ("alibaba", "Alibaba's cloud arm books record AI revenue", "", True),
        # A look-alike named in the story is not a namesake of the story's subject.
        ("anthropic", "Scam apps with similar names to Claude flood app stores",
         "Anthropic urged users to download only the official app.", True),
        ("sanctions", "Congress adds sanctions riders to a spending bill",
         "The riders would bar OFAC from lifting sanctions on Russian banks.", True),
    ],
)  # fmt: skip
def test_sharing_security_export_and_copying_in_the_words_coverage_uses(
    taxonomy, slug, title, text, meant
) -> None:  # type: ignore[no-untyped-def]
    """topics51 and lookalikes51 (tests/data/EVALUATION.md)."""
    assert (slug in rule_slugs(title, text, taxonomy)) is meant


@pytest.mark.parametrize(
    ("slug", "title", "text", "meant"),
    [
        ("house-select-committee-on-china", "Nevada Assembly select committee on China trade meets",
         "Growers asked about soybean sales.", False),
        ("ostp", "Governor's Office of Science and Technology Policy names a director",
         "The state office runs broadband grants.", False),
        ("ostp", "Ohio Office of Science and Technology Policy funds three labs", "", False),
        ("deepseek", "Underwater robot DeepSeek maps a reef",
         "The sonar survey took three dives.", False),
        ("michael-kratsios", "Shipowner Michael Kratsios buys two tankers",
         "The Piraeus fleet grows to forty ships.", False),
        ("sanctions", "Judge sanctioned two attorneys over an invented brief", "", False),
        ("threat-intelligence-sharing", "Farm co-op shares threat indicators on crop pests",
         "Members post trap counts on a map.", False),
        ("model-weights", "Index rebalancing changes the weights of model portfolios",
         "Constituents are reviewed each quarter.", False),
        ("model-weights", "Open-weight crews race at the national regatta",
         "The rowing final starts at noon.", False),
        ("export-controls", "Trade pact ends import licensing quotas",
         "Beef exports should rise next year.", False),
        ("commerce-department", "Institute of Commerce graduates three hundred cadets", "", False),
        ("doj", "California Department of Justice reports on firearms",
         "The DOJ said background-check denials rose.", False),
        ("national-security", "Entity List adds agents for Iranian UAV programs", "", True),
        ("doj", "DOJ sues to block a chip merger", "", True),
        ("ostp", "OSTP director testifies on the distillation memo", "", True),
    ],
)  # fmt: skip
def test_a_states_own_bodies_and_other_namesakes_are_not_the_labels(
    taxonomy, slug, title, text, meant
) -> None:  # type: ignore[no-untyped-def]
    """lookalikes52 (tests/data/EVALUATION.md): a state's own bodies, a shipowner, an
    underwater robot, an index's weights and a rowing crew's are not the labels."""
    assert (slug in rule_slugs(title, text, taxonomy)) is meant


@pytest.mark.parametrize(
    ("slug", "title", "text", "meant"),
    [
        ("threat-intelligence-sharing", "Lab disrupts a query ring",
         "It is passing details of the accounts and servers it found to other AI developers.",
         True),
        ("threat-intelligence-sharing", "Two labs publish research on state hackers",
         "We are sharing the tactics, techniques and procedures with the security community.",
         True),
        ("threat-intelligence-sharing", "Utilities and agencies exchange warnings about attacks",
         "", True),
        ("distillation", "Start-up accused of mining a chatbot",
         "It pulled millions of responses and used them to teach its own cheaper model.", True),
        ("sanctions", "Judge fines lawyers over a brief",
         "The sanctions follow fake, AI-generated citations in the filing.", False),
        ("sanctions", "USA Cycling sanctions a new gravel series",
         "Sanctioned events award ranking points to riders.", False),
        ("bill-huizenga", "Huizenga family sells a marina portfolio", "", False),
        ("deepseek", "Survey by the R/V Deep Seek may disturb whales",
         "The research vessel will run geophysical lines.", False),
        ("model-weights", "Revised sample weights for the jobs survey",
         "The statistical model adjusts for nonresponse.", False),
        ("sanctions", "Treasury sanctions a chip procurement network",
         "The judge in the related criminal case set a trial date.", True),
    ],
)  # fmt: skip
def test_shared_tactics_taught_models_and_court_sanctions(
    taxonomy, slug, title, text, meant
) -> None:  # type: ignore[no-untyped-def]
    """topics53 and lookalikes53 (tests/data/EVALUATION.md)."""
    assert (slug in rule_slugs(title, text, taxonomy)) is meant
