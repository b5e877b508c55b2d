"""en cues.

Long because it is data: one list per cue kind and topic (see :mod:`nlp.lexicon`), English having
the most wordings; splitting it would scatter one language over several files.
"""

from __future__ import annotations

EMERGENCY_DEFINITE: tuple[str, ...] = (
    "breaking in", "breaking into", "trying to break in*", "trying to get in", "someone is in my house",
    "someone in my house", "someone is inside", "has a gun", "has a knife", "has a weapon", "got a gun",
    "got a knife", "with a gun", "with a knife", "pointing a gun", "pulled a gun", "pulled a knife",
    "waving a gun", "waving a knife", "is shooting", "are shooting", "shots fired", "shooting at us",
    "shooting at me", "being attacked", "attacking me", "attacking us", "being robbed", "robbing me",
    "robbing us", "being stabbed", "is stabbing", "is beating", "beating me", "are beating", "is hitting me",
    "hitting my", "send help", "send someone", "send the police", "send police", "send an officer",
    "going to kill", "gonna kill", "will kill me", "will kill us", "trying to kill",
    "threatening to kill", "threatened to kill", "threatens to kill", "death threat*",
    "held hostage", "is bleeding", "is dying", "not breathing",
    # threats to kill as people actually type them (contractions, reported speech)
    "he'll kill me", "she'll kill me", "they'll kill me", "he'll kill us", "says he'll kill",
    "saying he'll kill", "he's going to kill", "she's going to kill",
    # forced entry in progress: the door or window is being attacked now
    "trying to get into", "forcing the door", "forcing the window", "kicking the door",
    "kicking in the door", "kicking down the door", "kicking in the * door", "kicking down the * door",
    "forcing the * door", "smashing the door", "breaking down the door",
    "trying to force",
    # violence heard or seen now (present progressive, not 'hit me last week')
    "is beating his", "is beating her", "is hitting his", "is hitting her", "beating his wife",
    "beating his girlfriend", "hitting his wife", "hitting his girlfriend", "i can hear screaming",
    "i can hear her screaming", "i can hear him screaming", "can hear someone screaming",
    # someone hurt and helpless now
    "isn't moving", "not moving", "unconscious", "isn't breathing", "driving the wrong way",
    "going the wrong way", "wrong way down the",
)

EMERGENCY_BORDERLINE: tuple[str, ...] = (
    "broke in", "broken into", "break-in", "break-ins", "burglary", "intruder*", "had a gun", "had a knife", "gun",
    "guns", "gunman", "gunmen", "gunpoint", "knife", "weapon*", "attacked me", "attacked us", "assaulted",
    "robbed me", "mugged", "stabbed", "shooting", "threatened me", "threatened us",
    "scared for my life", "afraid for my life", "fear for my life", "domestic violence", "following me",
    "being followed", "call 911", "call 999", "call 112", "on fire", "trapped", "raped", "overdos*",
    # a person or child missing / taken: plausible danger, urgent when combined with 'please help' or 'now'
    "got into a car with", "is missing", "went missing", "hasn't come home", "hasn't come back",
    "isn't home", "won't open the door",
    # ongoing disorder that can hurt people
    "throwing rocks", "throwing stones", "throwing bricks", "smashing windows", "smashing cars",
    "outside my house", "outside my window", "won't leave", "chasing me", "chasing us", "following me home",
)

SELF_HARM_DEFINITE: tuple[str, ...] = (
    "kill myself", "killing myself", "end my life", "ending my life", "take my own life", "take my life",
    "want to die", "wanna die", "going to die tonight", "suicidal", "commit suicide", "hurt myself",
    "harm myself", "cut myself", "cutting myself", "no reason to live", "better off dead",
    "don't want to live", "don't want to be alive", "end it all", "kill himself", "kill herself",
    "kill themselves",
    # third person and method-specific intent
    "cut herself", "cut himself", "cut themselves", "going to cut", "hang myself", "hang himself",
    "hang herself", "jump off the bridge", "jump off a bridge", "jump in front of", "take all my pills",
    "take all the pills", "swallow all", "suicide note", "won't be here tomorrow",
    "won't be around tomorrow", "won't be needing it after tonight", "won't need it after tonight",
    "won't need * after tonight", "finish it tonight", "finishing it tonight", "end it tonight",
    "ending it tonight",
)

MISCONDUCT_SELF_CONTAINED: tuple[str, ...] = (
    "bribe*", "bribery", "police brutality", "excessive force", "racial slur*", "n-word", "planted drugs",
    "planted evidence", "abuse of power", "abuse of authority", "extort*", "shakedown", "sexual misconduct",
    # restraint that endangers life: an allegation whoever is named
    "knelt on my", "kneeling on my", "knee on my neck", "knee on his neck", "knee on her neck",
    # bribe paraphrases: paying to make an official act disappear
    "make the ticket go away", "make it go away", "ticket go away", "ticket disappear", "forget the ticket",
    "forget about the ticket", "under the table", "pay him off", "pay them off",
    # searches without consent or warrant
    "stop and frisk", "stopped and frisked", "without a warrant", "illegal search",
    # xenophobic remarks
    "go back where you came from", "go back where i came from", "go back to your country",
    "go back to where you came from",
)

MISCONDUCT_ACTIONS: tuple[str, ...] = (
    "hit me", "hit my", "punched me", "kicked me", "beat me", "beat us", "beat him", "beat her",
    "slapped me", "choked me", "pushed me", "shoved me", "tased me", "pepper sprayed me",
    "pepper-sprayed me", "threw me", "slammed me", "stole", "stole my", "took my money", "took money",
    "asked for money", "asked me for money", "touched me", "touched my", "groped", "harassed me", "sexually",
    "called me a", "insulted me", "threatened me", "threatened to arrest", "lied", "falsified",
    "illegal search", "searched me without", "without a warrant", "for no reason", "racist",
    "racially profiled", "drunk on duty",
    # searches and seizures without consent (the actor must be police)
    "went through my", "searched my", "searched us", "searched me", "frisked", "without asking",
    "without permission", "without my consent", "took my phone", "smashed my phone", "delete the video",
    "delete my video", "made me delete",
    # force and threats by an officer
    "pulled his gun", "pulled her gun", "pointed his gun", "pointed a gun at", "drew his gun", "pinned me",
    "grabbed me", "twisted my arm", "threw me to the ground", "threatened to arrest",
    "threatened to arrest us", "if we kept filming",
    # money demanded by an officer
    "bucks to", "in cash", "cash to", "dollars to", "pay him", "pay them",
    # sexual misconduct: an officer using the contact for personal advances
    "asked me out", "asking me out", "asked for her number", "asked for my number", "texting me",
    "texted me", "messaging me", "jokes about my body", "comments about my body", "took a photo of me",
    "took a photo on", "too pretty for", "hit on me", "hitting on me", "flirting with",
    # property taken during a search or arrest
    "took $*", "out of my wallet", "wasn't on the property list", "not on the property list",
    "never returned my", "never got back my", "pocketed",
    # retaliation against complaints
    "make my life hell", "if i filed a complaint", "if i complained", "if i file a complaint",
    "knows where i live", "made sure i knew",
)

EMERGENCY_HINTS: tuple[str, ...] = (
    # signs of distress that only count together with another cue
    "screaming", "yelling", "banging", "isn't answering", "not answering", "lives alone", "terrified",
    "please",
)


SELF_HARM_BORDERLINE: tuple[str, ...] = (
    # indirect intent: ending, methods, farewells (one of these = give the number; two = alert)
    "finish it", "finishing it", "end it", "ending it", "jump off", "going to jump", "wants to jump",
    "a rope", "the pills", "my pills", "overdose", "can't go on", "cannot go on", "no way out",
    "no point living", "no point anymore", "not worth living", "want to disappear", "better off without me",
    "a burden to everyone", "won't have to worry about me",
    # giving things away / not needing them any more
    "won't be needing", "won't need it", "won't need them", "won't need my", "after tonight",
    "giving away my", "gave away my", "give away my", "giving my stuff",
    # goodbye messages
    "written the letters", "wrote the letters", "wrote letters to", "goodbye letter*", "say goodbye",
    "saying goodbye", "tell my * i'm sorry", "tell my * that i'm sorry", "tell my * i love",
)


SELF_HARM_HINTS: tuple[str, ...] = (
    # despair that is common in complaints too: counts only with other signs
    "so done", "i'm done", "im done", "nobody cares", "no one cares", "can't take it anymore",
    "can't do this anymore", "tired of living", "worthless", "sorry for everything", "hopeless",
    "where i'm going",
)


POLICE_WORDS: tuple[str, ...] = (
    # who the police are in residents' words
    "officer*", "cop", "cops", "police*", "policeman", "policemen", "policewoman", "deputy", "deputies",
    "sheriff*", "trooper*", "detective*", "sergeant*", "constable*", "patrol",
)


CIVILIAN_ACTORS: tuple[str, ...] = (
    # actors that are not police: their actions are crimes, not misconduct
    "man", "men", "woman", "women", "guy*", "someone", "somebody", "thief", "thieves", "robber*", "burglar*",
    "neighbour*", "neighbor*", "kid*", "boy*", "girl*", "stranger*", "driver*", "husband", "wife",
    "boyfriend", "girlfriend", "partner", "ex", "gang*", "roommate", "flatmate", "brother", "sister", "dad",
    "father", "son", "daughter",
)


URGENCY_STRONG: tuple[str, ...] = (
    # explicit requests for immediate action: always urgent
    "right now", "hurry", "asap", "immediately", "please come", "come now", "come quick*", "as we speak",
    "still here", "still inside", "outside my door", "at my door", "happening now", "please help", "help me",
    "help us", "just now", "at this moment", "please hurry", "send someone",
)


URGENCY_WEAK: tuple[str, ...] = (
    # present-time words: urgent only when the message has no past-time expression
    "now", "currently", "tonight", "quick*", "urgent*", "emergency", "at the moment", "for * minutes",
    "one just", "he just", "she just", "they just",
)


PAST: tuple[str, ...] = (
    # the incident is over: a report or complaint, not danger now
    "yesterday", "last night", "last week", "last month", "last year", "ago", "the other day", "back in",
    "earlier this year", "last time", "last weekend", "on saturday", "on sunday", "on friday", "on monday",
    "last saturday", "last sunday", "last friday", "this year", "in the end",
)


REPORTING: tuple[str, ...] = (
    # talking about a case or a report rather than calling for help
    "report*", "i called the police", "when i called", "after the", "complaint", "case", "investigation",
    "after my", "closed my",
)


HABITUAL: tuple[str, ...] = (
    # a recurring problem, not one happening now
    "every weekend", "every night", "every day", "every week", "every single", "every time", "all the time",
    "always", "constantly",
)


GRATITUDE: tuple[str, ...] = (
    # thanks are written after the danger is over
    "thank*", "thx", "grateful", "appreciate*", "shoutout", "kudos",
)


HYPOTHETICAL: tuple[str, ...] = (
    # hypothetical wording halves a cue shortly after it
    "if", "whether", "would", "could", "should", "suppose", "hypothetically", "what if",
)


POLICE_CONTEXT: tuple[str, ...] = (
    # police acts that make a discrimination complaint one against officers
    "stopped me", "stop me", "pulled me over", "searched", "arrested", "accused me", "checked my id",
    "asked for my id", "id check*",
)


TOPICS: dict[str, tuple[str, ...]] = {
    "respect": (
        "rude*", "disrespect*", "respect*", "arrogant", "condescending", "insult*", "dismissive", "polite*",
        "impolite", "courteous", "discourteous", "mocked", "laughed at", "talked down", "yelled at",
        "shouted at", "screamed at", "swore at", "attitude", "humiliat*", "belittl*", "treated me like",
        "patronizing", "patronising", "unprofessional",
        # manner words: the set tags any mention of how officers treated someone
        "gentle", "was kind", "were kind", "so kind", "very kind", "kind to", "was nice", "were nice", "so nice",
        "very nice", "nice to", "friendly", "calm", "patient", "respectful", "treated me", "treated us",
        "treated him", "treated her", "treated like", "handled it", "empath*", "compassion*", "caring",
        "lovely", "reassur*", "made me feel", "like a criminal", "like a suspect", "like dirt",
        "like garbage", "shouted", "yelled", "laughed", "sarcastic", "smirk*", "rolled his eyes",
        "rolled her eyes", "snapped at", "barked at", "aggressive", "hostile", "chill", "hilarious",
        "decent", "dignity", "nasty", "bully*", "go back where", "stayed with me", "waited with me",
        "so sweet",
    ),
    "response_time": (
        "slow*", "took forever", "took hours", "took ages", "hours later", "wait*", "never came",
        "never showed", "never arrived", "no one came", "nobody came", "no one showed", "nobody showed",
        "response time*", "arrived late", "came late", "too late", "was late", "were late", "delay*",
        "quick*", "fast", "prompt*", "arrived quickly", "on time", "right away", "within minutes",
        "came straight away", "still waiting", "took * hour*", "took * minutes", "took an hour",
        "waited * hour*", "hours to arrive", "hours to come", "hours to respond",
        # how fast they came or answered
        "hrs", "* hours", "in under", "got there", "showed up", "show up", "turned up", "took them",
        "never turned up", "within the hour", "in no time", "straight away", "came so fast", "came fast",
        "still no one",
    ),
    "communication": (
        "no update*", "never called back", "call back", "called back", "call me back", "explain*", "inform", "informs", "informing",
        "information",
        "kept me informed", "no one told", "nobody told", "didn't answer", "never answered", "no answer",
        "no response", "no reply", "never replied", "replied", "follow up", "followed up", "communicat*",
        "interpreter", "translator", "couldn't understand", "language barrier", "hung up", "on hold",
        "phone line", "answered my questions", "listened", "didn't listen", "wouldn't listen", "ignored me",
        "ignored my",
        # being told, answered, kept informed, reaching the police
        "proper answer", "an answer", "tell me if", "tell me what", "tell me whether", "tell me how",
        "let me know", "keep me posted", "keep me updated", "email", "e-mail", "confirmation",
        "talking to me", "talk to me", "spoke to me", "get back to me", "got back to me", "heard back",
        "hear back", "heard nothing", "no news", "online", "the chat", "the app",
        "can you tell", "can u tell", "is being held", "what documents", "do i need to",
    ),
    "fairness_bias": (
        "racis*", "racial*", "profiled", "profiling", "discriminat*", "prejudice*", "bias*", "unfair*",
        "unjust*", "treated differently", "stereotyp*", "because i'm black", "because i am black",
        "because of my race", "because of my skin", "because of my accent", "because i'm an immigrant",
        "xenophob*", "homophob*", "transphob*", "sexis*", "islamophob*", "antisemit*", "double standard*",
        "targeted me",
        # unequal treatment for who someone is
        "black", "immigrant*", "foreigner*", "accent", "skin", "colour", "race", "ethnic*",
        "where i came from", "go back", "profil*", "frisked", "because i'm", "because he's", "because she's",
        "just because", "treated differently", "religion", "hijab", "muslim", "gay",
        # profiling in plain words
        "because of how i look", "because of the way i look", "the only black", "only me", "always me",
        "where i'm from",
    ),
    "safety": (
        "unsafe", "not safe", "feel safe", "safety", "dangerous", "danger", "afraid", "scared", "fear*",
        "crime*", "criminal*", "robbery", "robbed", "mugg*", "theft", "stolen", "burglar*", "break-in*",
        "broke in", "broken into", "gang*", "drug*", "dealer*", "violence", "violent", "assault*", "harass*",
        "stalk*", "shooting*", "gunshot*", "gunfire", "street light*", "streetlight*", "vandal*", "graffiti",
        "threat*", "knife", "weapon*", "fight*", "patrol*", "neighbourhood watch",
        # crimes and threats in the neighbourhood
        "smashed", "steal*", "stole", "broke into", "broken into", "dealing", "missing", "safe", "hurt",
        "attack*", "gun*", "burglary", "scam*", "fraud", "breaking in", "kidnap*", "rocks", "stones",
        "out of control", "trying to get in", "thief", "thieves", "pickpocket*", "anti-social", "antisocial",
    ),
    "traffic": (
        "traffic", "speeding", "speeder*", "speed limit", "speed bump*", "red light*", "ran a red",
        "parking", "parked", "double park*", "drunk driv*", "drink driv*", "dui", "crash*", "car accident",
        "accident*", "collision", "hit and run", "pedestrian*", "crosswalk", "zebra crossing", "cyclist*",
        "bike lane*", "speeding ticket", "parking ticket", "traffic stop", "pulled me over", "pulled over",
        "intersection", "junction", "roundabout", "motorbike*", "scooter*", "reckless driv*", "driver*",
        "road rage",
        # roads and vehicles
        "impound*", "towed", "motorway", "highway", "freeway", "ticket", "license", "licence", "seatbelt",
        "seat belt", "stop sign", "wrong way", "tyre", "tire", "speed camera", "mph", "in a 30", "in a 20",
        "e-scooter*", "windshield", "windscreen", "rolling a stop", "lorry", "truck",
    ),
    "use_of_force": (
        "excessive force", "use of force", "forced me", "by force", "forcefully", "tased", "taser*",
        "pepper spray*", "pepper-sprayed", "handcuff*", "cuffed", "tackled", "chokehold", "choke*",
        "beat me", "beat him", "beat her", "beat us", "beaten", "beating", "punched", "kicked", "hit me",
        "hit him", "hit her", "shoved", "pushed me", "threw me", "slammed", "baton*", "shot at", "brutal*",
        "knee on", "injur*", "bruise*", "roughed up", "rough with", "manhandl*", "dragged",
        # force by officers
        "knelt", "neck", "pulled his gun", "pointed his gun", "gun on", "pinned", "grabbed", "twisted",
        "too tight", "used force", "with force", "rough handling", "slammed",
    ),
    "misconduct_allegation": (
        "bribe*", "bribery", "corrupt*", "took money", "asked for money", "asked me for money", "extort*",
        "planted", "lied", "lying", "false report", "fake report", "abuse of power",
        "abuse of authority", "abused", "sexual*", "groped", "touched me", "slur*", "n-word", "misconduct",
        "illegal search", "without a warrant", "threatened me", "threatened us", "turned off * camera",
        "body cam*", "bodycam*", "covered up", "cover-up", "intimidat*", "badge number",
        "refused to give * name", "no badge", "off duty", "drunk on duty", "framed",
        # abuse of authority, searches, money, threats
        "went through my", "searched", "without asking", "frisked", "make the ticket go away", "go away",
        "bucks", "cash", "delete", "filming", "wrong address", "wrong house", "threatened to arrest",
        "took my phone", "pulled his gun", "pointed his gun",
    ),
    "praise": (
        "thank*", "thx", "grateful", "appreciate*", "great job", "good job", "well done", "excellent",
        "amazing", "helpful", "professional*", "so kind", "very kind", "really kind", "were kind",
        "was kind", "kind and", "kind officer*", "kindness", "above and beyond", "hero*", "kudos",
        "shout out", "fantastic", "wonderful", "keep up the good work", "great work", "outstanding",
        "awesome", "brilliant", "impressed", "compassionate", "friendly", "were great", "was great",
        "great officer*", "great service",
        # compliments without the word 'thanks'
        "shoutout", "shout-out", "legend*", "credit where", "credit to", "good work", "nice work",
        "hats off", "props to", "lifesaver", "life saver", "cheers", "top notch", "handled it perfectly",
        "means a lot", "much appreciated", "pretty good", "really good", "so good", "very good", "superb",
        "perfect", "credit",
    ),
}


# --------------------------------------------------------------------------------------------------
# Concept coverage (round 2). Written from how people describe each concept, not from messages:
# verb x victim combinations, stems and common misspellings. Every list above is extended here.
# --------------------------------------------------------------------------------------------------

_ASSAULT_ING = ("hitting", "beating", "kicking", "punching", "choking", "strangling", "stabbing", "slapping",
                "attacking", "battering", "smacking", "hurting")
_VICTIMS = ("me", "her", "him", "my *", "his *", "her *", "their *", "a child", "a kid", "the kid*", "the child*",
            "the baby", "a baby", "a woman", "a girl", "an old *", "someone", "somebody", "mum", "mom")
_ATTACKERS = ("someone", "somebody", "a man", "a guy", "some guy*", "some men", "a stranger", "my husband", "my wife",
              "my boyfriend", "my girlfriend", "my partner", "my ex", "my dad", "my father", "my son", "my brother",
              "my neighbour", "my neighbor", "he", "he's", "hes", "she's", "they", "they're", "theyre", "there's a man",
              "there's someone", "there is someone", "there is a man")

_ASSAULTS = tuple(f"{v} {o}" for v in _ASSAULT_ING if v != "hurting" for o in _VICTIMS)
EMERGENCY_DEFINITE = EMERGENCY_DEFINITE + _ASSAULTS + (
    # someone getting in or inside now
    "someone is breaking", "somebody is breaking", "someone's breaking", "is breaking into", "are breaking into",
    "someone is trying to get in", "somebody is trying to get in", "someone's trying to get in", "is in the house",
    "in my house right now", "someone in the house", "somebody in my house", "somebody is in my",
    "someone is in my", "there's someone in my", "there is someone in my", "there's a man in my",
    "there is a man in my", "still in the house", "still in my house", "hiding in the", "i'm hiding", "im hiding",
    "locked myself in", "broke in and", "climbing through the window", "climbing in the window",
    # weapons in hand now
    "has got a gun", "has got a knife", "he's got a gun", "he's got a knife", "has a machete", "with a machete",
    "has a bat", "with a bat", "holding a knife", "holding a gun", "pointing a knife", "knife to my",
    "gun to my", "gun to his", "gun to her", "is armed", "are armed", "armed man", "armed men",
    "brandishing",
    # attacked, threatened, followed now
    "being beaten", "getting beaten", "being beaten up", "beating him up", "beating her up", "beating me up",
    "being strangled", "being choked", "being hit", "is attacking", "are attacking", "been stabbed", "got stabbed",
    "been shot", "got shot", "has been shot", "someone shot", "shooting at", "screaming for help", "crying for help",
    "going to hurt me", "gonna hurt me", "will hurt me", "trying to hurt me", "going to hurt us", "going to hurt her",
    "going to hurt the", "won't let me leave", "won't let me out", "wont let me leave", "locked me in",
    "is following me", "are following me", "keeps following me", "is stalking me", "is chasing me", "are chasing me",
    # fire, gas, someone not breathing
    "house is on fire", "building is on fire", "flat is on fire", "apartment is on fire", "car is on fire",
    "there's a fire", "there is a fire", "caught fire", "set fire to", "setting fire", "is burning down",
    "stopped breathing", "won't wake up", "wont wake up", "not waking up", "unresponsive", "having a seizure",
    "bleeding badly", "bleeding heavily", "lots of blood", "blood everywhere", "is overdosing",
    # a child in danger
    "child is alone", "kids are alone", "left alone in the car", "alone in the car", "locked in the car",
    "locked in a car", "baby in the car", "child in the car", "kid in the car", "hot car",
    # asking for help now
    "send an ambulance", "call an ambulance", "need an ambulance", "someone help", "somebody help",
    "need help now", "need help right now", "need the police now", "need police now", "please send",
)

EMERGENCY_BORDERLINE = EMERGENCY_BORDERLINE + tuple(f"{a} is {v}" for a in ("he", "she", "they", "someone") for v in
                                                    ("hitting", "beating", "kicking", "punching", "choking",
                                                     "hurting")) + (
    "gunshot*", "shots", "been shot", "got shot", "shot him", "shot her", "shot someone", "kidnapp*", "abduct*",
    "hostage*", "kill you", "machete", "stalking me", "threatening me", "threatening us", "is threatening",
    "can't breathe", "cant breathe", "cannot breathe", "collapsed", "passed out", "heart attack", "seizure",
    "smell gas", "smell of gas", "gas leak", "smoke everywhere", "flames", "house fire",

    "he's drunk and", "throwing things", "smashing things", "breaking things",
    "child is missing", "son is missing", "daughter is missing", "kid is missing", "can't find my",
    "cant find my", "abusing", "abusive", "hit me again", "drunk driver", "keeps hitting",
    "i'm in danger", "i am in danger", "we are in danger", "life is in danger", "child is in danger",
    "kids are in danger", "fight outside", "fighting outside", "fight in the street", "fight going on",
    "people fighting", "men fighting", "are fighting", "kms",
)

EMERGENCY_HINTS = EMERGENCY_HINTS + ("need help", "need the police", "fight", "fights", "fighting", "scared", "afraid",
                                     "crying", "shouting", "screams", "banging on")

SELF_HARM_DEFINITE = SELF_HARM_DEFINITE + (
    "want* to die", "wanna die", "want* to be dead", "wish i was dead", "wish i were dead", "rather be dead",
    "ready to die", "want* to end it", "going to end it", "gonna end it", "i'll end it", "end it all", "ending it all",
    "want* to kill myself", "kill myself", "going to kill myself", "gonna kill myself", "unalive myself",
    "end my own life", "take my own life", "taking my own life", "end my life", "nothing to live for",
    "no reason to go on", "no point in living", "no reason to keep living", "don't want to exist", "dont want to live",
    "don't want to be here anymore", "dont want to be here anymore", "don't wanna live", "dont wanna live",
    "slit my wrists", "cut my wrists", "cutting my wrists", "overdose on", "swallow* all", "took all my pills",
    "taken all my pills", "took * pills", "taken * pills", "took a bottle of", "jump off a", "jump from the",
    "jumping off", "throw myself", "hang myself", "hanging myself", "my suicide note", "goodbye note",
    "by the time you read this", "when you read this i'll be", "this is my last message", "my last message",
    "my final message", "won't be alive", "wont be alive", "won't be around tomorrow", "won't be here tomorrow",
    "wants to kill herself", "wants to kill himself", "wants to die", "going to kill herself", "going to kill himself",
    "threatening to kill himself", "threatening to kill herself", "threatening suicide", "talking about suicide",
    "talking about killing", "going to jump", "about to jump", "standing on the ledge", "on the edge of the bridge",
    "hurt myself", "hurting myself", "harming myself",
)

SELF_HARM_BORDERLINE = SELF_HARM_BORDERLINE + (
    "can't go on", "cant go on", "can't keep going", "cant keep going", "can't do this anymore", "cant do this anymore",
    "can't live like this", "cant live like this", "won't be around", "wont be around", "won't be here",
    "wont be here", "not be around much longer", "last message", "final message", "goodbye everyone",
    "goodbye forever", "goodbye to everyone", "farewell", "give away my", "given away my", "gave my * away",
    "pills", "noose", "rope", "the bridge", "the roof", "the ledge", "i'm a burden", "im a burden",
    "better off without me", "everyone would be better", "no point", "life is pointless", "life isn't worth",
    "no reason to live", "don't want to live", "wish i could disappear", "want to disappear", "tired of life",
    "sleep forever", "never wake up", "not wake up", "self harm*", "self-harm*", "cutting",
    "razor", "razors", "razor blade*",
)

SELF_HARM_HINTS = SELF_HARM_HINTS + (
    "i give up", "give up on everything", "nobody would care", "no one would care", "nobody would notice",
    "alone", "empty", "exhausted", "can't take it", "cant take it", "i'm sorry", "im sorry", "forgive me",
    "my kids", "take care of my", "love you all",
)

FIGURATIVE: tuple[str, ...] = (
    # death and danger words used as figures of speech: they hide the cues they overlap
    "dying to", "dying for", "dying of laughter", "dying laughing", "died laughing", "die laughing", "to die for",
    "killed me", "killing me", "kills me", "killing it", "killed it", "kill it", "kill for a", "kill time",
    "killing time", "bored to death", "scared me to death", "scared to death", "shot of", "shots of", "photo shoot",
    "on fire tonight", "on fire today", "was on fire", "is on fire at", "gave me a heart attack",
    "nearly had a heart attack",
    "almost had a heart attack", "suicide squad", "suicide mission", "suicide doors", "suicide run", "suicide pass",
    "made me want to die", "want to die of", "wanna die of", "i could die", "i could kill",
    "could kill for", "fight club", "food fight", "pillow fight", "snowball fight", "fight for", "fighting for",
    "fighting chance", "firefight*", "fire alarm test", "mind blown", "blew my mind", "the last message you",
    "dead tired", "dead serious", "i'm dead", "im dead", "i'm deceased", "lmao", "lol", "lmfao", "haha*", "hahah*",
    "makes me want to die", "make me want to die", "makes me want to kill myself", "make me want to kill myself",
)

MISCONDUCT_SELF_CONTAINED = MISCONDUCT_SELF_CONTAINED + (
    "kickback*", "on the take", "paid him off", "paid them off", "pay off the officer", "payoff", "grease his palm",
    "let me go for $*", "let me off for", "for a fee", "fake report", "false report", "falsified report",
    "lied in the report", "lied on the report", "lied in his report", "lied in her report", "made up a story",
    "made up the charge*", "trumped up", "fabricated", "no warrant", "without any warrant", "unlawful search",
    "illegal stop", "illegally searched", "illegal search*", "illegally", "unlawfully", "made me unlock my phone",
    "forced me to unlock",
    "refused to take my report", "refused to take my complaint", "wouldn't take my report", "wouldnt take my report",
    "wouldn't take my complaint", "refused to file my", "wouldn't let me file", "choked me", "choke hold",
    "chokehold", "police violence", "cop hit", "cops hit", "cop punched", "officer punched", "officer hit",
    "officers beat", "cops beat", "racially profil*", "profiled me", "profiled us", "because i'm black",
    "because i am black", "because of my skin", "because of my race", "because of my religion",
    "because of my accent", "because i'm muslim", "because i'm gay", "because i'm trans",
)

MISCONDUCT_ACTIONS = MISCONDUCT_ACTIONS + (
    "punched", "kicked", "slammed", "tased", "tasered", "tazed", "maced", "pepper-sprayed", "pepper sprayed",
    "choked", "strangled", "knelt", "kneeled", "dragged me", "dragged him", "dragged her", "shoved", "tackled",
    "threw me", "threw him", "threw her", "hit him", "hit her", "bruised", "injured me", "hurt me",
    "cuffs too tight", "handcuffs too tight", "too tight", "beat him up", "beat me up", "roughed me up",
    "stole", "stolen by", "kept my", "took my cash", "took my wallet", "missing from my", "pocketed",
    "lied", "lying", "made up", "falsely", "went through my phone", "went through my car", "searched my car",
    "searched my bag", "searched my house", "searched my phone", "looked through my phone", "made me unlock",
    "threatened", "threatening", "intimidat*", "touched", "groped", "grabbed my", "sexual comment*",
    "comments about my", "hit on me", "insulted", "swore at me", "called me", "slur*", "mocked my",
    "because of my", "because i'm", "because i am", "refused to take", "wouldn't take", "wouldnt take",
    "demanded money", "wanted money", "asked for cash", "wanted cash",
    "broke my arm", "broke my nose", "broke my wrist",
)

POLICE_WORDS = POLICE_WORDS + ("pig", "pigs", "5-0", "the feds", "ofc", "sgt", "pc", "lapd", "nypd", "swat")

URGENCY_STRONG = URGENCY_STRONG + (
    "please come", "come quickly", "come fast", "get here", "hurry up", "quickly please", "please quick",
    "help please", "help help", "someone help", "somebody help", "send help", "urgent help", "right this minute",
    "is happening", "are happening", "happening right", "still there", "still outside", "in progress",
)

URGENCY_WEAK = URGENCY_WEAK + ("hurry", "currently", "at this time", "as i type", "as i write", )

PAST = PAST + ("last tuesday", "last wednesday", "last thursday", "last monday", "a week ago", "months ago",
               "years ago", "in 20*", "two weeks", "when i was", "back then", "previously", "used to")

TOPICS["use_of_force"] = TOPICS["use_of_force"] + (
    "punch*", "slam*", "tase*", "taze*", "maced", "choked", "chok*", "strangl*", "kneel*", "knelt",
    "dragg*", "shov*", "tackl*", "thrown", "threw me", "threw him", "threw her", "body slam*",
    "headlock", "elbow*", "kneed", "struck", "beat up", "beaten up", "beat me up",
    "forcibly", "cuffs", "zip tie*", "wrist*", "bleed*", "bruis*", "black eye", "stitches",
    "concussion", "swollen", "broken arm", "broken nose", "broken wrist", "truncheon", "nightstick",
    "rubber bullet*", "tear gas", "face down", "to the ground", "against the car",
    "against the wall", "hurt me", "hurt him", "hurt her", "injured",
    "pushed", "pushing me", "kicking", "blood", "bleeding", "broke my arm", "broke my nose", "broke my wrist",
    "broke his",
)

TOPICS["misconduct_allegation"] = TOPICS["misconduct_allegation"] + (
    "kickback*", "on the take", "pay off", "paid off", "payoff", "palm*", "make it go away", "for a fee",
    "missing from", "kept my", "took my cash", "took my wallet",
    "lies", "liar*", "made up", "fabricat*", "falsif*", "the report said", "report says",
    "not what happened", "perjur*", "no warrant", "unlock my phone",
    "unlawful*", "inappropriat*", "grop*",
    "comments about", "called me a", "slur*", "refused to take", "wouldn't take", "wouldnt take",
    "refused to file", "power trip", "above the law", "corrupt*", "dirty cop*", "planted",
    "threatened to", "touched her", "false arrest",
)

TOPICS["fairness_bias"] = TOPICS["fairness_bias"] + (
    "because of my", "because i am", "because we're", "because we are", "religion", "religious", "muslim*",
    "jewish", "jew", "sikh", "turban", "headscarf", "hijab", "nationality", "foreign*", "origin",
    "where i'm from", "my english", "speak english", "asian", "latino*", "latina*", "hispanic",
    "mexican*", "arab*", "african*", "gypsy", "lesbian", "trans", "transgender",
    "disabled", "disability", "wheelchair", "homeless", "poor people", "rich people", "rich neighbourhood",
    "rich neighborhood", "white people", "white guy", "white guys", "people like me", "people like us",
    "singled out", "single* me out", "picked on", "targeted", "equal*", "unequal*",
    "same treatment", "differently", "skin colour", "skin color", "colour of my skin", "color of my skin",
)

TOPICS["respect"] = TOPICS["respect"] + (
    "courtesy", "manners", "rudely", "rudeness", "disrespected", "respected", "polite", "politely",
    "kindly", "kindness", "friendliness", "warm", "smile*", "smiling", "listened to me",
    "took me seriously", "took us seriously", "didn't take me seriously", "not taken seriously", "brushed off",
    "brushed me off", "ignored", "eye roll*", "mocking", "mock*", "jerk*", "asshole*", "arsehole*",
    "idiot*", "prick*", "dick*", "power trip", "cocky", "smug", "snotty", "snarky", "sneer*", "scoff*",
    "curse*", "cursed", "cussed", "swearing", "shout*", "yell*", "scold*", "lectur*",
    "humane", "human being", "treated with", "treat people", "like a human", "like an animal",
)

TOPICS["response_time"] = TOPICS["response_time"] + (
    "hour*", "minutes", "mins", "took long", "took too long", "so long", "too long", "forever", "ages",
    "never came", "didn't come", "didnt come", "didn't show", "didnt show", "no show", "nobody turned up",
    "no one turned up", "response", "respond*", "responded", "responding", "arrived", "arrive*", "came quickly",
    "quickly", "speedy", "fast response", "rapid", "took them", "still haven't come",
    "haven't come", "hasn't come", "hasnt come", "no one has come", "nobody has come", "waiting",
)

TOPICS["communication"] = TOPICS["communication"] + (
    "update*", "updated", "status", "news on", "news about", "heard anything", "hear anything",
    "rang", "voicemail", "reply", "replied", "respond to my",
    "contact*", "get through", "got through", "nobody picked up", "no one picked up", "picked up",
    "explain*", "clarif*", "tell me", "told us", "informed", "keep me in the loop", "in the loop",
    "left in the dark", "kept in the dark", "case number", "reference number", "what happened to my",
    "any progress", "progress", "listen*", "understand*", "translat*", "language",
    "calls", "my call", "phone call*", "phoned", "on the phone", "rang me", "called the station", "called again",
    "messaged", "my message*", "texted back", "reached out", "no one reached",
)

TOPICS["safety"] = TOPICS["safety"] + (
    "safer", "secure", "insecure", "scary", "frighten*", "terrif*", "worried", "worry", "nervous",
    "crime rate", "burgl*", "break in*", "broke into", "theft*", "thiev*", "stole*", "stolen",
    "shoplift*", "vandalis*", "vandaliz*", "smash*", "damage*", "dealing drugs", "drug dealing", "needles",
    "syringe*", "junkie*", "drunk*", "brawl*", "fight*", "stab*", "shot", "shots", "shooting*", "gun*",
    "firearm*", "knife", "knives", "machete", "violence", "abuse*", "domestic", "threaten*", "harass*",
    "stalk*", "follow* me", "intruder*", "trespass*", "suspicious", "loiter*", "gang*",
    "park at night", "dark street*", "lighting", "street lamp*",
    "walk home", "walking home", "at night", "fire", "danger*", "missing",
    "rob", "robb*",
)

TOPICS["traffic"] = TOPICS["traffic"] + (
    "road*", "street parking", "bus lane*", "cycle lane*", "fast lane", "slow lane", "wrong lane", "outside lane",
    "inside lane", "middle lane", "lane closed", "lane blocked", "lanes", "driving",
    "drove", "speed*", "racing", "street racing", "drift*", "honk*", "red-light", "stoplight",
    "traffic light*", "signal*", "blocking", "blocked my", "driveway", "double parked", "citation*",
    "penalty", "points on", "insurance", "registration", "plate*", "number plate", "breathalys*", "breathaly*",
    "sobriety", "pulled over", "pull* over", "stopped me for", "hit-and-run", "crash*", "collided", "fender",
    "motorcycle*", "school zone", "crossing", "sidewalk", "pavement",
    "drive", "fined", "a fine", "horn",
)

TOPICS["praise"] = TOPICS["praise"] + (
    "thankful", "thanks", "ty", "tysm", "great", "good officer*", "good cop*", "good people", "well handled",
    "impressive", "exceptional", "incredible", "super helpful", "very helpful", "so helpful", "helped me",
    "helped us", "saved my", "saved our", "saved the", "life-saver", "made my day", "respect to",
    "big up", "bless*", "the best", "best officer", "proud", "commend*", "praise*",
    "deserve* a medal", "deserve* recognition", "deserve* a raise", "a credit to", "glad", "happy with",
    "satisfied", "pleased", "reassuring", "supportive", "calm and", "patient and",
    "stars", "a star", "angel", "angels",
)

# Respect: how officers treated someone, in more words; and the uses of its words that are about something else.
TOPICS["respect"] = TOPICS["respect"] + (
    "didn't even look at me", "wouldn't even look at me", "never looked at me", "no apology", "not even an apology",
    "never apologi*", "didn't apologi*", "apologised", "apologized", "sighed", "called me a", "slur*",
    "stops to chat", "stopped to chat", "chats with", "says hello", "say hello", "waves at", "waved at",
)
TOPIC_EXCLUSIONS: dict[str, tuple[str, ...]] = {
    "respect": ("shoutout", "shout out", "shout-out", "respect to", "big respect", "much respect", "mad respect",
                "massive respect", "full respect", "hear shouting", "heard shouting", "hear screaming", "shouting for help"),
}

TOPIC_EXCLUSIONS["response_time"] = (
    # other uses of time words: opening hours, when something happened, a waiting room, staying with someone
    "opening hours", "office hours", "business hours", "what time", "hour ago", "hours ago", "minutes ago",
    "mins ago", "waiting room", "waited with me", "waited with us", "waited with her", "waited with him",
    "didn't come home", "hasn't come home", "never came home", "not come home", "walking fast", "drive fast",
    "drives fast", "driving fast", "too fast", "how long does it take to",
)
TOPICS["praise"] = TOPICS["praise"] + ("big respect", "mad respect", "much respect", "massive respect")
# sarcasm and formulaic negatives that contain praise words
TOPIC_EXCLUSIONS["praise"] = ("thanks for nothing", "thank you for nothing", "no thanks to")

# More everyday wordings: arriving before the other services, thanks without "thank", fights and break-ins.
TOPICS["response_time"] = TOPICS["response_time"] + (
    "before the ambulance", "before the paramedics", "before the fire brigade", "before the fire service",
    "before the fire department",
)
TOPICS["praise"] = TOPICS["praise"] + ("keep it up", "well done", "couldn't ask for more", "can't fault", "good people")

# Fourth round (respect): everyday ways of describing an officer's manner, in both directions.
TOPICS["respect"] = TOPICS["respect"] + (
    "talked down to", "talking down to", "spoke down to", "looked down on", "look down on", "made fun of",
    "making fun of", "laughed in my face", "couldn't care less", "couldn't be bothered", "could not be bothered",
    "didn't care", "did not care", "didn't give a", "unhelpful", "not helpful", "not very helpful", "understanding",
    "considerate", "inconsiderate", "thoughtful", "sympathetic", "unsympathetic", "supportive", "abrupt", "curt",
    "cold and", "cold towards", "short with me", "short with us", "impatient", "indifferent", "indifference",
    "his tone", "her tone", "their tone", "the tone", "tone of voice", "raised his voice", "raised her voice",
    "raised their voices", "called me names", "made me feel stupid", "made me feel small", "like an idiot",
    "like i was stupid", "like a child", "like a liar", "like i was lying", "introduced himself", "introduced herself",
    "behaviour", "behavior", "demeanour", "demeanor", "gentleman", "obnoxious", "contempt*", "disdain*",
    "degrading", "demeaning", "insensitive", "tactful", "tactless", "heartless",
)
# someone else's behaviour (neighbours, suspects) is not how an officer treated the writer
TOPIC_EXCLUSIONS["respect"] = TOPIC_EXCLUSIONS["respect"] + (
    "anti-social behaviour", "anti-social behavior", "suspicious behaviour", "suspicious behavior",
    "strange behaviour", "strange behavior",
)

# Fourth round (communication): not being told, chasing a case; and call/message words that are about
# something else (calling to report, an officer's unwanted texts, whom to contact about a street light).
TOPICS["communication"] = TOPICS["communication"] + (
    "nobody has called", "no one has called", "nobody called", "no one called", "nobody rang", "nobody answers",
    "no one answers", "nobody answered", "no one answered", "nobody picks up", "no one picks up", "never heard",
    "never told", "wasn't told", "weren't told", "not told", "found out by accident", "had to find out",
    "found out from", "not a word", "explanation*", "what happens next", "next steps",
    "keep me informed", "keep us informed", "kept us informed", "kept informed", "keep me updated",
    "keep us updated", "chasing up", "been chasing", "still chasing", "chased up", "chase up", "radio silence", "ghosted",
    "kept me in the dark", "kept us in the dark", "keeping me in the dark", "keeping us in the dark",
    "crime reference", "case was closed", "closed my case",
    "case closed",
)
TOPIC_EXCLUSIONS["communication"] = (
    "texting me", "sending me messages", "keeps messaging me", "messaged me on", "who do i contact",
    "who should i contact", "who do i call", "who should i call", "who to call", "who to contact",
    "response time", "quick response", "fast response", "rapid response", "so understanding", "very understanding",
    "was understanding", "were understanding",
)

# Time words that are not how fast police came: waiting for a call-back or a number (communication),
# how long someone was detained, waiting while being attended to.
TOPIC_EXCLUSIONS["response_time"] = TOPIC_EXCLUSIONS["response_time"] + (
    "waiting for a call*", "waiting for a reply", "waiting for an answer", "waiting for an update",
    "waiting for news", "waiting to hear back", "waiting for the reference", "waiting for my reference",
    "waiting for the crime reference", "waiting for my crime reference", "waiting for the case number",
    "held for * hours", "held for hours", "detained for * hours", "detained for hours", "kept for * hours",
    "while i waited", "still waiting for a call*", "still waiting for a reply", "still waiting for an answer",
    "still waiting for an update", "still waiting for news", "still waiting to hear back",
    "still waiting for the reference", "still waiting for the crime reference", "still waiting for the case number",
)

# Safety words inside other things: road safety (traffic), being treated like a criminal (respect).
TOPIC_EXCLUSIONS["safety"] = (
    "road safety", "like a criminal", "like a common criminal", "like criminals",
)
