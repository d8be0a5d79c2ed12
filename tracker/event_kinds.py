"""What kind of act a report names: results, a licence, a rule, a hearing, a charge. Pure.

Kinds come in families whose members exclude each other (a company's results
are not its licence; a rule is not a request for comments), read from the
verbs and nouns that headlines and ledes use, official and paraphrased
("tightens curbs" is a rule; "grills" is a hearing; "cleared to ship" a licence).
"""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.regex_anchors import anchors, lowered, may_match

# Committees headlines name by their jurisdiction alone ("Senate Commerce", "House
# Armed Services"), and what they do to a bill in a markup.
_COMMITTEES = (
    "commerce|judiciary|banking|armed services|foreign (?:affairs|relations)|"
    "energy (?:and|&) commerce|homeland security|intelligence|finance|appropriations|"
    "financial services|science|oversight|ways (?:and|&) means|agriculture|help|"
    "select committee on the ccp|china (?:select )?committee"
)
_APPROVES = "approves|advances|clears|backs|adopts|passes|votes out"

# What was done, by families of acts that exclude each other within a family:
# a company's results are not its licence; a rule is not a request for comments.
_KINDS: dict[str, tuple[str, re.Pattern[str]]] = {
    "results": (
        "company",
        re.compile(
            r"\b(results|earnings|quarterly|first-quarter|second-quarter|third-quarter|"
            r"fourth-quarter|revenue|profit|EPS|forecasts?|"
            # "expected to close in the fourth quarter" dates a deal; it reports no results
            r"(?<!in the )(?<!by the )(?<!the first )(?<!the second )(?<!the third )"
            r"(?<!the fourth )(?:record |first |second |third |fourth )?quarter)\b",
            re.I,
        ),
    ),
    "licence": (
        "company",
        re.compile(
            # A licence granted, not one a rule requires ("now need a licence", "licence
            # requirements", "without licences"), a copyright "compulsory licence" or
            # OFAC's "general licence" beside its designations.
            r"\b((?<!compulsory )(?<!general )(?<!need a )(?<!needs a )(?<!require a )"
            r"(?<!requires a )(?<!requiring a )(?<!without )licen[cs]es?"
            r"(?! requirements?| exceptions?)"
            r"|waiver|validated end-user"
            r"|(?:export|VEU) (?:authori[sz]ation|approval)"
            r"|cleared to (?:ship|sell|buy|export|resume)"
            r"|approv\w* (?:to|for) (?:ship|sell|send|export))\b",
            re.I,
        ),
    ),
    "launch": (
        "company",
        re.compile(
            r"\b(introducing|launch(?:es|ed)?|unveils?|rolls? out|rolled out|debuts?|"
            r"release[sd]? (?:its |the )?(?:new )?"
            r"(?:model|V\d)|rolling out|now available)\b",
            re.I,
        ),
    ),
    "rule": (
        "rulemaking",
        re.compile(
            r"\b(final rule|interim final rule|proposed rule|this rule|issues? (?:a |an )?"
            r"(?:interim )?rule|new (?:[\w.'’-]+ ){0,3}?rules?|rule (?:on|requiring|revising)|"
            r"(?:tighten|widen|extend|expand|lower|impose|ease|loosen|narrow)(?:s|ed)? "
            r"(?:[\w'’-]+ ){0,4}?"
            r"(?:curbs|controls|restrictions|rules|limits|exemptions?|exceptions?)"
            r"|propos(?:es|ed|ing)? (?:[\w'’-]+ ){0,4}?rules?"
            r"|finali[sz](?:es|ed|e) (?:[\w'’-]+ ){0,3}?rules?|sets (?:new )?rules (?:for|on))\b",
            re.I,
        ),
    ),
    "guidance": (
        "rulemaking",
        re.compile(
            r"\b(issues? (?:[\w-]+ ){0,3}?(?:guidance|guidelines|advisory|FAQs?)|"
            r"(?<!draft )guidance on|frequently asked questions|red flags)\b",
            re.I,
        ),
    ),
    "comment": (
        "rulemaking",
        re.compile(
            r"\b(requests? (?:for )?(?:public )?(?:comments?|information|input)|seeks? "
            r"(?:public )?(?:input|comments?)|asks? (?:for )?(?:public )?comment|"
            r"comment request|request for information|RFI|opens comment|"
            r"asks? (?:[\w-]+ ){0,3}?(?:what|how|whether|which)\b|wants? to hear|"
            r"wants? (?:public |industry )?(?:input|comments?|feedback)|"
            r"draft (?:[\w-]+ ){0,3}?(?:guidance|guidelines|guide|framework|profile))\b",
            re.I,
        ),
    ),
    "meeting": (
        "rulemaking",
        re.compile(r"\bnotice of (?:partially )?(?:closed |open )?meeting\b", re.I),
    ),
    "introduce": (
        "congress",
        re.compile(
            r"\b(introduc(?:e|es|ed|ing)|introduction of|"
            r"unveil(?:s|ed)? (?:a |the |new )?(?:[\w-]+ ){0,3}?(?:bill|legislation)|"
            r"bill (?:would|to|closes|targets?|aims|seeks|requires?|revives))\b",
            re.I,
        ),
    ),
    "hearing": (
        "congress",
        re.compile(
            r"\b(hearings?|testimony|testif(?:y|ies|ied)|grill(?:s|ed)?|"
            r"(?:committee|subcommittee|panel) hears|quiz(?:zes|zed)?|"
            r"(?:tells?|told) (?:senators|lawmakers|congress|the (?:house|senate))|"
            r"told (?:the )?(?:[\w-]+ ){0,4}?(?:committee|subcommittee|panel)|"
            r"(?:senators|lawmakers|house panel|senate panel) (?:press|question|weigh|want)\w*"
            r"(?! (?:[\w-]+ ){0,6}?(?:in|by) (?:a )?letters?))\b",
            re.I,
        ),
    ),
    "markup": (
        "congress",
        re.compile(
            r"\b(mark-?up|executive session|ordered to be reported|advances?|"
            r"clears? (?:house |senate )?\w* ?committee|"
            r"order(?:s|ed)? (?:[\w.,'-]+ ){1,12}?reported|committee vote|"
            r"(?:panel|committee|subcommittee) (?:clears|approves|advances|backs)|"
            # The committee's report of the bill it ordered reported is that markup's record.
            r"reported by (?:the )?committee|"
            r"reported (?:favorably|with(?:out)? (?:an )?amendments?)|"
            # A committee named by its jurisdiction ("Senate Commerce approves KOSA 17-11").
            rf"(?:senate|house) (?:{_COMMITTEES})(?: committee| panel)? (?:{_APPROVES})|"
            rf"(?:HFAC|HASC|SASC|HSGAC|SFRC|HPSCI|SSCI) (?:{_APPROVES}))\b",
            re.I,
        ),
    ),
    "passage": (
        "congress",
        re.compile(
            r"\b(passe[sd] (?:the )?(?:house|senate|bill)|(?:house|senate) (?:\w+ly )?passes|"
            r"motion to suspend the rules|on passage|passed/agreed to|-passed|"
            r"(?:senate|house|congress) (?:clears|approves|sends)|"
            r"passe[sd] (?:[\w-]+ ){0,3}?(?:bill|measure))\b",
            re.I,
        ),
    ),
    "floor": (
        "congress",
        re.compile(
            r"\b(floor consideration|opens? (?:[\w-]+ )?debate|motion to proceed|cloture)\b", re.I
        ),
    ),
    "enact": (
        "congress",
        re.compile(r"\b(signs? (?:[\w-]+ ){0,4}?(?:bill|law)|into law|enact(?:s|ed))\b", re.I),
    ),
    "nomination": ("congress", re.compile(r"\b(nominations?|nominee)\b", re.I)),
    "suit": (
        "enforcement",
        re.compile(
            r"\b(sues?|lawsuit|suit|complaint|(?:moves?|seeks?) to block|statement of interest|"
            r"amicus|weighs? in on|(?:takes?|took|taking) (?:[\w'’-]+ ){1,4}?to court)\b",
            re.I,
        ),
    ),
    "charge": (
        "enforcement",
        re.compile(
            # a regulator's fine is a penalty; "transmission charges" are fees
            r"\b(charged|(?<!transmission )(?<!interconnection )(?<!service )charges|"
            r"fine[sd]|fines|indict(?:ed|ment)?|arrest(?:s|ed)?|pleads? guilty|plea|"
            r"penalty|penalties|settlement|consent (?:order|agreement|decree)|"
            # "settles with the FTC", not "moves to settle a fight over data centers"
            r"settles? (?:with|charges|claims|allegations|case|suit)|"
            r"(?:agrees? )?to pay \$)",
            re.I,
        ),
    ),
    "sanction": ("enforcement", re.compile(r"\bsanction(?:s|ed)?\b", re.I)),
    "listing": (
        "enforcement",
        re.compile(r"\b((?:entity|unverified) list(?:ings)?|blacklist(?:s|ed)?)\b", re.I),
    ),
    "award": (
        "money",
        re.compile(r"\b(award(?:s|ed)?|grants? \$|subsid(?:y|ies)|incentives? deal)\b", re.I),
    ),
    "report": (
        "report",
        re.compile(
            # The FCC adopts rules as a "Report and Order"; a privacy or competition
            # watchdog is a regulator acting, not an auditor reporting; researchers
            # publish when they say or find something ("researchers disclosed the flaw"
            # in a directive's lede is its background); a "framework" bill is a bill.
            r"\b(report(?! and order)|study|GAO|inspector general|think[- ]tanks?|"
            r"(?<!privacy )(?<!competition )(?<!antitrust )(?<!data )(?<!consumer )watchdog|"
            r"researchers(?= (?:says?|said|finds?|found|warns?|warned|estimates?|estimated|"
            r"shows?|showed)\b)|"
            r"releases? (?:its |the |a |an )?(?:[\w-]+ ){0,8}?"
            r"(?:plan|strategy|framework|guidelines|roadmap)(?! (?:legislation|bill|act)\b))\b",
            re.I,
        ),
    ),
    "letter": ("letter", re.compile(r"\b(letters?|wrote to|writes to)\b", re.I)),
    # A memorandum: a President's to agencies, or a company's to a committee (a letter).
    "memo": ("letter", re.compile(r"\b(memo|memorandum)\b", re.I)),
    "order": (
        "president",
        re.compile(
            r"\b(executive order|signs? (?:an )?order|"
            r"(?:trump|president(?:ial)?|white house)(?:['’]s)? (?:new )?order)\b",
            re.I,
        ),
    ),
    # A President sets tariffs by proclamation (Section 232), whatever coverage calls it.
    "proclamation": (
        "president",
        re.compile(
            r"\b(proclamation|section 232|(?:trump|president|white house) (?:sets|imposes|"
            r"slaps|orders|raises|announces|puts) (?:[\w%$.-]+ ){0,4}?"
            r"(?:tariffs?|duty|duties|levy))\b",
            re.I,
        ),
    ),
}
# "A report" that is only how a story is sourced, not a report anyone published.
_HEARSAY = re.compile(
    r"\breports? (?:says?|said|shows?|suggests?)\b|"
    r"\b(?:according to|on|citing) (?:a |the )?(?:[\w'’.-]+ ){0,3}?reports?\b",
    re.I,
)


# Strings one of which each kind's pattern needs (`tracker.regex_anchors`): a
# pattern whose strings the text lacks is not run (most are not, on a lede).
_GATED = tuple((kind, pattern, anchors(pattern)) for kind, (_, pattern) in _KINDS.items())
_HEARSAY_GATE = anchors(_HEARSAY)


@lru_cache(maxsize=32768)
def kinds(text: str) -> frozenset[str]:
    """The kinds of act `text` names (results, licence, rule, hearing, ...)."""
    low = lowered(text)
    found = {
        kind for kind, pattern, gate in _GATED if may_match(gate, low) and pattern.search(text)
    }
    if "report" in found and not _KINDS["report"][1].search(
        _HEARSAY.sub(" ", text) if may_match(_HEARSAY_GATE, low) else text
    ):
        found.discard("report")  # "cleared to buy chips, report says" reports a licence
    return frozenset(found)


CONGRESS_KINDS = frozenset(k for k, (family, _) in _KINDS.items() if family == "congress")
