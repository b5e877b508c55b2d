"""Concept coverage of the receive-time rules, per language, on invented sentences.

Each concept of issue 11 (danger now, self-harm direct and indirect, force and misconduct by officers,
profiling) has paraphrases in en/es/fr/de that no earlier rule listed verbatim, plus figures of speech
that must not alert. None of these sentences come from the police-feedback dev set.
"""

from __future__ import annotations

import pytest

from nlp.analysis import analyse


def level(text: str) -> str:
    return analyse(text).emergency.level


def kinds(text: str) -> set[str]:
    e = analyse(text).emergency
    return set(e.kinds) | set(e.advise)


@pytest.mark.parametrize(
    "text",
    [
        # someone getting in / attacked / threatened / followed now, weapons, fire, not breathing, a child
        "My ex is choking my sister in the kitchen, please hurry",
        "There's a man in my garden climbing through the window right now",
        "A guy outside the shop is holding a knife and shouting at people",
        "The flat upstairs is on fire and there are kids inside",
        "My grandad collapsed and stopped breathing, send an ambulance",
        "There is a baby alone in the car in this heat, the windows are shut",
        "Some guy is following me from the station, I'm scared, please come",
        # es
        "Mi pareja me está estrangulando, vengan ya",
        "Hay un hombre en casa con un machete, estoy escondida en el baño",
        "Mi vecino no reacciona y está sangrando mucho",
        "Se está quemando el edificio de enfrente, hay gente dentro",
        # fr
        "Il me frappe encore, venez vite s'il vous plaît",
        "Quelqu'un est chez moi, je me suis enfermée dans la salle de bain",
        "Ma mère ne respire pas, envoyez une ambulance",
        "Il y a un enfant seul dans la voiture sur le parking",
        # de
        "Er schlägt mich gerade, bitte kommen Sie schnell",
        "Jemand ist in der Wohnung, ich verstecke mich im Schrank",
        "Mein Nachbar blutet stark und reagiert nicht mehr",
        "Es brennt im Treppenhaus, wir kommen nicht raus",
    ],
)
def test_danger_now_paraphrases_get_the_emergency_number(text: str) -> None:
    assert "emergency" in kinds(text), analyse(text).emergency


@pytest.mark.parametrize(
    "text",
    [
        "I just want to be dead, I can't keep going",
        "This is my last message, I've taken all my pills",
        "By the time you read this I'll be gone, tell my mum I love her",
        "My friend says she wants to die and is standing on the ledge",
        "Me quiero morir, ya no tengo motivos para vivir",
        "Este es mi último mensaje, perdonadme",
        "Mi hermano amenaza con tirarse del puente",
        "J'ai plus envie de vivre, je vais me foutre en l'air ce soir",
        "C'est mon dernier message, dites à ma sœur que je suis désolée",
        "Mon fils menace de se suicider",
        "Ich will nicht mehr leben, das ist meine letzte Nachricht",
        "Ich bin morgen nicht mehr da, ich habe alle Tabletten",
        "Mein Freund droht sich umzubringen",
    ],
)
def test_self_harm_direct_and_indirect(text: str) -> None:
    assert "self_harm" in kinds(text), analyse(text).emergency


@pytest.mark.parametrize(
    "text",
    [
        # the guards named in issue 11
        "this movie killed me",
        "I'm dying to see the parade",
        "se me murió el móvil",
        "j'ai failli mourir de rire",
        "ich sterbe vor Lachen",
        # more figures of speech, sports, news and everyday words
        "The heat is killing me today lol",
        "Their chocolate cake is to die for",
        "Me muero de ganas de ver el partido",
        "Me está entrando un sueño tremendo",
        "Je meurs de faim, vivement midi",
        "Das bringt mich noch um, diese Baustelle",
        "Hurry up, only a few concert tickets left!",
        "Breaking news: the council approves the new park",
        "Watching the big fight on Saturday with my dad",
        "Arme Kinder, die Schule fällt heute aus",
        "Il faut enlever la neige devant l'entrée",
        "Das macht keinen Sinn, die Ampel ist schon wieder kaputt",
        "Thanks for the help with my lost wallet, please keep it up",
        "Gracias por la ayuda, por favor sigan así",
    ],
)
def test_figures_of_speech_and_everyday_words_do_not_alert(text: str) -> None:
    assert level(text) != "alert", analyse(text).emergency
    assert not kinds(text), analyse(text).emergency


@pytest.mark.parametrize(
    "text",
    [
        "The officer slammed my face onto the bonnet and the cuffs were so tight my wrists bled",
        "The cop tased my son although he was already on the ground",
        "The officer said fifty bucks and the ticket disappears",
        "They went through my phone without a warrant",
        "The deputy lied in his report about what happened",
        "The officer kept making sexual comments about my body",
        "They stopped me only because of my accent",
        "The officer refused to take my report because I'm trans",
        "El agente me estampó contra el coche y me puso las esposas muy apretadas",
        "El policía me pidió dinero para olvidar la multa",
        "Me pararon por mi color de piel, como siempre",
        "Los agentes no quisieron tomarme la denuncia",
        "Le policier m'a jeté au sol et m'a étranglé",
        "L'agent a fouillé mon téléphone sans autorisation",
        "Ils ont refusé de prendre ma plainte à cause de mon voile",
        "Der Polizist hat mich zu Boden geworfen, die Handschellen waren viel zu fest",
        "Der Beamte wollte Geld gegen Bezahlung die Sache vergessen",
        "Sie haben mich nur wegen meiner Hautfarbe kontrolliert",
        "Der Beamte wollte meine Anzeige nicht aufnehmen",
    ],
)
def test_officer_force_misconduct_and_profiling_are_sensitive(text: str) -> None:
    result = analyse(text)
    assert result.sensitive, (result.topics, result.sensitive_reasons)
    assert result.emergency.level == "none", result.emergency


@pytest.mark.parametrize(
    "text",
    [
        "Someone stole my bike from the station last night",
        "Me robaron el móvil en el metro",
        "On m'a volé mon vélo hier soir",
        "Mein Fahrrad wurde gestern geklaut",
        "The officer was polite and explained everything",
        "My name is Ana and I want to know about my case",
    ],
)
def test_crimes_by_others_and_ordinary_feedback_are_not_sensitive(text: str) -> None:
    result = analyse(text)
    assert not result.sensitive, result.sensitive_reasons


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Nobody turned up for three hours", "response_time"),
        ("Tardaron una eternidad, dos horas esperando", "response_time"),
        ("Personne ne m'a rappelé, aucune nouvelle de mon dossier", "communication"),
        ("Niemand hat mir Bescheid gegeben, wie es mit meiner Anzeige steht", "communication"),
        ("Drivers race down our street every night", "traffic"),
        ("Ils roulent à toute vitesse devant l'école", "traffic"),
        ("Die Beamtin war total freundlich und geduldig", "respect"),
        ("El agente fue muy borde y cortante conmigo", "respect"),
        ("Huge thanks, you saved my day", "praise"),
        ("Un grand merci, vous avez été exemplaires", "praise"),
        ("There are needles in the playground again", "safety"),
        ("Hay trapicheo de droga en el portal", "safety"),
    ],
)
def test_topic_paraphrases(text: str, topic: str) -> None:
    assert topic in analyse(text).topics, analyse(text).topic_cues
