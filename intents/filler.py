"""The words that frame a question without naming its subject: greetings, question words, the ways
people say "figures", "looking like" or "compared with", words for time, places and people in
general, and the things of council life a question mentions in passing ("for the Cabinet slide",
"at the mo", "in the members' briefing"). Words left over after a parse that are not among these lower its confidence."""

# Words that frame a question without naming its subject.
FILLER = frozenset("""
hi hello hey hiya morning afternoon evening thanks thank cheers pls plz ta ok okay right sure yes no
quick question wondering wonder could would might may possible possibly kindly bit little lot lots really
very quite pretty roughly approximately approx about around just currently lately recently recent now
nowadays these days today tonight yet still already ever so far how why when where which what whats who
whose whom is are was were be been being am do does did doing done have has had having get gets got
getting give gives giving show shows showing tell telling let see seeing look looks looking view check
find found pull up bring fetch display list report reports reporting need needs want wants like know
knew think thought reckon say said says mean tracking track trending stand stands standing sit sits
sitting fare fares faring perform performs performed performance performing shape state status situation
picture story position overall general generally update updates latest newest most recent info information
detail details breakdown figure figures number numbers stat stats statistics statistic data value values
measure measures measured metric metrics indicator indicators kpi kpis result results score scored scores
level levels amount amounts total totals count counts rate rates percentage percent proportion share per
ratio % things thing stuff area areas place places part parts side whole entire all overall across
compared comparison compare comparing versus vs against than relative relation relatively similar
difference different differ gap between among amongst average averages typical usual normal
living draw drawn
better worse good bad best worst high low higher lower highest lowest top bottom most least more less
longest shortest longer shorter fewest smallest biggest largest
wise
fewer many much few several any some every each same other another also too again else
up down going gone go goes trend trends over time since last past previous prior next this that those
year years yearly annual annually month months monthly quarter quarters quarterly week weeks weekly day days
period periods date dates so far to date currently ytd before earlier prior back
me my mine i we us our ours you your yours they them their it its he she his her one ones someone anyone
the a an of in on at for to from by with into onto within without out off as and or but if then than
there here please can will shall should must going
council councils city borough local authority authorities ward wards region regional national nationally
england english country nation
people person persons residents population folk folks children child kids pupils students adults adult
households families family
chart graph plot visual picture table
moment present minute instant hows whos whats wheres whens whys thats theres heres lets dont doesnt isnt
arent wasnt werent havent hasnt wont cant couldnt shouldnt wouldnt im ive id youre weve theyre
grateful mind able ask asking lastly firstly finally secondly also additionally wondered telling appreciate
first olds year-olds working tonnes tons anything something everything nothing anyone aged please kindly sorry great thanks brilliant fab lovely yesterday tomorrow soon
currently right now today tonight
mo mins cabinet scrutiny briefing brief slide slides agenda deck presentation panel pact update email emails report
paper papers meeting meetings mtg committee board members member councillors pack summary note notes bulletin
newsletter spreadsheet chat question questions answer honestly honest lol haha mate guys boss colleague colleagues
context reference instance practice particular terms concern interest sake purposes short future past advance case
fact reality theory principle order addition respect regard relation response light purpose record records books
red amber green reds ambers greens metropolitan exactly actually fine basically literally
submit submits submitted submitting send sends sent deadline deadlines due overdue late owe owed outstanding
return returns chase chasing responsible accountable lead owner owners owns owned manages next
apologies apology sorry oops anyway anyways anyhow tho frankly hmm hm huh um erm ah oh ooh wow eh yeah yep yup nope nah cheers ta hiya howdy mornin
councillor councillors cllr constituents constituent casework surgery surgeries governors governor residents
colleagues officers officer members leader portfolio holder holders chief executive exec director directors
quickly quick urgent urgently asap soon later today tomorrow yesterday weekend monday tuesday wednesday saturday sunday
thursday friday morning afternoon evening tonight ages ago while bit bits sort kind kinda sorta stuff things
perfbot bot dmt slt cmt elt smt dlt mt tmrw tmw 2moro thx tx ty cld shld wld pls plz
q topic topics switching subject instead try rag rags rating ratings scorecard exceptions exception mon tue tues wed weds thu thur thurs fri sat sun nutshell corridor dashboard induction walkabout
team teams call calls steer full management mgmt help remind reminder cycle round ballpark rough roughly ish approx estimate guess headline headlines summary brief gist overview snapshot
""".split())
