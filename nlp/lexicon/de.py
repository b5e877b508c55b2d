"""de cues."""

from __future__ import annotations

EMERGENCY_DEFINITE: tuple[str, ...] = (
    "hat eine waffe", "hat ein messer", "hat eine pistole", "mit einer waffe", "mit einem messer",
    "will mich umbringen", "bringt mich um", "wird mich umbringen", "will uns umbringen", "morddrohung*",
    "mit dem tod gedroht", "bricht ein", "brechen ein", "einbruch gerade", "jemand ist in meiner wohnung",
    "ich werde angegriffen", "es wird geschossen", "schickt polizei", "schicken sie polizei", "entfuhrt",
    "geisel*",
    # Einbruch im Gange: Tür oder Fenster wird gerade aufgebrochen
    "aufzubrechen", "aufbrechen", "bricht * auf", "brechen * auf", "einzubrechen", "tritt die tur ein",
    "treten die tur ein",
    # Gewalt, die man jetzt hört oder sieht
    "schlagt seine frau", "schlagt seine freundin", "schlagt sie", "schlagt ihn", "ich hore schreie",
    "hore sie schreien", "hore ihn schreien", "hore sie weinen", "will mich toten", "droht mich umzubringen",
    "droht mir mit dem tod",
    # Verletzte ohne Hilfe; Geisterfahrer
    "bewusstlos", "atmet nicht", "bewegt sich nicht", "geisterfahrer", "in falscher richtung",
    "helfen sie mir", "bitte helfen sie",
)

EMERGENCY_BORDERLINE: tuple[str, ...] = (
    "eingebrochen", "einbruch", "waffe", "waffen", "messer", "pistole", "angegriffen", "uberfallen",
    "schusse", "schlagerei*", "bedroht", "werde verfolgt", "hausliche gewalt", "feuer", "vergewaltigt",
    # Vermisste: dringend mit 'jetzt' oder 'bitte schnell'
    "wird vermisst", "ist verschwunden", "nicht nach hause gekommen", "nicht heimgekommen",
    # Gefahr auf der Strasse jetzt
    "verfolgt mich", "vor meiner tur", "vor meinem haus", "wirft steine", "werfen steine",
)

SELF_HARM_DEFINITE: tuple[str, ...] = (
    "ich will mich umbringen", "ich bringe mich um", "ich bring mich um", "ich mich umbringen",
    "mich umbringen will", "nicht mehr leben", "will sterben", "mir etwas antun", "mir was antun",
    "mich ritzen", "mir das leben nehmen",
    # ausdrückliche Absicht, auch in der dritten Person
    "vom dach springen", "von der brucke springen", "springen will", "will springen", "mich erhangen",
    "mich aufhangen", "sich das leben nehmen", "sich umbringen", "abschiedsbrief*",
)

MISCONDUCT_SELF_CONTAINED: tuple[str, ...] = (
    "bestechung*", "bestochen", "schmiergeld*", "polizeigewalt", "machtmissbrauch", "amtsmissbrauch",
    "rassistisch beleidigt", "ubermassige gewalt", "erpressung", "erpresst",
    # Bestechung umschrieben, Durchsuchung ohne Grundlage, fremdenfeindliche Sprüche
    "ohne durchsuchungsbeschluss", "ohne beschluss", "racial profiling", "geh zuruck in dein land",
    "wo du herkommst", "euro in bar", "bar auf die hand", "strafzettel verschwinden", "knollchen vergessen",
    "vergessen wir das", "unter der hand",
)

MISCONDUCT_ACTIONS: tuple[str, ...] = (
    "hat mich geschlagen", "haben mich geschlagen", "hat mich getreten", "hat mich geschubst",
    "hat mich bestohlen", "geld verlangt", "hat mich angefasst", "hat mich begrapscht", "hat mich beleidigt",
    "hat mich bedroht", "hat gelogen", "ohne grund", "rassistisch",
    # Durchsuchung, Gewalt und Drohungen durch Beamte
    "hat mich durchsucht", "haben mich durchsucht", "durchsucht ohne", "mein auto durchsucht",
    "meine tasche durchsucht", "ohne zu fragen", "ohne erlaubnis", "mich zu boden", "auf den boden gedruckt",
    "knie auf", "kniete auf", "den arm verdreht", "hat mich geduzt", "mit festnahme gedroht",
    "video loschen", "handy weggenommen", "verlangte * euro", "wollte * euro",
    # sexuelles Fehlverhalten und private Annäherung durch Beamte
    "schreibt mir", "nach meiner nummer gefragt", "hat mich angebaggert", "spruche uber meinen korper",
    # Gegenstände, die bei Durchsuchung oder Festnahme verschwinden
    "nie wieder aufgetaucht", "steht nicht auf der liste", "eingesteckt",
    # Vergeltung für Beschwerden
    "wenn ich mich beschwere", "weiss wo ich wohne",
)

EMERGENCY_HINTS: tuple[str, ...] = (
    # Not, die nur zusammen mit einem anderen Zeichen zählt
    "poltert", "schreie", "schreit", "weint", "allein", "geht nicht ans handy", "bitte",
)


SELF_HARM_BORDERLINE: tuple[str, ...] = (
    # indirekte Formen: Tabletten, Abschied, Dinge weggeben
    "die tabletten", "tabletten liegen", "mich verabschieden", "dass es mir leid tut",
    "alles beenden", "ein ende machen",
    "hat alles keinen sinn", "keinen sinn mehr", "brauche ich nicht mehr", "werde ich nicht mehr brauchen",
    "verschenke meine", "verschenkt",
)


SELF_HARM_HINTS: tuple[str, ...] = (
    # Verzweiflung, die auch in Beschwerden vorkommt
    "ich kann nicht mehr", "kann nicht mehr", "niemand hilft mir", "besser dran ohne mich",
    "es tut mir leid", "tut mir so leid",
)


POLICE_WORDS: tuple[str, ...] = (
    # die Polizei in den Worten der Leute
    "polizist*", "polizei*", "beamte*", "beamtin*", "bulle*", "bullen", "streife",
)


CIVILIAN_ACTORS: tuple[str, ...] = (
    # Akteure, die nicht Polizei sind
    "mann", "manner", "frau", "jemand", "dieb*", "nachbar*", "nachbarin", "fremde*", "ehemann", "freund",
    "freundin", "mitbewohner*", "ex", "typ",
)


URGENCY_STRONG: tuple[str, ...] = (
    # Bitte um sofortiges Handeln
    "sofort", "kommen sie", "beeilen sie sich", "ist noch hier", "bitte schnell", "schnell bitte",
    "kommen sie schnell", "gerade eben", "in diesem moment", "im moment", "hilfe hilfe",
)


URGENCY_WEAK: tuple[str, ...] = (
    # Gegenwart: dringend nur ohne Vergangenheitsangabe
    "jetzt", "gerade", "schnell", "dringend", "notfall", "heute nacht", "seit * minuten", "wieder",
)


PAST: tuple[str, ...] = (
    # der Vorfall ist vorbei
    "gestern", "letzte woche", "letzten monat", "letztes jahr", "vor * tagen", "vor * wochen",
    "vor * monaten", "neulich", "letzte nacht", "vorgestern", "damals", "letztes wochenende",
    "letzten samstag", "an silvester",
)


REPORTING: tuple[str, ...] = (
    # es geht um eine Anzeige oder einen Fall
    "anzeige*", "angezeigt", "nach dem", "nach der", "beschwerde", "ermittlung*", "akte",
)


HABITUAL: tuple[str, ...] = (
    # wiederkehrendes Problem
    "jedes wochenende", "jeden abend", "jede nacht", "jeden tag", "immer", "standig",
)


GRATITUDE: tuple[str, ...] = (
    # man dankt, wenn die Gefahr vorbei ist
    "danke*", "dankbar", "bedank*",
)


HYPOTHETICAL: tuple[str, ...] = (
    # Hypothese
    "falls", "wenn", "ob",
)


POLICE_CONTEXT: tuple[str, ...] = (
    # Polizeimassnahmen
    "kontroll*", "kontrolliert", "festnahme", "festgenommen", "angehalten", "durchsucht",
)


TOPICS: dict[str, tuple[str, ...]] = {
    "respect": (
        "unhoflich*", "unfreundlich*", "respektlos*", "respekt*", "arrogant*", "beleidig*", "hoflich*",
        "herablassend*", "angeschrien", "angebrullt", "ausgelacht", "gedemutigt", "unverschamt*",
        # wie Beamte mit Leuten umgegangen sind
        "nett*", "einfuhlsam*", "geduldig*", "ruhig*", "entspannt*", "respektvoll*", "von oben herab",
        "angeschnauzt", "angemault", "wie einen verbrecher", "wie eine verbrecherin", "wie ein verbrecher",
        "geduzt", "sarkastisch*", "zynisch*", "menschlich*", "aggressiv*", "behandelt", "beigestanden",
        "verstandnisvoll*",
    ),
    "response_time": (
        "langsam*", "gewartet", "wartezeit", "warten", "nie gekommen", "niemand kam", "niemand ist gekommen",
        "schnell*", "verspatung", "verspatet", "punktlich", "sofort da", "stundenlang", "reaktionszeit",
        "* stunden gedauert", "* stunde gedauert", "* stunden gewartet",
        # wie schnell sie kamen
        "nach * minuten", "innerhalb von", "in * minuten", "stunden", "kam niemand",
    ),
    "communication": (
        "erklart", "erklarung*", "informiert", "information*", "ruckruf", "zuruckgerufen", "antwort*",
        "geantwortet", "kommunikation", "dolmetscher*", "ubersetzer*", "aufgelegt", "zugehort", "ignoriert",
        # Auskunft, Antworten, Kontakt
        "bescheid", "nachricht*", "ruckmeldung", "erklaert", "mitgeteilt", "auskunft", "wissen ob", "email",
        "e-mail", "anruf*", "nichts gehort", "keine info*", "niemand meldet sich", "meldet sich",
    ),
    "fairness_bias": (
        "rassis*", "diskriminier*", "ungerecht*", "unfair*", "vorurteil*", "racial profiling",
        "fremdenfeindlich*", "homophob*", "sexis*", "wegen meiner hautfarbe", "wegen meiner herkunft",
        "voreingenommen*",
        # ungleiche Behandlung
        "hautfarbe", "herkunft", "auslander*", "migrant*", "akzent", "kopftuch", "schwarz", "weil ich",
        "dein land", "anders behandelt",
        # Profiling in einfachen Worten
        "schwarze*", "einzige schwarze", "nur mich", "hierher gehort", "gehort hier nicht hin",
    ),
    "safety": (
        "unsicher*", "sicherheit", "gefahrlich*", "gefahr", "angst", "einbruch*", "eingebrochen",
        "diebstahl", "gestohlen", "uberfall*", "uberfallen", "drogen*", "dealer*", "gewalt", "gewalttatig*",
        "belastig*", "schusse", "vandalismus", "beleuchtung", "bedroh*", "messer", "waffe", "waffen",
        "schlagerei*", "streife*",
        # Kriminalität und Angst im Viertel
        "sicher", "geklaut", "klau*", "betrug*", "einbrecher*", "schlagt", "poltert", "aufzubrechen",
        "aufbrechen", "vermisst", "taschendieb*",
    ),
    "traffic": (
        "verkehr*", "raser*", "zu schnell", "geschwindigkeit*", "rote ampel", "ampel*", "parken", "geparkt",
        "falschparker*", "betrunken am steuer", "alkohol am steuer", "unfall*", "fussganger*",
        "zebrastreifen", "radfahrer*", "radweg*", "strafzettel", "bussgeld*", "verkehrskontrolle*",
        "autofahrer*", "kreisverkehr", "roller",
        # Strassen und Fahrzeuge
        "autobahn", "fuhrerschein", "gurt", "blitzer", "abgeschleppt", "geisterfahrer", "falschparker",
        "auto", "fahrrad*", "tempo *",
    ),
    "use_of_force": (
        "ubermassige gewalt", "gewaltanwendung", "geschlagen", "getreten", "gestossen", "handschellen",
        "taser", "pfefferspray", "schlagstock", "brutal*", "polizeigewalt", "verletzt", "verletzung*",
        "zu boden gebracht", "gewurgt", "geschubst",
        # Gewalt durch Beamte
        "zu boden", "knie", "geohrfeigt", "ohrfeige", "festgehalten", "gepackt", "arm verdreht",
        "waffe gezogen", "waffe auf",
        # Verletzung durch Festhalten
        "verdreht", "gebrochen",
    ),
    "misconduct_allegation": (
        "bestechung*", "bestochen", "korrupt*", "korruption", "erpress*", "gelogen", "lugt",
        "falscher bericht", "machtmissbrauch", "amtsmissbrauch", "sexuelle belastigung", "begrapscht",
        "angefasst", "rassistische beleidigung", "ohne durchsuchungsbeschluss", "eingeschuchtert",
        "mir gedroht", "dienstnummer", "bodycam*",
        # Amtsmissbrauch, Durchsuchung, Geld, Drohungen
        "durchsucht", "ohne grund", "bar auf die hand", "euro", "loschen", "filmen", "gedroht",
    ),
    "praise": (
        "danke*", "dankbar*", "vielen dank", "gute arbeit", "super arbeit", "hervorragend*",
        "ausgezeichnet*", "professionell*", "freundlich*", "hilfsbereit*", "tolle", "toller", "tolles",
        "tollen", "grossartig*", "lob", "vorbildlich*", "helden", "heldin",
        # Lob ohne 'danke'
        "respekt an", "hut ab", "super gemacht", "spitze", "klasse", "echt top", "vielen lieben dank", "sehr gut",
        "richtig gut", "stark",
    ),
}
