"""How common each word stem is in policy coverage, for weighting shared words. Pure.

A small document-frequency table shipped in the package (nothing is fetched at
run time): built by `python bench/events.py --rarity` from the project's own
labelled text (`tests/data/tagging_eval.jsonl`, `doctype_eval.jsonl`,
`relevance_corpus.jsonl`; 939 documents; the events sets are not used), as
stems from `tracker.event_words.tokens`, keeping stems in 3 or more documents.
Two reports that share "ai", "chip" and "export" share what every report in
this field says; two that share "foundry" or "battlefield" share something.
"""

from __future__ import annotations

import math

DOCUMENTS = 939
# stem:documents, for stems in at least 3 documents.
_TABLE = """
00:12 000:27 10:21 100:12 11:6 12:11 13:5 15:9 16:5 19:3 1962:3 1974:3 20:5 200:5 2018:4 2022:3
2024:7 2025:22 2026:34 2027:4 22:5 23:6 232:6 24:6 25:11 26:3 27:3 28:7 30:9 300:4 301:4 40:7
50:6 500:7 60:3 80:6 8283:11 abel:4 abusiv:4 accelerator:7 acces:17 accord:6 account:32
accountability:3 accuracy:3 accus:16 acquir:3 acquisit:8 acros:5 act:74 action:61 activity:6
actor:4 add:13 added:9 adding:9 addit:6 addres:4 adjust:7 administr:20 advanc:57 adversarial:14
adversary:8 affair:15 age:3 agency:86 agent:5 agentic:3 agre:6 agreement:7 ai:360 air:6 airbnb:5
alibaba:33 alleg:16 ally:3 amazon:13 amd:8 amend:18 amendment:10 america:39 american:88
analysis:12 analyst:7 andrew:4 andy:6 announc:15 annual:14 another:3 answer:8 anthropic:66
antitrust:21 anyspher:3 api:8 app:13 appl:4 apply:5 appropri:4 approv:13 approval:6 april:16
argu:13 arizona:5 armed:7 arrangement:3 articl:3 ascend:10 asia:7 ask:16 asked:14 asking:5
assembl:4 asses:7 assessment:4 asset:8 assistant:8 associ:4 astronaut:3 attack:30 attacker:10
attempt:9 attorney:5 audit:4 authority:29 authoriz:7 availabl:5 award:5 aws:3 azur:3 back:15
background:3 baidu:5 ban:14 bank:48 bar:8 barr:5 based:8 basel:4 baseles:5 beat:4 becom:5
behaviour:3 beij:12 benchmark:8 berkshir:4 bessent:6 bet:3 biden:3 bill:85 bipartisan:4 bis:37
blackwel:5 block:11 bloomberg:4 book:5 boom:3 bought:5 bourbon:3 brad:3 brazil:3 breach:3
break:4 brief:5 budget:5 buffet:5 build:30 built:10 bulk:4 bureau:46 busines:11 buy:3 buying:6
bytedanc:10 cabl:4 caisi:5 california:7 call:21 campaign:23 cannot:6 capability:11 capacity:5
car:6 case:15 ccp:16 center:46 central:7 ceo:3 certain:7 certify:3 chain:4 chair:11 chairman:32
challeng:5 chamber:5 chang:12 charg:8 chatbot:18 chatgpt:8 check:5 chief:14 china:79 chines:126
chip:163 circuit:6 cited:4 citing:6 city:4 civil:5 claim:14 classify:3 claud:43 claus:3 climb:4
clos:8 cloud:19 cluster:4 cna:5 cnbc:3 co:3 coast:3 code:5 coding:10 coerc:3 collect:4 collus:4
come:7 comment:19 commerc:101 commis:29 commit:3 committe:101 communic:5 communist:6 community:6
compan:3 compet:8 competit:11 competitor:9 complaint:3 complet:3 component:3 comput:24
concern:14 conduct:5 conferenc:3 confirm:4 congres:28 congressional:4 connect:3 consider:15
constant:3 constitut:25 consumer:8 continu:5 contract:6 control:96 coordin:3 coordinat:6 copy:29
copyright:5 corp:3 cost:18 council:5 count:3 counter:5 country:10 county:3 court:10 cover:12
creat:10 credit:3 critic:3 critical:6 criticism:3 criticiz:3 crud:4 crypto:5 cset:4 customer:17
cut:16 cyber:8 cybersecurity:6 data:79 date:11 day:16 deal:22 dear:18 debat:7 decis:5 declar:4
deep:4 deepseek:53 defend:5 defens:16 delay:6 deleg:3 demand:16 democrat:4 denial:4 deny:9
department:95 deploy:3 derivativ:3 describ:13 design:15 designat:10 designer:4 despit:3 destin:3
detect:12 deter:11 determin:5 develop:6 developer:47 development:5 devic:12 diesel:4 diffus:6
digital:3 direct:19 director:16 dirksen:3 disapproval:3 disclosur:8 discus:7 distil:143
distillat:3 distiller:10 distillery:3 distributor:4 divis:4 document:5 doj:7 dollar:5 domestic:4
dominanc:3 donald:7 doubl:5 download:4 dozen:3 draft:9 draw:8 driv:3 dron:5 drought:3 drug:4
ear:11 early:4 east:3 economic:12 economist:6 effect:14 effort:5 electronic:3 elizabeth:15
embassy:3 emergency:6 employ:8 enact:4 end:10 energy:10 enforc:3 enforcement:19 engag:3
engineer:12 ensur:4 enterpriz:5 entitylist:30 environmental:4 equipment:6 era:4 erni:5
espionag:3 establish:10 estimat:6 eu:10 europ:3 european:3 evalu:3 evaluat:3 every:3 evidenc:6
examin:20 exchang:22 exclusiv:5 executiv:23 exempt:3 exist:4 expand:10 expans:3 expect:3
experiment:3 expert:4 explain:11 export:112 exporter:4 expos:4 extend:5 extract:43 fab:5 face:12
fail:4 fall:7 familiar:6 family:5 farm:3 fear:5 federal:43 fee:7 fell:9 file:7 filed:3 final:27
finaliz:4 financ:6 financial:6 find:19 fine:7 fined:3 fire:4 firm:146 fiscal:7 five:11 flag:8
florida:6 follow:15 forc:7 foreign:55 form:4 former:12 forum:7 found:29 founder:3 foundry:5
framework:13 fraud:3 fraudulent:6 free:6 freight:4 front:4 frontier:38 ftc:23 fuel:4 full:10
funct:3 fund:16 gain:10 gap:3 garbarino:6 gemini:18 general:18 generat:12 get:3 giant:3 give:8
glm:4 global:4 go:5 googl:36 governanc:3 government:36 gpt:6 gpus:23 grand:4 grant:10 greg:4
grid:5 grok:5 group:16 growth:5 guid:3 guidanc:12 h20:9 hacker:4 hagerty:9 half:3 hangzhou:4
harbor:4 hardwar:3 hart:3 harvest:11 head:13 hear:44 heat:5 held:6 help:11 hereby:25 himself:3
hire:5 hit:5 hold:17 homeland:13 hong:6 honor:3 honorabl:5 hope:3 hous:66 howard:4 huang:3
huawei:24 huizenga:10 hundred:3 iap:12 identify:4 illustrativ:26 implement:8 import:7 impos:4
improv:3 incident:3 includ:17 indicator:7 industrial:8 industry:64 inform:42 infrastructur:8
initiat:3 innov:16 insid:5 inspector:3 institut:18 integrat:6 intel:9 intellectual:4
intelligenc:23 interim:6 international:15 introduc:11 inventory:4 invest:4 investment:19
investor:9 involv:3 iran:8 iranian:3 island:3 issu:22 item:33 itif:4 january:4 japan:3 jeffrey:4
jensen:3 job:4 john:7 join:7 joint:5 jr:3 judg:8 july:6 jump:4 june:14 justic:14 k2:3 keep:9
kessler:6 kim:9 kimi:13 kirin:3 know:3 knowledg:3 kong:6 korea:3 korean:4 kratsio:13 lab:73
lack:5 larg:18 larger:3 largest:8 latest:9 launch:7 law:64 lawmaker:16 lawyer:4 lead:12
leader:11 leaderboard:3 leadership:7 leav:5 led:8 legal:6 legisl:7 let:12 letter:43 level:4
liability:3 library:3 licens:37 like:5 likely:3 limit:9 link:11 list:25 lithography:4 llama:10
lobby:3 locat:14 long:3 look:6 lose:4 loss:5 lost:6 low:3 lower:4 lutnick:11 machin:7 made:8
maintain:4 majority:3 make:9 maker:26 malaysia:3 malicious:3 manufactur:15 manufacturer:4
marco:3 mark:3 market:12 markup:4 match:4 matter:10 mean:3 measur:15 mechanism:7 media:3 meet:9
member:16 memo:47 men:3 merger:3 met:3 meta:17 method:6 michael:11 microsoft:20 military:19
mill:42 minimax:14 miss:3 misus:3 model:245 moderniz:3 monet:3 monopoly:8 month:6 moolenaar:13
moonshot:22 moratorium:3 moving:3 mr:6 much:4 museum:3 name:7 named:6 nasa:4 nation:3
national:63 ndaa:15 near:3 nearly:3 need:12 network:10 next:5 nist:10 nomin:5 noncompet:3
north:4 notic:23 notific:4 nspm:3 nstm:5 nvidia:53 obfuscat:3 obtain:4 october:4 ofac:6 offer:6
offic:45 officer:3 official:14 oil:8 omb:3 onlin:6 open:46 openai:44 oper:3 operator:6
opportunity:5 oppos:3 option:3 order:43 ostp:11 outag:3 outbound:9 output:32 oversight:3 page:4
paper:7 part:6 partner:3 partnership:7 party:11 pass:12 pay:6 penalty:14 pentagon:10 peopl:9
percent:5 person:11 personal:4 phon:7 pirat:3 plac:3 plan:28 plant:6 platform:4 point:3 polic:4
policy:41 pool:6 post:11 power:18 practic:7 pre:3 preempt:11 premerger:3 prepar:5 pres:12
president:45 presidential:6 prevent:5 pric:17 principl:4 privacy:9 privileg:4 prob:23 proces:3
processor:20 proclaim:5 proclam:9 procurement:6 produc:7 product:14 productivity:3 program:18
progres:4 prohibit:10 project:3 promot:6 prompt:13 property:7 propos:38 prosecutor:4 protect:36
prov:3 provid:4 provider:15 provis:5 public:12 publish:27 purchas:5 purpos:20 pursuant:3 push:8
pushback:3 qianwen:3 quarter:10 query:8 quest:9 question:4 quickly:4 qwen:14 r2:3 race:4 rais:21
ran:10 rank:12 rate:8 rayburn:3 re:6 reach:10 read:3 reason:19 receiv:3 recommend:9 record:7
reduc:3 refiner:3 refinery:5 reform:5 regard:9 region:3 register:3 regul:19 regulat:6
regulator:10 reject:5 relat:8 releas:27 relianc:3 relief:3 remain:6 remedy:5 remov:6 rent:5
rep:9 replac:4 report:67 representativ:6 republican:9 request:26 requir:33 requirement:12 res:3
research:14 researcher:12 reseller:3 resolv:3 respect:4 respond:6 respons:13 responsibl:3
restor:4 result:15 return:10 reuter:12 revenu:10 review:20 revis:7 revisit:4 reviz:6 rick:4
riding:5 right:3 rise:4 risk:20 rival:22 river:3 rnd:3 rodino:3 rose:15 round:4 rout:3 router:3
rubio:4 rule:79 rulemak:4 run:13 russia:5 safe:5 safeguard:3 safety:12 sale:19 sanct:28
satellit:3 saudi:4 scal:20 scienc:25 scot:38 screen:3 scrutiny:4 search:6 sec:3 second:4
secret:10 secretary:48 sect:35 secur:9 security:128 see:4 seek:13 seen:5 select:24 sell:6 sen:20
senat:77 send:6 sensitiv:6 sent:13 separat:3 server:7 servic:22 set:6 sett:3 settl:18 several:5
shanghai:3 shar:54 shareholder:3 sheldon:4 sherman:6 ship:15 shipment:10 short:4 shortag:4
show:16 shrink:3 sign:14 sinc:3 singapor:5 site:3 slid:3 slow:7 smal:8 smaller:4 smic:5
smuggl:24 snack:4 social:5 softwar:8 sold:4 sourc:5 south:5 southeast:3 soybean:3 spac:3
spacecraft:4 spend:6 spirit:3 spok:5 spokesperson:5 spot:3 spread:4 stablecoin:3 stack:3 staf:7
stak:5 standard:17 start:3 startup:13 stat:117 statement:12 steal:15 step:5 stil:5 stock:8
stolen:4 stop:13 stor:5 strain:3 strategic:8 strategy:12 street:5 strengthen:3 strik:3 strong:5
stronger:5 structur:3 struggl:4 student:7 study:14 subcommitte:3 subject:16 submit:5 sue:16
summary:38 supercomput:3 supercomputer:4 supplier:5 supply:15 support:7 surveillanc:3 switch:3
system:21 taiwan:9 take:8 talk:5 tank:9 target:18 tarif:14 task:5 tax:4 teacher:5 team:9 tech:6
techniqu:3 technology:49 tell:4 temporary:5 ten:8 tencent:7 term:8 test:15 texa:8 text:6 thank:4
theft:39 theory:3 therefor:5 thiev:4 think:10 third:7 thousand:8 threat:33 threaten:5 tie:3
tied:6 tighten:5 tiktok:3 tim:14 time:12 titl:4 tongyi:3 took:6 tool:15 top:13 town:3 trac:3
track:3 trad:48 traffic:5 train:56 transparency:3 transport:4 treasury:27 treat:7 trial:7
tried:3 trump:11 tsmc:7 turn:9 uk:4 unauthoriz:3 unfair:4 unit:62 univers:3 university:3
unveil:6 updat:5 upgrad:3 urban:4 urge:11 urged:4 use:47 used:33 user:15 using:17 utility:3
valu:7 verific:7 vers:5 vest:25 vice:3 viol:10 violat:9 virtu:3 vote:5 voted:4 want:27 war:3
warn:18 warren:36 washington:20 water:8 way:5 wechat:4 weigh:13 weight:37 whether:20 whit:21
whitehous:5 whos:4 win:6 winn:3 within:4 without:17 work:7 worker:3 workforc:4 workload:4
world:5 worry:3 writ:17 wrot:4 xai:9 year:44 york:4 zhipu:3
"""
_COUNTS = {w: int(c) for w, _, c in (p.partition(":") for p in _TABLE.split())}
# The weight of the commonest words never falls under this: they still say something.
FLOOR = 0.25
_TOP = math.log(DOCUMENTS + 1)


def rarity(stem: str) -> float:
    """The weight of a shared stem in (FLOOR, 1]: 1 for a stem the table never saw."""
    known = _RARITY.get(stem)
    if known is None:
        seen = _COUNTS.get(stem, 0)
        known = max(FLOOR, math.log((DOCUMENTS + 1) / (seen + 1)) / _TOP)
        if len(_RARITY) < 200_000:  # bounded: a stem's weight is asked for once per report
            _RARITY[stem] = known
    return known


_RARITY: dict[str, float] = {}
