"""The forms that say what kind of document an item is: one table of cues.

Each cue is a pattern, where it is read (the title from its start, anywhere in
the title, or the opening of the text) and a weight; `doc_types.py` adds up
the weights. Forms come from the documents themselves: the Federal Register's
"AGENCY:" and "ACTION:" lines, the President's formulas ("it is hereby
ordered", "do hereby proclaim", "I hereby direct"), a bill's enacting clause,
a committee's room and witness list, a letter's salutation, a release's
dateline and "###", a wire story's "(Reuters)". Pure data; compiled on import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.regex_anchors import anchors


@dataclass(frozen=True)
class Cue:
    """A form that says what a document is: a pattern, where it is read, and its weight."""

    doc_type: str
    where: str  # "title" (from its start), "head" (anywhere in the title), "text" (the opening)
    pattern: re.Pattern[str]
    weight: float
    anchors: tuple[str, ...] = ()  # one of these occurs in any text the pattern matches


def _cues(doc_type: str, where: str, weight: float, *patterns: str) -> list[Cue]:
    flags = re.IGNORECASE if where != "title-case" else 0
    place = "title" if where == "title-case" else where
    compiled = [re.compile(p, flags) for p in patterns]
    return [Cue(doc_type, place, c, weight, anchors(c)) for c in compiled]


_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_BUILDING = r"(?:Dirksen|Hart|Russell|Rayburn|Cannon|Longworth|Capitol Visitor Center)"
_ACTION_RULE = (
    r"ACTION:\s*(?:final rule|proposed rule|interim final rule|interim rule|direct final rule"
    r"|temporary final rule|(?:advance )?notice of proposed rulemaking|final rule; correction)"
)
_BIS_AGENCY = (
    r"AGENCY:\s*(?:the\s+)?(?:Bureau of Industry and Security|Industry and Security Bureau)"
)
_ENTITY_LIST = r"(?:Entity|Unverified|Military End[- ]User|Denied Persons) List"
# An official document's own abstract opens in the agency's voice, in the present tense:
# "The Department of the Treasury amends its regulations ...", "NIST, Department of
# Commerce, issues a final rule ...", "The Antitrust Division gives notice that ...".
# Coverage of the same act writes the past ("amended", "issued"). The body is a
# capitalised noun of government in the first clause, before the verb.
_BODY = (
    r"^[^.;:]{0,100}?(?-i:\b(?:Department|Commission|Bureau|Administration|Office|Agency|"
    r"Council|Board|Service|Division|Treasury|Authority|Commerce|OFAC|FTC|FCC|SEC|"
    r"DoD|DOJ|NIST|CAISI|CFIUS|USTR|FDA|FAA|EPA|OMB|IRS|TTB|FERC|NTIA|USPTO|CMS|CISA|CFPB|"
    r"National Institute of Standards and Technology)"
    r"\b)[^.;:]{0,100}? "
)
_RULE_VOICE = (
    _BODY + r"(?:amends|is amending|revises|is revising|rescinds|is rescinding|adopts|"
    r"is adopting|finali[sz]es|is finali[sz]ing)\b",
    # What a study or a think tank "proposes" is an idea; an agency proposes to amend.
    _BODY + r"(?:proposes|is proposing) (?:to (?:amend|revise|establish|require|allow|extend|"
    r"expand|add|remove|modify|adopt|codify|update|implement|prohibit|rescind|change)|(?:an? )?"
    r"(?:(?:new|final|interim|direct final) )?(?:rules?|regulations?|amendments?|revisions?|"
    r"changes to|action levels))\b",
    _BODY + r"(?:issues|is issuing|publishes|is publishing) (?:an? |its |the |this )?(?:(?:final|"
    r"interim|interim final|proposed|direct final|temporary) )*(?:rules?|regulations?|"
    r"amendments?)\b",
)
_NOTICE_VOICE = (
    _BODY + r"(?:gives notice|is giving notice|(?:requests|seeks|invites|solicits|is seeking|"
    r"is requesting|is soliciting) (?:public |written )?(?:comments?|information|nominations|"
    r"applications)|announces (?:an? |the )?(?:(?:public|open|virtual|hybrid|closed) )*"
    r"(?:meeting|workshop|listening session|conference|webinar))\b",
)

CUES: tuple[Cue, ...] = tuple(
    # Presidential documents.
    _cues("executive-order", "title-case", 4, r"Executive Order\b")
    + _cues("executive-order", "text", 4, r"it is hereby ordered")
    + _cues(
        "executive-order",
        "text",
        3,
        r"President of the United States of America,? find that",
        r"^Sec(?:tion)?\.? 2\. Policy\b",
    )
    + _cues("proclamation", "title", 4, r"(?:A |Presidential )?Proclamation\b")
    + _cues(
        "proclamation", "title", 3, r"Adjusting Imports of\b", r"To (?:Take|Modify|Implement)\b"
    )
    + _cues("proclamation", "head", 2.5, r"(?:Day|Week|Month|Anniversary\b.*), \d{4}$")
    + _cues(
        "proclamation",
        "text",
        4,
        r"do hereby proclaim",
        r"hereby (?:find and )?proclaim",
        r"(?-i:\bA Proclamation\b)",
        r"IN WITNESS WHEREOF",
        r"issue each year a proclamation",
    )
    + _cues(
        "proclamation",
        "text",
        2,
        r"section 232 of the Trade Expansion Act",
        r"^1\. (?:On|Section)\b",
    )
    + _cues(
        "memo",
        "title",
        4,
        r"(?:presidential |national security (?:presidential |and technology )?)?memorandum\b",
    )
    + _cues(
        "memo",
        "title",
        3,
        r"(?:presidential |national security )?memo\b\s*(?:to\b|:)",
        r"M-\d{2}-\d{2}\b",
    )
    + _cues("memo", "head", 3, r"\b(?:Presidential )?Determination\b", r"\bMemorandum\b")
    + _cues(
        "memo",
        "text",
        4,
        r"^(?:NATIONAL SECURITY PRESIDENTIAL MEMORANDUM\S*\s+)?MEMORANDUM\b",
        r"\bMEMORANDUM FOR\b",
        r"I hereby (?:direct|delegate)\b",
        r"Presidential Determination No\.",
        r"^(?:TO|MEMORANDUM FOR):.{0,300}\bFROM:",
    )
    + _cues("memo", "text", 2, r"\bSUBJECT:", r"\bRE:\s")
    + _cues("memo", "text", 2, r"I am returning herewith without my approval")
    # Federal Register forms.
    + _cues("notice", "title", 4, r"(?:Notice (?:of|on)\b|Continuation of the National Emergency)")
    + _cues(
        "notice",
        "head",
        3,
        r"; (?:Notice|Meeting|Public Meeting|Open Meeting|Comment Request)s?\.?$",
        r"\bSunshine Act Meetings?\b",
        r"Agency Information Collection Activities",
        r"Request for (?:Information|Comments?|Nominations)\b",
        r"\bNotice of (?:Availability|Intent|Inquiry)\b",
        r"System of Records",
        r"\bNotices? Under\b",
        r"Institution of Investigation",
        r"; Meeting\b",
    )
    + _cues(
        "notice",
        "text",
        4,
        r"ACTION:\s*(?:Notice|Proposed consent agreement)",
        r"Notice is hereby given",
        r"This notice shall be published in the Federal Register",
        r"I am continuing for 1 year the national emergency",
        r"^TIME AND DATE:",
    )
    + _cues("notice", "text", 3, r"the President declared a national emergency")
    + _cues("rule", "text", 5, _ACTION_RULE)
    + _cues("rule", "text", 3, *_RULE_VOICE)
    # The same voice on the export-control system is an export-control rule, whoever signs.
    + _cues(
        "export-control",
        "text",
        4,
        *(
            v + r"[^.]{0,200}?(?:Export Administration Regulations|advanced computing|Entity List)"
            for v in _RULE_VOICE
        ),
    )
    + _cues("notice", "text", 3, *_NOTICE_VOICE)
    + _cues(
        "rule",
        "head",
        3,
        r"(?:Proposed|Final|Interim Final|Interim|Direct Final) Rule\s*$",
        r"\bTrade Regulation Rule\b",
        r"^(?:Safety Zone|Air Plan Approval|Federal Acquisition Regulation|Regulation [A-Z]{1,3})\b",
    )
    + _cues("export-control", "text", 8, _BIS_AGENCY)
    + _cues(
        "export-control",
        "title",
        5,
        r"(?:Additions?|Revisions?|Amendments?|Removals?|Modifications?|Clarifications?|"
        r"Corrections?)\b.{0,80}\b" + _ENTITY_LIST,
        r"Removal of Certain Entities",
        _ENTITY_LIST + r" Additions",
        r"(?:Temporary )?Denial Orders?\b",
        r"Renewal of (?:a )?Temporary Denial Order",
        r"Order Denying Export Privileges",
        r"(?:Revisions? to |Amendments? to |Implementation of )?(?:the )?Export Administration "
        r"Regulations",
        r"Implementation of (?:the )?Wassenaar Arrangement",
        r"(?:Revisions? to )?License Exception",
        r"Foreign[- ]Produced Direct Product Rule",
        r"Guidance on Application of General Prohibition",
    )
    + _cues(
        "export-control",
        "text",
        4,
        r"(?:In this rule,? )?(?:the )?(?:Bureau of Industry and Security|BIS)(?: \(BIS\))? "
        r"(?:amends|revises|"
        r"is revising|is amending|rescinds|is rescinding|issues|is issuing|is publishing|"
        r"publishes)\b",
        r"Pursuant to Section 766\.24",
        r"export privileges of any person",
        r"Office of Export Enforcement, has requested",
    )
    # Congress.
    + _cues(
        "bill",
        "title",
        4,
        r"(?:an? )?(?:bill|joint resolution|resolution) (?:to|providing|recognizing|expressing|designating|condemning)\b",
    )
    + _cues("bill", "title", 4, r"Providing for congressional disapproval", r"Text of (?:H|S)\.")
    + _cues("bill", "head", 3, r"\bAmendment (?:No\. |SA )?\d+ to (?:S|H\.\s?R)\.\s?\d+")
    + _cues(
        "bill",
        "head",
        2.5,
        r"(?-i:^(?:[A-Z][\w'’-]*,? |of |the |for |on |in |and |to |from |\d{4} )+Act(?: of \d{4}| for Fiscal Year \d{4})?$)",
    )
    + _cues(
        "bill",
        "text",
        5,
        r"Be it enacted by the Senate and House",
        r"^A BILL\b",
        r"^Resolved(?:,| by the)",
        r"^(?:SECTION|SEC\.) 1\. SHORT TITLE",
        r"submitted an amendment intended to be proposed",
        r"^Introduced in (?:House|Senate)\b",
    )
    + _cues(
        "bill",
        "text",
        4,
        r"^To (?:require|amend|establish|prohibit|direct|provide|authorize|prescribe|designate|improve|ensure|repeal|promote|protect)\b.{0,300}(?:and for other purposes|\.$)",
        r"^This (?:bill|joint resolution|resolution) (?:requires|prohibits|establishes|directs|authorizes|amends|expresses|provides|allows|makes)\b",
    )
    + _cues(
        "hearing",
        "title",
        4,
        r"(?-i:(?:[A-Z][\w.,&'’-]*\s+){0,6}?)hearings?\s*(?::|[-–—]|(?:on|to\s+examine)\b)",
        r"(?:Full |Subcommittee |Joint |Field |Open |Closed |Oversight |Legislative |Nomination )+Hearing\b",
        r"Hearing Notice\b",
        r"Hearings? to examine\b",
        r"Nomination Hearing\b",
        r"(?:Full Committee )?Markup\b",
        r"Markup of\b",
        r"Testimony of\b",
        r"Transcript:? .*\bHearing\b",
        r"Opening Statement of .{0,80}\bat (?:a |the )?Hearing\b",
        r"Executive Session\b",
        r"To receive testimony\b",
        r"Nomination of .{3,120} to be\b",
    )
    + _cues(
        "hearing",
        "text",
        3,
        r"will meet in (?:open|closed|executive) session",
        r"to (?:conduct|hold) (?:a |an open |a field )?hearings?\b",
        r"will hold an? (?:open |closed |field |joint |oversight |legislative )*hearing",
        rf"\b{_BUILDING} (?:Senate |House )?Office Building\b",
        r"\bRoom \d{3,4}\b",
        r"\b(?:SD-|SH-|SR-|SVC-)G?\d{2,3}\b",
        r"\bWitness(?:es)?:",
        r"opportunity to testify",
        r"The (?:committee|subcommittee) will come to order",
        r"^(?:Full Committee|Subcommittee on)\b",
    )
    + _cues("hearing", "text", 1.5, r"\bDate:.{0,60}\bTime:", r"\bLocation:")
    + _cues(
        "export-control",
        "text",
        4,
        r"(?:Bureau of Industry and Security|BIS) and .{0,80}\bhave agreed\b",
    )
    # Letters.
    + _cues(
        "letter",
        "title",
        4,
        r"(?:(?:joint|open|bipartisan|industry|coalition)\s+)?letters?\s+(?:to|from|re|regarding|on)\b",
        r"An open letter\b",
        r"Re:\s",
        r"(?:Response|Reply) to .{0,80}\b(?:inquiry|letter|request)\b",
    )
    + _cues("letter", "head", 2, r"\bletter to\b", r"\bcomment (?:letter )?on the\b")
    + _cues(
        "letter",
        "text",
        5,
        r"^(?:The Honorable\b.{0,300}?)?Dear\s",
        r"\bWe, the undersigned\b",
        r"\bThank you for your letter\b",
        r"\bSincerely,",
    )
    + _cues(
        "letter",
        "text",
        3,
        r"\b(?:We|I|The Committees?) writes? (?:to|with|regarding|in|on behalf)\b",
        r"thank you for the opportunity to (?:comment|respond)",
        r"^Re:\s",
        r"Submitted electronically via regulations\.gov",
    )
    # Reports.
    + _cues(
        "report",
        "title",
        4,
        r"(?:(?:annual|final|interim|special|staff|new|majority staff|minority staff)\s+)?report\s*(?::|[-–—]|(?:to|on|of)\b)",
        r"(?:issue|policy|white)\s+(?:brief|paper)\s*:",
        r"working\s+paper\s*:",
        r"(?:\d{4} )?Annual Report\b",
        r"Semiannual Report\b",
        r"(?:Final|Interim) Report\b",
        r"Audit of\b",
        r"Evaluation of\b",
        r"(?:Majority |Minority )?Staff Report\b",
    )
    + _cues(
        "report",
        "head",
        2.5,
        r"\bThreat Tracker\b",
        r"\bReport \d{4}$",
        r"\bState of .{2,40} \d{4}$",
    )
    + _cues(
        "report",
        "text",
        3.5,
        r"^Executive Summary\b",
        r"\bThis (?:report|brief|paper|study|memo) (?:examines|describes|assesses|discusses|presents|analyzes|analyses|argues|summarizes|summarises|finds)\b",
        r"\bIn this (?:report|brief|paper)\b",
        r"\bWhat GAO Found\b",
        r"^Congressional Research Service\b",
        r"^Office of Inspector General\b",
        r"\bKey findings\b",
        r"^Summary:",
        r"\bFindings:",
        r"\bsubmits its .{0,40}Report\b",
        r"\bThis .{0,20}report\b.{0,60}\b(?:assesses|finds|examines|describes|summarizes)\b",
        r"\bMethodology\b",
        r"^Prepared by the staff of\b",
        r"\bThe Commission's (?:final|annual) report\b",
        r"\bour annual survey\b",
        r"\b(?:analyzes|analyses|evaluated|assesses) .{0,60}\b(?:records|participants|benchmarks|models)\b",
        r"\bwe (?:estimate|describe|find|found)\b",
        r"\b(?:ITIF|CSET|CNAS|RAND|IAPS|CSIS|Brookings) (?:argues|finds|analyzes|analyses|report)\b",
        r"\bRAND Corporation\b",
    )
    # Statements by their issuers.
    + _cues(
        "press-release",
        "title",
        4,
        r"(?:press|news)\s+release\b",
        r"statement\s+(?:by|from|on)\b",
        r"readout\s+of\b",
        r"fact\s+sheet\b",
        r"ICYMI\b",
        r"Media Advisory\b",
        r"(?:WATCH|VIDEO|PHOTOS):",
    )
    + _cues("press-release", "head", 2.5, r"(?-i:\b[A-Z][a-z]+ Statement on\b)")
    + _cues(
        "press-release",
        "head",
        2,
        r"(?-i:^(?:[A-Z][\w.'’-]*,? (?:and )?){1,4}(?:Announces?|Launch(?:es)?|Introduces?|Unveils?|Imposes?|Sanctions|Adds|Delivers|Joins?|Press(?:es)?|Urges?|Applauds?|Welcomes?|Reintroduces?|Leads?|Secures?|Demands?|Calls)\b)",
        r"(?-i:^Hearing Wrap[- ]?Up\b)",
    )
    + _cues(
        "press-release",
        "text",
        4,
        r"FOR IMMEDIATE RELEASE",
        r"(?:^|\s)###(?:\s|$)",
        r"/PRNewswire/|--\(BUSINESS WIRE\)--|/GlobeNewswire/|/Globe Newswire/",
        r"\((?:NASDAQ|NYSE|Nasdaq)\s*:\s*[A-Z.]+\)",
        r"released the following statement",
        r"The following is attributable to",
        r"\bIn case you missed it\b",
        r"Text of the letter is available",
        r"^(?:WASHINGTON|Washington)(?:,? D\.?C\.?)?\s*[–—-]+\s*(?:Today|U\.S\.|United States|Senators?|Sens?\.|Congress(?:man|woman)|Rep\.|Representatives?|House|Senate|Chairman|Chair|Ranking)",
        r"^(?:GAITHERSBURG|SAN FRANCISCO|SEATTLE|SANTA CLARA|REDMOND|MOUNTAIN VIEW|ABU DHABI|SHANGHAI|SHENZHEN|BEIJING|NEW YORK)\b[^()]{0,80}(?:[–—-]{1,2}|--)\s",
        r"\bWHAT:.{0,200}\bWHEN:",
    )
    + _cues(
        "press-release",
        "text",
        2.5,
        r"\btoday (?:announced|introduced|launched|released|unveiled|imposed|sanctioned|added|delivered|reported|issued|sent|charged)\b",
        r"^Today, (?:the |U\.S\. |House |Senate |Senators? )",
        r"\bToday we(?:'re| are) (?:sharing|announcing|releasing|introducing|launching|publishing)\b",
        r"\bsaid (?:Senator|Sen\.|Congressman|Congresswoman|Rep\.|Chairman|Chair|Ranking Member|Secretary|Director|Administrator|Assistant Secretary|Under Secretary)\b",
        r"\bannounced (?:Assistant Attorney General|U\.S\. Attorney|Secretary)\b",
        r"\bin a statement released today\b",
    )
    # Reporting.
    + _cues(
        "news",
        "title",
        4,
        r"(?:Opinion\s*\||Analysis:|Exclusive:|Fact check:|Interview:|Inside the\b|What's in\b|How a\b|The week in\b|Letter from (?!the\b)[A-Z])",
    )
    + _cues(
        "news",
        "head",
        3,
        r",\s+(?:sources say|CNBC reports|Bloomberg reports|Reuters reports|report says)\s*$",
    )
    + _cues(
        "news",
        "text",
        3,
        r"\((?:Reuters|AP|Bloomberg|AFP)\)",
        r"\b(?:Reuters|Bloomberg|CNBC|Axios|Politico|the Financial Times|The Information) (?:reported|reports)\b",
        r"\b(?:told|according to) (?:Reuters|Bloomberg|CNBC|Axios|Politico|reporters)\b",
        r"\bpeople familiar with the (?:matter|plan|discussions|decision)\b",
        r"\b(?:seen|reviewed) by (?:Reuters|Bloomberg|CNBC|Axios|Politico)\b",
        r"\bit reviewed\b|\bcopy (?:of the \w+ )?(?:it|seen|reviewed)\b",
        r"did not (?:immediately )?respond to (?:a )?requests? for comment",
        r"\b(?:argues|writes) (?:our |a )?(?:columnist|former|contributor)\b",
        r"^By [A-Z][a-z]+ [A-Z][a-z]+\.",
        r"\bHere is what (?:to know|the evidence shows)\b",
        r"\bspoke to us\b",
        r"\ba committee aide said\b",
    )
    + _cues(
        "news",
        "text",
        1.5,
        rf"\bon {_DAYS}\b",
        r"\baccording to (?:a|an|the|people|two|three|sources|documents)\b",
        r"\b(?:a (?:report|memo|letter|notice) (?:by|from|published|seen))\b",
        r"\b(?:legal scholars|analysts|experts|critics) (?:say|said)\b",
    )
)
