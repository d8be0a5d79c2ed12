"""Event grouping on the sets written for issue 13 item 3 after the older ones.

`tests/data/events_unseen.jsonl` (213 reports of 77 happenings) was written
before any code ran on it and scored once (pairwise F1 0.589); the grouping was
then tuned on its errors, so its floors below hold a development figure:
`python bench/events.py` measured precision 0.976, recall 0.721, F1 0.829,
0.5 false merges per 100 items. `tests/data/events_unseen2.jsonl` (103 reports)
was written at the same time and scored once, on the final code: its floors
hold the held-out figure, precision 0.941, recall 0.634, F1 0.757, 1.0 false
merges per 100 items (main's code: 0.909, 0.495, 0.641, 1.9). Both were then
development sets for the events13b paraphrase work: 0.977/0.757/0.853/0.5 and
0.949/0.733/0.827/1.0. `tests/data/events_unseen3.jsonl` (111 reports) was
written before that work and scored once, on its final code: precision 0.820,
recall 0.450, F1 0.581, 1.8 false merges per 100 items (7558d6d: 0.780, 0.351,
0.484, 1.8), far under the target. The events6 work (recall without more false
merges) was tuned on all three, now development sets: 0.979/0.838/0.903/0.5,
0.955/0.842/0.895/1.0 and 1.000/0.829/0.906/0.0. `tests/data/events_unseen4.jsonl`
(152 reports) was written before that work and scored once, at its end: precision
0.743, recall 0.651, F1 0.694, 4.6 false merges per 100 items (32ff255: 0.553,
0.559, 0.556, 4.6), far under the target. The events7 work (what an act is
about: names no coverage uses, a newsroom's two releases, corroboration only for
a near miss) was tuned on all four, now development sets: 0.979/0.851/0.911/0.5,
0.957/0.871/0.912/1.0, 1.000/0.901/0.948/0.0 and 1.000/0.810/0.895/0.0.
`tests/data/events_unseen5.jsonl` (167 reports) was written by a separate writer
who saw neither the code nor the other sets, and scored once at the end of that
work: precision 0.661, recall 0.441, F1 0.529, 7.2 false merges per 100 items
(ae1b920: 0.592, 0.312, 0.408, 7.2), far under the target. The events8 work
(figures, headlines that date an earlier act apart, a member's site naming the
chamber, Register notices printed days after coverage of another kind of act,
testimony as its hearing, one kind of deed to two parties) was tuned on it, now a
development set: 0.837/0.498/0.624/3.0; on the other sets only unseen3 moved
(0.948 -> 0.963).
`tests/data/events_unseen6.jsonl` (235 reports) was written by another separate
writer while that work went on, sealed outside the repository, and scored once
on main before it (680bb5b: 0.671/0.679/0.675/8.1) and after it (2360568:
0.674/0.683/0.678/6.8): far under the target, as each held-out set has been.
The events9 work (what official records name: the body a Register document
says acts, commission dockets across the Register's weeks of delay, a
hearing's witnesses, a bill's sponsor and number) was tuned on it, now a
development set: 0.745/0.760/0.752/4.7; unseen4 rose to 1.000/0.831/0.908/0.0
and unseen5 to 0.839/0.506/0.631/3.0, the other sets did not move.
`tests/data/events_unseen7.jsonl` (241 reports), by a third separate writer,
sealed while that work went on and scored once on main before it (aef10ce:
0.742/0.713/0.728/5.0) and after it (a005cf4: 0.753/0.723/0.738/4.6).
`events_fresh.jsonl` (35 reports) measured F1 1.000. The events10 learned
correction (`tracker.event_learned`, fitted on all ten sets; judged leave-one-set-out
in `bench/events_learned.py`) moved unseen2 to 0.958/0.901/0.929/1.0, unseen6 to
0.809/0.760/0.783/3.0 and unseen7 to 0.784/0.723/0.753/4.1: those floors hold the
fitted figures, the leave-one-out ones are in EVALUATION.md.
`tests/data/events_unseen8.jsonl` (266 reports), by a fourth separate writer, was
sealed before the events10 work and scored once on main before it (7881d53:
0.592/0.654/0.622/8.3) and after it and the grouping's speed work (39bdacc:
0.665/0.633/0.648/7.9), the held-out figure its floors hold.
`tests/data/events_unseen9.jsonl` (289 reports), by a fifth separate writer in
session 9, was scored once on main (202bc9f: 0.776/0.686/0.728/4.2); no grouping
code changed after. `tests/data/events_unseen10.jsonl` (266 reports, with the
links feeds carry in `summary_html`), by a sixth separate writer in session 10,
was scored once on main before the link code (2da3b66: 0.798/0.728/0.761/4.1)
and once on it (cab12fd: 0.809/0.768/0.788/4.1). The conflict23 work
(`tracker.event_conflicts`: two laws, results beside another deed, two chambers'
bills, two states) was tuned on unseen5, unseen6, unseen8, unseen9 and unseen10,
now development sets whose floors hold its figures: 0.924/0.494/0.644/2.4,
0.861/0.753/0.803/2.1, 0.698/0.615/0.654/7.5, 0.814/0.694/0.749/3.5 and
0.878/0.775/0.824/3.0; no other set moved. `tests/data/events_unseen11.jsonl`
(262 reports, with links), by a seventh separate writer in session 11, was
sealed before the conflict23 work and scored once on main before it (51df0af:
0.673/0.608/0.639/6.9) and once on it (8c94a7f: 0.715/0.618/0.663/5.7). The
aside23 work (a headline's background clause: links written from it or compared
with the report's own act are not its subject; the other chamber's act it dates
apart) was designed from unseen11, now a development set whose floor holds its
figures 0.784/0.632/0.700/3.4; no other set moved.
`tests/data/events_unseen12.jsonl` (264 reports, with links), by an eighth
separate writer in session 11, was sealed before the aside23 work and scored
once on 51df0af and da38689 (both 0.664/0.687/0.676/9.5: conflict23 moved
nothing there) and once on aside23 (67afb3b: 0.703/0.701/0.702/7.6).
The events24 work (`tracker.event_filings`: a court's docket entry or a company's
SEC form is the act it records, and coverage naming its party or court joins it)
was designed from the errors of unseen5 to unseen12 and links_dev, all development
sets by then; its floors hold its figures: unseen7 0.787/0.733/0.759/4.1, unseen8
0.719/0.621/0.667/7.1, unseen9 0.802/0.737/0.768/3.1, unseen10 0.904/0.819/0.859/2.6,
unseen11 0.798/0.684/0.736/3.4, unseen12 0.728/0.772/0.749/7.2; no other set moved.
`tests/data/events_unseen13.jsonl` (263 reports, with links), by a ninth separate
writer in session 12, was sealed before the events24 work and scored once on main
before it (509a9b9: 0.796/0.710/0.750/4.6) and once on it (c7b9232:
0.801/0.736/0.767/4.6); nothing was changed after.
The objects24 work (`tracker.event_objects`: the goods an act covers and whom a letter
is written to, named apart in two reports, make two acts; a Register printing reaches
back to its agency's release, not forward) was designed from the false merges of
unseen5 to unseen13 and links_dev, all development sets by then; its floors hold its
figures: unseen12 0.765/0.776/0.770/6.8, unseen13 0.873/0.759/0.812/2.7; no other set
moved. `tests/data/events_unseen14.jsonl` (261 reports, with links), by a tenth
separate writer in session 12, was sealed before the objects24 work and scored once
on main before it (f9a4c2c: 0.749/0.784/0.766/5.7; 509a9b9, before events24, the
same: events24's filings fire on none of its pairs) and once on it (ebb56f6:
0.761/0.781/0.770/5.7). vetoes24 (narrowing five rules that hold reports apart,
counted over every set) moved: unseen3 1.000/0.946/0.972/0.0, unseen5 0.927/0.514/0.661/2.4, unseen7
0.793/0.762/0.777/4.1, unseen8 0.727/0.645/0.683/7.1, unseen9 0.810/0.771/0.790/3.1,
unseen11 0.803/0.708/0.753/3.4, unseen12 0.759/0.782/0.771/6.8, unseen13
0.862/0.814/0.838/2.7, unseen14 0.763/0.791/0.777/5.7; no other set moved.
`tests/data/events_unseen15.jsonl` (254 reports, with links), by an eleventh separate
writer in session 12, was sealed before the vetoes24 work and scored once on main
before it (3dd6282: 0.796/0.695/0.742/3.9; 509a9b9, the session's start,
0.792/0.678/0.731/3.9) and once on it (9f97c68: the same as 3dd6282).
`tests/data/events_unseen16.jsonl` (266 reports, with links), by a twelfth separate
writer in session 13, was sealed while the bills26 work began (designed from the other
sets' bill-stage splits; the set was not read before scoring) and scored once on main
before it (a67638d: 0.696/0.749/0.722/6.8) and once on it (0.713/0.759/0.735/6.4).
bills26 (a bill's record at its stage, committee approvals, the chamber a headline
says acted) moved: unseen8 0.728/0.651/0.688/6.8, unseen9 0.814/0.782/0.798/2.8,
unseen10 0.863, unseen11 0.762, unseen12 0.775, unseen14 0.785, unseen15
0.795/0.691/0.740/3.9; no other set moved.
`tests/data/events_unseen17.jsonl` (255 reports, with links), by a thirteenth separate
writer in session 13, was sealed while the letters27 work began (designed from
unseen15 and unseen16's letters to two firms; the writer was asked for such letters
among the other lookalikes, and the set was not read before scoring) and scored on
a67638d (0.758/0.740/0.749/4.7), on main before it (6a2269d, with bills26:
0.760/0.748/0.754/4.7) and once on it (0.769/0.748/0.758/4.3). letters27 moved:
unseen15 0.803/0.685/0.739/3.9, unseen16 0.743/0.773/0.758/5.3; no other set moved.
`tests/data/events_unseen18.jsonl` (266 reports, with links), by a fourteenth separate
writer in session 13, was sealed before refit28 (the learned correction refitted on all
21 other sets, BETA 0.1 -> 0.3 chosen leave-one-set-out) and scored on a67638d
(0.825/0.699/0.757/3.0), on main before it (814a9d8: 0.838/0.699/0.762/2.6) and once on
it (0.882/0.706/0.784/1.9). refit28 moved (fitted on these sets, so in-sample; the
leave-one-set-out figures are in EVALUATION.md): unseen 1.000/0.869/0.930/0.0, unseen3
1.000/0.919/0.958/0.0, unseen5 0.924/0.494/0.644/1.8, unseen6 0.940/0.747/0.832/1.3,
unseen7 0.807/0.749/0.777/4.1, unseen8 0.773/0.645/0.703/5.6, unseen9
0.863/0.782/0.820/2.1, unseen10 0.865, unseen11 0.837/0.733/0.781/2.7, unseen12
0.768/0.799/0.783/6.4, unseen13 0.836, unseen14 0.824/0.807/0.815/3.4, unseen15
0.852/0.695/0.765/3.1, unseen16 0.785/0.780/0.783/4.1, unseen17 0.767/0.756/0.762/4.3.
`tests/data/events_unseen19.jsonl` (250 reports, with links), by a fifteenth separate
writer in session 13, was sealed before feats30 (three more inputs of the learned
correction, judged leave-one-set-out and not kept) and scored on a67638d
(0.814/0.717/0.763/4.4) and on main (21f95ed: 0.887/0.732/0.802/3.2).
`tests/data/events_unseen20.jsonl` (251 reports, with links), by a sixteenth separate
writer in session 14, was sealed before kinds31 (the kind of act a headline or lede
names, read as it is meant) and scored on main before it (366c569:
0.913/0.599/0.724/2.0) and once on it (0.914/0.607/0.729/2.0). kinds31 moved unseen4 to
0.914, unseen5 0.654, unseen6 0.845, unseen10 0.876, unseen11 0.790, unseen13 0.840 (2.3
false merges), unseen15 0.883/0.711/0.788/2.0, unseen17 0.816/0.763/0.789/3.1; no set fell.
`tests/data/events_unseen21.jsonl` (249 reports, with links), by a seventeenth separate
writer in session 14, was sealed before refit32 (the learned correction refitted on 24
sets with BETA 0.4, judged on it and not kept) and scored on 366c569
(0.871/0.571/0.690/2.4) and on main with kinds31 (fad70e9: 0.873/0.579/0.696/2.4).
`tests/data/events_unseen22.jsonl` (258 reports, with links), by an eighteenth separate
writer in session 14, asked for court cases among its happenings, was sealed before
filings33 (docket entries without a case number in their titles, coverage naming an
appeals court or the Supreme Court by its level) and scored on main before it (31ea627,
the same figures as 366c569: 0.927/0.714/0.806/0.8) and once on it
(0.928/0.728/0.816/0.8). filings33 moved unseen8 to 0.714, unseen13 0.844, unseen18
0.791, unseen19 0.819, unseen20 0.752, unseen21 0.705; no set fell.
Session 18's taxonomy levers move grouping through the tags it reads: entities48 (OMB
and its M-YY-NN memoranda are the White House's) gave both of unseen10's OMB memoranda
of one week `white-house`, and "Second OMB memo in a week targets FedRAMP" joined the
first memo's event instead of the second's (unseen10 false merges 2.6 -> 3.0 per 100,
its floor 3.0 -> 3.1); over the 26 sets mean F1 0.8350 -> 0.8339, false merges 2.24 ->
2.31 per 100 for the whole session (tests/data/EVALUATION.md, session 18).
Session 20's register35 (who issued a Federal Register document, read from its RIN,
docket, CFR part and record; `tracker/event_register.py`) moved unseen8 to
0.797/0.725/0.760/5.3, unseen15 0.848/0.789/0.817/2.4, unseen18 0.874/0.797/0.834/2.3,
unseen19 0.874/0.799/0.835/3.2 and eight other sets a little; no set fell and no false
merge was added. `tests/data/events_unseen23.jsonl` (253 reports, with links), by a
nineteenth separate writer in session 20, was sealed before register35 was designed and
scored on 0d43dff (0.787/0.695/0.738/3.6) and once on it (0.797/0.775/0.786/3.6).
`tests/data/events_unseen24.jsonl` (251 reports, with links), by a twentieth separate
writer under a neutral brief (no kind of report named), sealed likewise and scored on
0d43dff (0.795/0.864/0.828/5.2) and on register35 (0.796/0.867/0.830/5.2).
`tests/data/events_unseen25.jsonl` (264 reports, with links), by a twenty-first separate
writer in session 21, sealed likewise and scored once on 3921e3d: 0.740/0.909/0.816/3.8;
apart44 (two governments' acts, two departments' acts; designed after that scoring, so
this is a development figure) 0.828/0.900/0.862/2.7, unseen23 0.845/0.768/0.805/3.2.
`tests/data/events_unseen26.jsonl` (228 reports, with links), by a twenty-second
separate writer, sealed until scored on ff2eadc and on apart44 (327dac8): the same,
0.934/0.776/0.847/1.3; then a criminal case's steps read as the Justice Department's
act (a development figure): 0.975/0.776/0.864/0.9. apart44 also moved unseen7 to
0.844/0.756/0.797/3.7, unseen8 0.798/0.725/0.760/4.9, unseen23 0.845/0.768/0.805/3.2 and
unseen24 0.811/0.867/0.838/4.8; their floors follow.
`tests/data/events_unseen27.jsonl` (249 reports, with links), by a twenty-third separate
writer in session 22, sealed until scored on 1e377aa, on passing57 and on prints57 (a
Federal Register printing up to three weeks after its release, scored by its words too):
0.802/0.802/0.802/3.6 on all three. Its writer named sources as outlets print them
("Federal Communications Commission"), where every other set and `data/sources.toml` use
feed slugs ("fcc"), so no release was read as its agency's; the file here carries slugs,
mapped by a table of the bodies' acronyms written after that scoring. Scored again:
1e377aa and passing57 0.774/0.843/0.807/4.0, prints57 0.776/0.854/0.813/4.0.
prints57 (designed before that scoring on the other sets) moved unseen19 to
0.876/0.818/0.846/3.2, unseen23 to 0.845/0.789/0.816/3.2 and unseen26 to
0.976/0.791/0.874/0.9, among thirteen sets; their floors follow.
`tests/data/events_unseen28.jsonl` (238 reports, with links and feed slugs), by a
twenty-fourth separate writer in session 22, sealed until scored on 1e377aa and passing57
(0.949/0.771/0.851/1.7) and on licences57, with prints57 (0.949/0.783/0.858/1.7).
Each floor is a little under the figure.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
from event_items import labelled as labelled_set

from tracker.events import group

DATA = Path(__file__).resolve().parent / "data"
# set: (precision, recall, F1, most false merges per 100 items)
FLOORS = {
    "events_unseen.jsonl": (0.96, 0.83, 0.89, 1.0),
    "events_unseen2.jsonl": (0.93, 0.87, 0.90, 1.5),
    "events_unseen3.jsonl": (0.97, 0.90, 0.94, 1.0),
    "events_unseen4.jsonl": (0.97, 0.80, 0.88, 1.0),
    "events_unseen5.jsonl": (0.89, 0.47, 0.62, 3.0),
    "events_unseen6.jsonl": (0.83, 0.73, 0.78, 2.6),
    "events_unseen7.jsonl": (0.82, 0.74, 0.78, 4.0),
    "events_unseen8.jsonl": (0.77, 0.70, 0.74, 5.2),
    "events_unseen9.jsonl": (0.78, 0.74, 0.77, 3.6),
    "events_unseen10.jsonl": (0.88, 0.79, 0.83, 3.1),
    "events_unseen11.jsonl": (0.77, 0.68, 0.73, 3.8),
    "events_unseen12.jsonl": (0.73, 0.76, 0.75, 7.2),
    "events_unseen13.jsonl": (0.83, 0.79, 0.81, 3.2),
    "events_unseen14.jsonl": (0.73, 0.77, 0.75, 6.0),
    "events_unseen15.jsonl": (0.82, 0.76, 0.80, 2.8),
    "events_unseen16.jsonl": (0.71, 0.74, 0.73, 5.8),
    "events_unseen17.jsonl": (0.74, 0.72, 0.73, 4.8),
    "events_unseen18.jsonl": (0.85, 0.77, 0.81, 2.4),
    "events_unseen19.jsonl": (0.85, 0.80, 0.83, 3.5),
    "events_unseen20.jsonl": (0.89, 0.60, 0.72, 2.6),
    "events_unseen21.jsonl": (0.85, 0.55, 0.67, 3.0),
    "events_unseen22.jsonl": (0.90, 0.72, 0.80, 1.2),
    "events_unseen23.jsonl": (0.82, 0.77, 0.80, 3.5),
    "events_unseen24.jsonl": (0.79, 0.85, 0.82, 5.2),
    "events_unseen25.jsonl": (0.81, 0.88, 0.84, 3.0),
    "events_unseen26.jsonl": (0.95, 0.77, 0.85, 1.2),
    "events_unseen27.jsonl": (0.75, 0.83, 0.79, 4.4),
    "events_unseen28.jsonl": (0.92, 0.76, 0.84, 2.0),
    "events_fresh.jsonl": (0.97, 0.97, 0.97, 1.0),
}


def measure(name: str) -> tuple[float, float, float, float]:
    items, happening = labelled_set(name)
    labelled: dict[str, list[int]] = {}
    for item_id, label in happening.items():
        labelled.setdefault(label, []).append(item_id)
    found = group(items)
    truth = {frozenset(p) for g in labelled.values() for p in combinations(g, 2)}
    predicted = {frozenset(p) for g in found for p in combinations(g, 2)}
    precision = len(truth & predicted) / len(predicted)
    recall = len(truth & predicted) / len(truth)
    f1 = 2 * precision * recall / (precision + recall)
    merges = sum(len({happening[m] for m in members}) - 1 for members in found)
    return precision, recall, f1, 100 * merges / len(items)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_grouping_holds_its_floors(name: str) -> None:
    precision, recall, f1, merges = measure(name)
    low_p, low_r, low_f1, most_merges = FLOORS[name]
    assert precision >= low_p and recall >= low_r and f1 >= low_f1, (precision, recall, f1)
    assert merges <= most_merges, merges


@pytest.mark.parametrize(
    "name",
    [
        "events_unseen.jsonl",
        "events_unseen2.jsonl",
        "events_unseen3.jsonl",
        "events_unseen4.jsonl",
        "events_unseen5.jsonl",
        "events_unseen6.jsonl",
        "events_unseen7.jsonl",
        "events_unseen8.jsonl",
        "events_unseen9.jsonl",
        "events_unseen10.jsonl",
        "events_unseen11.jsonl",
        "events_unseen12.jsonl",
        "events_unseen13.jsonl",
        "events_unseen14.jsonl",
        "events_unseen15.jsonl",
        "events_unseen16.jsonl",
        "events_unseen17.jsonl",
        "events_unseen18.jsonl",
        "events_unseen19.jsonl",
        "events_unseen20.jsonl",
        "events_unseen21.jsonl",
        "events_unseen22.jsonl",
        "events_unseen23.jsonl",
        "events_unseen24.jsonl",
        "events_unseen25.jsonl",
        "events_unseen26.jsonl",
        "events_unseen27.jsonl",
        "events_unseen28.jsonl",
    ],
)
def test_the_sets_are_what_the_issue_asks_for(name: str) -> None:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    least = {
        "events_unseen.jsonl": 200,
        "events_unseen4.jsonl": 150,
        "events_unseen5.jsonl": 160,
        "events_unseen6.jsonl": 200,
        "events_unseen7.jsonl": 200,
        "events_unseen8.jsonl": 230,
        "events_unseen9.jsonl": 260,
        "events_unseen10.jsonl": 240,
        "events_unseen11.jsonl": 240,
        "events_unseen12.jsonl": 240,
        "events_unseen13.jsonl": 240,
        "events_unseen14.jsonl": 240,
        "events_unseen15.jsonl": 240,
        "events_unseen16.jsonl": 240,
        "events_unseen17.jsonl": 240,
        "events_unseen18.jsonl": 240,
        "events_unseen19.jsonl": 240,
        "events_unseen20.jsonl": 240,
        "events_unseen21.jsonl": 240,
        "events_unseen22.jsonl": 240,
        "events_unseen23.jsonl": 240,
        "events_unseen24.jsonl": 240,
        "events_unseen25.jsonl": 250,
        "events_unseen26.jsonl": 220,
        "events_unseen27.jsonl": 240,
        "events_unseen28.jsonl": 230,
    }.get(name, 100)
    assert len(rows) >= least
    assert len({r["source_kind"] for r in rows}) >= 5
    happenings = {r["event"] for r in rows}
    assert all(r["lookalike_of"] in happenings for r in rows if r["lookalike_of"])
    assert sum(1 for r in rows if r["lookalike_of"]) >= len(rows) // 5
