"""en cues."""

from __future__ import annotations

EMERGENCY_DEFINITE: tuple[str, ...] = (
    "breaking in", "breaking into", "trying to break in*", "trying to get in", "someone is in my house",
    "someone in my house", "someone is inside", "has a gun", "has a knife", "has a weapon", "got a gun",
    "got a knife", "with a gun", "with a knife", "pointing a gun", "pulled a gun", "pulled a knife",
    "waving a gun", "waving a knife", "is shooting", "are shooting", "shots fired", "shooting at us",
    "shooting at me", "being attacked", "attacking me", "attacking us", "being robbed", "robbing me",
    "robbing us", "being stabbed", "is stabbing", "is beating", "beating me", "are beating", "is hitting me",
    "hitting my", "send help", "send someone", "send the police", "send police", "send an officer",
    "going to kill", "gonna kill", "will kill me", "will kill us", "kill you", "trying to kill",
    "threatening to kill", "threatened to kill", "threatens to kill", "death threat*", "kidnapp*", "abduct*",
    "held hostage", "hostage*", "is bleeding", "is dying", "not breathing",
    # threats to kill as people actually type them (contractions, reported speech)
    "he'll kill me", "she'll kill me", "they'll kill me", "he'll kill us", "says he'll kill",
    "saying he'll kill", "he's going to kill", "she's going to kill",
    # forced entry in progress: the door or window is being attacked now
    "trying to get into", "forcing the door", "forcing the window", "kicking the door",
    "kicking in the door", "kicking down the door", "kicking in the * door", "kicking down the * door", "forcing the * door", "smashing the door", "breaking down the door",
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
    "broke in*", "broken into", "break-in*", "burglary", "intruder*", "had a gun", "had a knife", "gun",
    "guns", "gunman", "gunmen", "gunpoint", "knife", "weapon*", "attacked me", "attacked us", "assaulted",
    "robbed me", "mugged", "stabbed", "shot", "shooting", "fight*", "threatened me", "threatened us",
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
    "won't be around tomorrow", "won't be needing it after tonight", "won't need it after tonight", "won't need * after tonight", "finish it tonight", "finishing it tonight", "end it tonight",
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
        "gentle", "was kind", "were kind", "so kind", "very kind", "kind to", "was nice", "were nice", "so nice", "very nice", "nice to", "friendly", "calm", "patient", "respectful", "treated me", "treated us",
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
        "at 2am", "still no one",
    ),
    "communication": (
        "no update*", "never called back", "call back", "called back", "call me back", "explain*", "inform*",
        "kept me informed", "no one told", "nobody told", "didn't answer", "never answered", "no answer",
        "no response", "no reply", "never replied", "replied", "follow up", "followed up", "communicat*",
        "interpreter", "translator", "couldn't understand", "language barrier", "hung up", "on hold",
        "phone line", "answered my questions", "listened", "didn't listen", "wouldn't listen", "ignored me",
        "ignored my",
        # being told, answered, kept informed, reaching the police
        "proper answer", "an answer", "tell me if", "tell me what", "tell me whether", "tell me how",
        "let me know", "keep me posted", "keep me updated", "email", "e-mail", "confirmation",
        "talking to me", "talk to me", "spoke to me", "get back to me", "got back to me", "heard back",
        "hear back", "heard nothing", "no news", "online", "the chat", "this chat", "the app",
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
        "stole", "planted", "lied", "lying", "false report", "fake report", "abuse of power",
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
