"""Danger now vs past reports, indirect self-harm, sensitivity and the two alert levels.

Every sentence here is invented for the test (never taken from an evaluation set).
"""

from __future__ import annotations

import pytest

from nlp.analysis import Analyser

ANALYSER = Analyser()


def level(text: str) -> str:
    return ANALYSER.analyse(text).emergency.level


@pytest.mark.parametrize(
    "text",
    [
        "Someone is kicking in the back door right now, please hurry",
        "My ex is in the hallway screaming that he'll kill me, please",
        "Alguien está forzando la puerta del garaje ahora mismo, vengan",
        "Mi vecino le está pegando a su novia, se oyen golpes ahora mismo",
        "Quelqu'un essaie d'entrer par le balcon en ce moment, venez vite",
        "J'entends des coups et des cris chez la voisine depuis dix minuten, vite",
        "Jemand versucht gerade, die Kellertür aufzubrechen! Bitte schnell!",
    ],
)
def test_danger_now_raises_an_alert_in_every_language(text: str) -> None:
    result = ANALYSER.analyse(text)
    assert "emergency" in result.emergency.kinds, result.emergency
    assert result.emergency.level == "alert"
    assert "safety" in result.topics


def test_danger_now_in_german_raises_an_alert() -> None:
    assert level("Mein Nachbar schlägt seine Frau, ich höre sie schreien, kommen Sie sofort") == "alert"


@pytest.mark.parametrize(
    "text",
    [
        "Last month someone broke into my shed and the report went nowhere",
        "Thanks for catching the guys from the burglary on our street",
        "Hubo una pelea en la plaza el sábado y la patrulla tardó mucho",
        "Gracias por venir tan rápido cuando hubo el incendio en el bloque",
        "Après l'agression de mon fils, personne ne nous a rappelés",
        "Nach dem Einbruch letzte Woche hat sich niemand gemeldet",
        "There are fights outside the kebab shop every weekend",
    ],
)
def test_a_past_incident_is_a_report_not_an_emergency(text: str) -> None:
    assert level(text) == "none", ANALYSER.analyse(text).emergency


def test_an_officer_with_a_gun_is_a_complaint_not_danger_now() -> None:
    result = ANALYSER.analyse("The officer pulled his gun on my son during a stop for a broken tail light")
    assert result.emergency.level == "none"
    assert result.sensitive


@pytest.mark.parametrize(
    "text",
    [
        "Nobody had a weapon, it was just shouting",
        "No había ningún arma, solo gritos",
        "Il n'y avait aucune arme",
        "Er hatte keine Waffe dabei",
    ],
)
def test_negated_weapons_do_not_alert(text: str) -> None:
    assert ANALYSER.analyse(text).emergency.kinds == ()


@pytest.mark.parametrize(
    "text",
    [
        "thanks for finding my bike. i won't be needing it after tonight anyway",
        "I've given away my guitar and written the letters, tell my sister I'm sorry",
        "Ya le he regalado mis cosas a mi prima. Decidle a mi madre que lo siento.",
        "J'ai donné mes affaires, je n'en aurai plus besoin. Dites à ma mère que je suis désolée.",
        "Die Tabletten liegen schon hier. Sagt meiner Schwester, dass es mir leid tut.",
    ],
)
def test_indirect_self_harm_wording_alerts_as_self_harm(text: str) -> None:
    result = ANALYSER.analyse(text)
    assert "self_harm" in result.emergency.kinds, result.emergency


@pytest.mark.parametrize(
    "text",
    [
        "I can't go on like this",
        "Mejor desaparecer para siempre",
        "Je vais tout arrêter",
    ],
)
def test_a_single_uncertain_self_harm_sign_advises_without_alerting(text: str) -> None:
    result = ANALYSER.analyse(text).emergency
    assert result.level == "advise", result
    assert "self_harm" in result.advise and result.kinds == ()


def test_despair_in_a_complaint_alone_does_not_even_advise() -> None:
    assert level("Nobody cares about the potholes on our road") == "none"


def test_i_would_never_hurt_myself_does_not_alert() -> None:
    assert level("I would never hurt myself, I just want the noise to stop") == "none"


@pytest.mark.parametrize(
    "text",
    [
        "The cop said 150 bucks and he'd make the ticket go away",
        "The officer said I could pay him in cash to forget about the ticket",
        "El agente me dijo que con 50 euros para el refresco se olvidaba de la multa",
        "Le policier m'a proposé d'oublier l'amende contre 80 euros en liquide",
        "Der Polizist wollte 100 Euro in bar, dann würde er den Strafzettel verschwinden lassen",
    ],
)
def test_bribe_paraphrases_are_misconduct_and_sensitive(text: str) -> None:
    result = ANALYSER.analyse(text)
    assert result.sensitive, result
    assert "misconduct" in result.emergency.kinds


@pytest.mark.parametrize(
    "text",
    [
        "Two officers went through my glovebox without asking and never said why",
        "Los policías me registraron la mochila sin orden judicial",
        "Les policiers ont fouillé mon sac sans aucune raison",
        "Der Beamte hat mein Auto durchsucht ohne zu fragen",
    ],
)
def test_an_illegal_search_is_sensitive(text: str) -> None:
    result = ANALYSER.analyse(text)
    assert result.sensitive, result
    assert result.sensitive_reasons


def test_kneeling_on_a_neck_is_sensitive() -> None:
    assert ANALYSER.analyse("he knelt on my neck until I couldn't breathe").sensitive


def test_spanish_thanks_after_a_robbery_is_not_misconduct() -> None:
    result = ANALYSER.analyse("Gracias a la agente que me ayudó cuando me robaron el móvil en el metro, un encanto")
    assert "misconduct" not in result.emergency.kinds
    assert not result.sensitive
    assert result.emergency.level == "none"
    assert "praise" in result.topics


def test_police_stealing_is_still_misconduct_in_spanish() -> None:
    assert "misconduct" in ANALYSER.analyse("El policía me robó la cartera durante el cacheo").emergency.kinds


def test_plain_praise_is_neither_sensitive_nor_urgent() -> None:
    result = ANALYSER.analyse("Danke an die Beamtin, sie war sehr geduldig und freundlich")
    assert not result.sensitive and result.sensitive_reasons == ()
    assert result.emergency.level == "none"
