"""de cues."""

from __future__ import annotations

EMERGENCY_DEFINITE: tuple[str, ...] = (
    "hat eine waffe", "hat ein messer", "hat eine pistole", "mit einer waffe", "mit einem messer",
    "will mich umbringen", "bringt mich um", "wird mich umbringen", "will uns umbringen", "morddrohung*",
    "mit dem tod gedroht", "bricht ein", "brechen ein", "einbruch gerade", "jemand ist in meiner wohnung",
    "ich werde angegriffen", "es wird geschossen", "schickt polizei", "schicken sie polizei",
    "wurde entfuhrt", "hat * entfuhrt", "als geisel",
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
        "hautfarbe", "herkunft", "auslander*", "migrant*", "akzent", "kopftuch", "schwarz",
        # "weil ich" alone is any reason ("weil ich eine Frage habe"): only "weil ich ... bin/aussehe/trage"
        "weil ich * bin", "weil ich * * bin", "weil ich * aussehe", "weil ich * trage", "weil ich * heisse",
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


# --------------------------------------------------------------------------------------------------
# Abdeckung der Begriffe (zweite Runde): wie Leute jeden Begriff beschreiben, nicht einzelne Sätze.
# --------------------------------------------------------------------------------------------------

EMERGENCY_DEFINITE = EMERGENCY_DEFINITE + tuple(f"{s} {v}" for s in ("er", "sie", "jemand", "der mann")
                                                for v in ("schlagt mich", "schlagt uns", "schlagt meine",
                                                          "schlagt die kinder",
                                                          "schlagt sein kind", "schlagt ihr kind", "wurgt mich",
                                                          "wurgt sie",
                                                          "tritt mich", "bedroht mich", "bedroht uns", "verfolgt mich",
                                                          "verprugelt mich", "verprugelt sie", "greift mich an",
                                                          "sticht auf")) + (
    "schlagt mich", "schlagt das kind", "schlagt die kinder", "verprugelt gerade", "schlagt gerade",
    "jemand ist in meinem haus", "jemand ist in der wohnung", "jemand ist im haus", "ist jemand in meiner",
    "einbrecher im haus", "einbrecher sind noch", "sind noch im haus", "ist noch in der wohnung", "ich verstecke mich",
    "habe mich eingeschlossen", "ist bewaffnet", "sind bewaffnet", "mit einer pistole", "mit einem gewehr",
    "hat ein gewehr", "mit einer axt", "hat eine axt", "mit einem baseballschlager", "mit einer machete",
    "wurde niedergestochen", "wurde angeschossen", "auf mich geschossen", "auf uns geschossen", "blutet stark",
    "viel blut", "wacht nicht auf", "atmet nicht mehr", "es brennt", "brennt lichterloh", "in flammen",
    "feuer im haus", "feuer in der wohnung", "kind allein im auto", "baby im auto", "kind im auto eingesperrt",
    "kinder sind allein", "schicken sie einen krankenwagen", "rufen sie einen krankenwagen",
    "brauche einen krankenwagen",
    "ich brauche hilfe", "brauche dringend hilfe", "bitte kommen sie", "kommen sie bitte", "ich bin in gefahr",
    "in lebensgefahr", "sperrt mich ein", "lasst mich nicht raus", "lasst mich nicht gehen", "will mich schlagen",
    "wird mich schlagen",
    "reagiert nicht mehr",
)

EMERGENCY_BORDERLINE = EMERGENCY_BORDERLINE + (
    "entfuhr*", "geisel*", "gewehr", "axt", "machete", "niedergestochen", "angeschossen", "erstochen", "blutet",
    "zusammengebrochen", "ohnmachtig", "herzinfarkt", "uberdosis", "gasgeruch", "riecht nach gas", "rauch",
    "in gefahr", "lebensgefahr", "schlagt mich", "schlagt sie",
    "verprugelt", "betrunken und", "wirft sachen", "zerschlagt", "eingesperrt", "finde mein kind nicht",
    "finde meine tochter nicht", "finde meinen sohn nicht", "ist weg",
    "reagiert nicht",
)

EMERGENCY_HINTS = EMERGENCY_HINTS + ("hilfe", "brauche hilfe", "brauchen hilfe", "angst", "panik", "weint", "schreien")

SELF_HARM_DEFINITE = SELF_HARM_DEFINITE + (
    "mich umzubringen", "mich toten", "mein leben beenden", "meinem leben ein ende", "will nicht mehr leben",
    "keinen grund mehr zu leben", "kein grund zu leben", "keinen sinn zu leben", "will nicht mehr da sein",
    "bin morgen nicht mehr da", "morgen nicht mehr da", "das ist meine letzte nachricht", "meine letzte nachricht",
    "wenn ihr das lest", "wenn du das liest", "alle tabletten", "tabletten geschluckt", "tabletten genommen",
    "vor den zug", "vor einen zug", "von der brucke", "vom hochhaus", "pulsadern", "ritze mich",
    "mich selbst verletzen",
    "will sich umbringen", "droht sich umzubringen", "will sich toten", "will sich das leben", "lebensmude",
    "will sterben", "mochte sterben", "mochte nicht mehr leben", "tot sein", "lieber tot",
)

SELF_HARM_BORDERLINE = SELF_HARM_BORDERLINE + (
    "dem ganzen ein ende", "nicht mehr da sein", "nicht mehr weiter", "kann nicht mehr weiter",
    "halte es nicht mehr aus",
    "sinnlos", "zur last", "eine last", "besser ohne mich", "letzte nachricht", "lebt wohl",
    "abschied nehmen", "verabschieden", "tabletten", "der strick", "die brucke", "das dach", "fur immer schlafen",
    "nicht mehr aufwachen", "mir weh tun", "mir wehtun", "ritzen", "selbstverletz*", "meine sachen verschenkt",
    "leben hat keinen sinn", "leben macht keinen sinn",
)

SELF_HARM_HINTS = SELF_HARM_HINTS + ("ich gebe auf", "ich will nicht mehr", "allein", "verzeiht mir", "es tut mir leid",
                                     "passt auf * auf", "ich hab euch lieb", "ich bin nichts wert")

FIGURATIVE: tuple[str, ...] = (
    # Tod und Gefahr im übertragenen Sinn
    "sterbe vor *", "sterben vor *", "starb vor *", "vor lachen", "totgelacht", "tot gelacht", "zum totlachen",
    "zum sterben langweilig", "todmude", "todlangweilig", "bringt mich noch um", "das bringt mich um",
    "die hitze bringt mich um", "zeit totschlagen", "feuer und flamme", "haha*", "lol", "xd",
)

MISCONDUCT_SELF_CONTAINED = MISCONDUCT_SELF_CONTAINED + (
    "bestech*", "gegen bezahlung", "wenn ich zahle", "wenn ich bezahle", "geld zustecken", "zugesteckt",
    "falschaussage", "falsche aussage", "bericht gefalscht", "im bericht gelogen", "hat gelogen im", "erfunden",
    "ohne richterlichen beschluss", "handy entsperren", "mein handy durchsucht", "anzeige nicht aufnehmen",
    "anzeige nicht aufgenommen", "wollte meine anzeige nicht", "weigerte sich * anzeige", "anzeige verweigert",
    "wegen meiner hautfarbe", "wegen meiner herkunft", "wegen meines akzents", "wegen meines kopftuchs",
    "wegen meiner religion", "weil ich schwarz bin", "weil ich auslander bin", "weil ich muslim", "kanake*",
    "wurgegriff", "knie im nacken", "knie auf den hals",
)

MISCONDUCT_ACTIONS = MISCONDUCT_ACTIONS + (
    "hat mich verprugelt", "haben mich verprugelt", "haben mich getreten", "hat mich gewurgt", "haben mich gewurgt",
    "zu boden geworfen", "zu boden gerissen", "auf den boden geworfen", "gegen die wand", "gegen das auto",
    "hat mich gezerrt", "haben mich gezerrt", "geschleift", "hat mich gestossen", "haben mich gestossen",
    "pfefferspray ins gesicht", "handschellen zu fest", "zu fest", "hat mich verletzt", "haben mich verletzt",
    "hat mein geld", "haben mein geld", "geld fehlte", "fehlten * euro", "hat gelogen", "haben gelogen", "lugen",
    "hat mich eingeschuchtert", "hat mir gedroht", "haben mir gedroht", "hat mich angefasst", "anzugliche",
    "hat mich beschimpft", "haben mich beschimpft", "hat mich gedemutigt", "weil ich", "wegen meiner", "wegen meines",
    "hat sich geweigert", "haben sich geweigert", "wollte nicht aufnehmen",
)

URGENCY_STRONG = URGENCY_STRONG + ("schnell kommen", "bitte kommen", "passiert gerade", "passiert jetzt",
                                   "ist immer noch da", "sind noch da", "sind immer noch")

URGENCY_WEAK = URGENCY_WEAK + ("momentan", )

PAST = PAST + ("letzten montag", "letzten dienstag", "letzten mittwoch", "letzten donnerstag", "letzten freitag",
               "letzten sonntag", "im 20*", "als ich", "vor langer zeit", "letzten sommer", "letztens")

TOPICS["use_of_force"] = TOPICS["use_of_force"] + (
    "verprugelt", "zusammengeschlagen", "faustschlag", "schlag ins gesicht", "ins gesicht", "gewurgt", "wurgegriff",
    "nacken", "auf den boden", "gegen die wand", "fixiert", "zu fest", "zu eng", "reizgas", "tranengas", "gezerrt",
    "geschleift", "hamatom*", "blaue flecken", "blauer fleck", "prellung*", "platzwunde", "geblutet", "blutete",
    "grob*", "gewaltsam", "mit gewalt",
)

TOPICS["misconduct_allegation"] = TOPICS["misconduct_allegation"] + (
    "bestech*", "gegen bezahlung", "zugesteckt", "geld verlangt", "geld wollte", "mein geld", "fehlte", "gelogen",
    "lugen*", "luge*", "falschaussage", "falsche aussage", "gefalscht", "erfunden", "handy entsperren",
    "eingeschuchtert", "anzugliche", "sexuell*", "kanake*", "nicht aufgenommen",
    "nicht aufnehmen", "geweigert", "verweigert", "willkur*", "schikan*", "vertuscht", "vertusch*",
)

TOPICS["fairness_bias"] = TOPICS["fairness_bias"] + (
    "religion", "muslim*", "islam*", "jude", "judin", "judisch*", "araber*", "arabisch*", "afrikan*",
    "sinti", "schwul*", "lesbisch*", "trans", "weil ich eine frau", "aussehen*", "wie ich aussehe", "nur weil",
    "wegen meines", "wegen meiner", "die deutschen", "die weissen", "ungleich*", "herausgepickt", "rausgepickt",
    "nur uns", "immer wir", "immer ich",
    "turke*", "turkin", "turkisch*",
)

TOPICS["respect"] = TOPICS["respect"] + (
    "unhoflich*", "unfreundlich*", "frech*", "pampig*", "schroff*", "ruppig*", "barsch*", "kalt", "abweisend*",
    "herablassend*", "von oben herab", "uberheblich*", "ausgelacht", "lustig gemacht", "angeschrien", "geschrien",
    "gebrullt", "angepflaumt", "angemacht", "beschimpft", "freundlich*", "hoflichkeit", "respektvoll*",
    "menschenwurde", "wie ein mensch", "wie dreck", "wie einen hund", "wie ein verbrecher", "ernst genommen",
    "nicht ernst genommen", "ignoriert", "einfuhlsam*", "verstandnis*",
)

TOPICS["response_time"] = TOPICS["response_time"] + (
    "gedauert", "dauerte", "dauert", "ewig*", "ewigkeit", "warten*", "wartete*", "minuten", "stunde*", "niemand kam",
    "keiner kam", "kam keiner", "nie aufgetaucht", "nicht gekommen", "immer noch nicht da", "verspat*", "zugig*",
    "sofort", "rasch*", "blitzschnell", "prompt", "innerhalb",
)

TOPICS["communication"] = TOPICS["communication"] + (
    "zuruckgerufen", "ruckruf*", "anruf*", "angerufen", "telefon*", "erreich*", "nachricht*", "mail*",
    "schreiben", "bescheid", "informier*", "auf dem laufenden", "stand meiner", "aktenzeichen", "meine anzeige",
    "erklar*", "niemand hat mir", "keiner hat mir", "keine antwort", "antwort*", "zugehort", "zuhoren", "verstand*",
    "sprache", "englisch", "deutsch",
)

TOPICS["safety"] = TOPICS["safety"] + (
    "geklaut", "gestohlen", "stehlen", "diebstahl*", "dieb*", "einbruch*", "einbrecher*", "uberfall*", "raub*",
    "taschendieb*", "vandal*", "beschadigt", "zerkratzt", "graffiti", "schlagerei*", "prugelei*", "messer*", "waffe*",
    "schusse", "bedroh*", "belastig*", "verfolg*", "gewalt", "hausliche gewalt", "betrunken*", "alkohol*", "drogen*",
    "spritze*", "dunkel*", "nachts", "abends", "ruhestorung", "larm",
    "gefahr*", "feuer",
)

TOPICS["traffic"] = TOPICS["traffic"] + (
    "falsch geparkt", "parkt*", "parkplatz*", "stau*", "fahrer*", "fahr*", "gefahren", "raser*", "rennen", "hupe*",
    "hupt", "rot gefahren", "uber rot", "zebrastreifen", "gehweg", "burgersteig", "knollchen", "strafzettel",
    "punkte in flensburg", "flensburg", "fuhrerschein", "versicherung", "kennzeichen", "alkoholtest", "pusten",
    "unfall*", "zusammenstoss", "motorrad*", "roller", "e-scooter", "fahrrad*", "lkw", "busspur", "busfahrer*",
)

TOPICS["praise"] = TOPICS["praise"] + (
    "danke schon", "dankeschon", "herzlichen dank", "tausend dank", "vielen herzlichen dank", "ganz toll", "super",
    "wunderbar*", "klasse", "vorbildlich*", "beeindruck*", "stolz*", "zufrieden*", "begeistert", "haben mir geholfen",
    "hat mir geholfen", "geholfen", "gerettet", "ein lob", "lob an", "grosses lob", "daumen hoch",
)

# Respekt: weitere Wörter für den Umgang der Beamten; und Verwendungen seiner Wörter, die etwas anderes meinen.
TOPICS["respect"] = TOPICS["respect"] + (
    "lieb", "so lieb", "sehr lieb", "liebevoll*", "herzlich", "nicht mal angeschaut", "nicht einmal angeschaut",
    "nicht mal angesehen", "nicht einmal angesehen", "keines blickes", "keine entschuldigung",
    "ohne entschuldigung", "nicht entschuldigt", "hat sich entschuldigt", "haben sich entschuldigt",
    "augen verdreht", "augenverdrehen", "geseufzt", "genervt", "kanake*", "scheiss auslander", "grusst", "grussen",
)
TOPIC_EXCLUSIONS: dict[str, tuple[str, ...]] = {
    "respect": ("respekt an", "respekt fur", "hore schreie", "hore geschrei"),
}

TOPIC_EXCLUSIONS["response_time"] = (
    "wie spat", "offnungszeit*", "vor einer stunde", "vor * stunden", "vor * minuten", "wartezimmer",
    "wartebereich", "kommt schnell", "kommen sie schnell", "komm schnell", "schnell bitte", "bitte schnell",
    "wie lange dauert es, bis",
)
TOPICS["praise"] = TOPICS["praise"] + ("weiter so", "nichts zu meckern", "nichts auszusetzen", "vorbildlich*")
TOPIC_EXCLUSIONS["praise"] = (
    "danke fur nichts", "na super", "na toll", "na prima", "na klasse", "danke auch", "vielen dank auch",
)

TOPIC_EXCLUSIONS["traffic"] = (
    # a ticket for the bus, a lift home, a bicycle as stolen or found property
    "fahrschein*", "ohne fahrschein", "nach hause gefahren", "heim gefahren", "ins krankenhaus gefahren",
    "zur wache gefahren", "mein fahrrad", "meinem fahrrad", "gefundenes fahrrad", "fahrrad gefunden",
    "fahrrad gestohlen", "fahrrad geklaut", "fahrraddiebstahl*", "fahrrad ist weg",
)

# Weitere Alltagswendungen: vor den anderen Diensten da, Lob ohne "danke", Prügeleien und Einbrüche.
TOPICS["response_time"] = TOPICS["response_time"] + (
    "vor der feuerwehr", "vor dem rettungswagen", "vor dem krankenwagen", "vor dem notarzt",
)
TOPICS["praise"] = TOPICS["praise"] + ("gut gemacht", "positiv uberrascht", "anstandige leute", "besser geht es nicht")
TOPICS["safety"] = TOPICS["safety"] + (
    "einbrechen", "einzubrechen", "einbricht", "eingeschlagen", "einschlagen", "prugeln", "geprugelt",
    "zusammengeschlagen", "gedealt", "dealen", "randal*", "sachbeschadigung", "ausgeraubt", "beklaut", "bestohlen",
    "angegriffen",
)

# Vierte Runde (Respekt): wie Bürger den Umgangston von Beamten beschreiben, in beide Richtungen.
TOPICS["respect"] = TOPICS["respect"] + (
    "abfallig*", "verachtlich*", "spottisch*", "verspottet", "angeblafft", "angeranzt", "angepampt",
    "rumgeschrien", "rumgebrullt", "laut geworden", "befehlston", "im ton", "der ton", "den ton", "einem ton",
    "in diesem ton", "tonfall", "gleichgultig*", "desinteressiert*", "ihnen egal", "denen egal", "ihm egal",
    "sichtlich egal", "vollig egal", "scheissegal", "mitfuhlend*", "zuvorkommend*", "anstandig*",
    "entwurdigend*", "erniedrig*", "herabwurdigend*", "wurdelos*", "provoziert", "provokant*", "dumm angemacht",
    "blod angemacht", "dumme spruche", "blode spruche", "wie ein kind", "wie ein kleines kind", "wie einen idioten",
    "wie einen deppen", "wie den letzten dreck", "wie ein stuck dreck", "zweiter klasse", "kurz angebunden",
    "patzig*", "rotzig*", "flegelhaft*", "rupelhaft*", "angepobelt", "gepobelt", "duzt", "verhalten",
    "benehmen", "taktlos*", "feinfuhlig*", "behutsam*", "warmherzig*", "lacherlich gemacht", "blossgestellt",
    "angezickt", "zickig*", "nicht gegrusst", "gegrusst",
)
# das Verhalten anderer (verdächtig, auffällig) ist nicht der Umgang eines Beamten
TOPIC_EXCLUSIONS["respect"] = TOPIC_EXCLUSIONS["respect"] + (
    "verdachtiges verhalten", "auffalliges verhalten", "seltsames verhalten", "komisches verhalten",
)

# Vierte Runde (Kommunikation): nichts erfahren, dem Stand nachlaufen; und Anruf- oder Nachrichtenwörter, die
# etwas anderes meinen (anrufen, um etwas zu melden, Nachrichten eines Beamten, wen man wegen einer Laterne anruft).
TOPICS["communication"] = TOPICS["communication"] + (
    "ruft mich keiner", "ruft mich niemand", "keiner ruft", "niemand ruft", "meldet sich keiner",
    "hat sich nie gemeldet", "sich nie gemeldet", "nie wieder gemeldet", "nichts mehr gehort",
    "nie wieder etwas gehort", "nie wieder was gehort", "nie etwas gehort", "ohne begrundung", "keine begrundung",
    "kein wort", "kein einziges wort", "sachstand", "stand der ermittlungen", "wie ist der stand",
    "verfahren eingestellt", "ermittlungen eingestellt", "wurde eingestellt",
    "zuruckrufen", "funkstille", "geht keiner ran", "geht niemand ran", "niemand geht ran",
    "keiner geht ran",
)
TOPIC_EXCLUSIONS["communication"] = (
    "schreibt mir * nachrichten", "schreibt mir * * nachrichten", "schreibt mir nachrichten", "schickt mir nachrichten", "wen soll ich anrufen",
    "wen muss ich anrufen", "an wen wende ich mich", "wen kann ich anrufen", "nachrichten durchgelesen",
    "nachrichten gelesen", "geht nicht ans handy", "geht nicht ans telefon", "krankenwagen angerufen",
    "feuerwehr angerufen", "mein telefon", "mein handy",
)

# Zeitwörter, die nicht sagen, wie schnell die Polizei kam: auf einen Rückruf oder eine Antwort warten
# (Kommunikation), wie lange jemand festgehalten wurde.
TOPIC_EXCLUSIONS["response_time"] = TOPIC_EXCLUSIONS["response_time"] + (
    "warte auf einen ruckruf", "warte immer noch auf einen ruckruf", "warte auf eine antwort",
    "warte immer noch auf eine antwort", "warte auf ruckmeldung", "warte auf eine ruckmeldung", "warten auf eine antwort",
    "warten auf einen ruckruf", "stundenlang festgehalten", "stundenlang ohne anwalt", "stundenlang auf der wache",
    "stunden festgehalten",
)

# Sicherheitswörter in anderem Sinn: "Gefahr im Verzug" (Rechtsbegriff), wie ein Verbrecher behandelt.
TOPIC_EXCLUSIONS["safety"] = (
    "gefahr im verzug", "wie einen verbrecher", "wie eine verbrecherin", "wie ein verbrecher", "wie verbrecher",
)
