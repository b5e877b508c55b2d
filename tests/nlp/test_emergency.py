"""Emergency, self-harm and misconduct detection, and the messages that must not alert."""

from __future__ import annotations

import pytest

from nlp.emergency import EmergencyDetector

DETECTOR = EmergencyDetector()


@pytest.mark.parametrize(
    "text",
    [
        "Someone is breaking in now!",
        "Please hurry, a man is trying to break into my house",
        "He has a gun",
        "There's a guy with a knife outside the school",
        "He threatened to kill me",
        "my husband is hitting me right now",
        "Alguien está entrando a mi casa, vengan rápido",
        "Tiene una pistola",
        "Me quiere matar",
        "Socorro",
        "Au secours, il a un couteau",
        "Il va me tuer",
        "Er will mich umbringen",
        "Er hat ein Messer",
        "I need to report a man with a gun at the park",
    ],
)
def test_crimes_in_progress_and_threats_raise_an_emergency(text: str) -> None:
    result = DETECTOR.assess(text)
    assert "emergency" in result.kinds, result
    assert result.cue_for("emergency")


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "I don't want to live anymore",
        "My brother says he wants to kill himself",
        "Me quiero suicidar",
        "No quiero vivir más",
        "Je vais me tuer",
        "J'ai envie de mourir",
        "Ich will mich umbringen",
    ],
)
def test_self_harm_is_recognised_in_several_languages(text: str) -> None:
    result = DETECTOR.assess(text)
    assert "self_harm" in result.kinds, result
    assert "emergency" not in result.kinds


@pytest.mark.parametrize(
    "text",
    [
        "The officer hit me",
        "The cop punched me for no reason",
        "The officer took a bribe",
        "The officer called me a racial slur",
        "Los policías me pegaron sin motivo",
        "Me pegaron los policías",
        "El policía me pidió una mordida",
        "Le policier m'a frappé",
        "Der Polizist hat mich geschlagen",
        "That is police brutality",
    ],
)
def test_misconduct_allegations_are_flagged(text: str) -> None:
    result = DETECTOR.assess(text)
    assert "misconduct" in result.kinds, result


@pytest.mark.parametrize(
    "text",
    [
        # past incidents and complaints about them are complaints, not emergencies
        "the response to the break-in last month was slow",
        "I want to report a break-in",
        "la police n'est jamais venue après le cambriolage",
        "Yesterday someone broke into my car",
        "I'm now afraid to go out after the break-in last month",
        "In an emergency last year they took two hours to come",
        # negation and hypotheticals
        "Nobody has a gun here, relax",
        "The officer did not hit me, he was kind",
        "What should I do if someone breaks in?",
        "I would never hurt myself",
        # the actor is not police
        "A man hit me and the officer helped me a lot",
        # ordinary feedback, praise and words that only look alarming
        "Thanks for your help!",
        "Danke für Ihre Hilfe",
        "Can you help me with a complaint?",
        "Great job, officers!",
        "The new speed bumps are killing my car",
        "Gracias a la policía por su ayuda",
    ],
)
def test_complaints_past_incidents_and_negations_do_not_alert(text: str) -> None:
    assert DETECTOR.assess(text).kinds == (), DETECTOR.assess(text)


def test_break_in_last_month_stays_below_even_the_model_assisted_threshold() -> None:
    result = DETECTOR.assess("the response to the break-in last month was slow")
    assert result.scores.get("emergency", 0) < 0.5
    assert result.with_sentiment(-1.0).kinds == ()


def test_a_borderline_cue_alerts_only_when_sentiment_is_strongly_negative() -> None:
    result = DETECTOR.assess("He had a gun")
    assert result.kinds == ()
    assert result.borderline == ("emergency",)
    assert result.with_sentiment(-0.8, threshold=-0.5).kinds == ("emergency",)
    assert result.with_sentiment(-0.2, threshold=-0.5).kinds == ()
    assert DETECTOR.assess("He had a gun", sentiment_score=-0.9).kinds == ("emergency",)


def test_misconduct_with_police_only_mentioned_elsewhere_is_borderline() -> None:
    result = DETECTOR.assess("The officer stopped me. He stole my wallet.")
    assert result.kinds == ()
    assert result.scores["misconduct"] == 0.5
    assert "misconduct" in result.with_sentiment(-0.7).kinds


def test_alert_quotes_the_residents_own_words() -> None:
    result = DETECTOR.assess("ALGUIEN ESTÁ ENTRANDO, VENGAN")
    assert result.cue_for("emergency") == "ALGUIEN ESTÁ ENTRANDO"


def test_self_harm_cue_wins_over_an_overlapping_threat_cue() -> None:
    assert DETECTOR.assess("Je vais me tuer").kinds == ("self_harm",)
    assert DETECTOR.assess("Il va me tuer").kinds == ("emergency",)


def test_extra_cues_from_config_raise_alerts_and_honour_negation() -> None:
    detector = EmergencyDetector({"emergency": ["gas leak"]})
    assert detector.assess("There is a gas leak").kinds == ("emergency",)
    assert detector.assess("There is no gas leak").kinds == ()


def test_unknown_extra_cue_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        EmergencyDetector({"fire": ["x"]})  # type: ignore[dict-item]
