"""English sample calls: a good call, delivery problems, a card number and abusive callers."""

from __future__ import annotations

from samples.script_model import CallScript, caller, operator

GREETING = operator("Good morning, Sunrise Telecom, my name is Sarah. How can I help?", 17)
CLOSING = operator("Thank you for calling, and have a lovely day. Goodbye.", 13)
SHORT_CLOSING = operator("Have a lovely day. Goodbye.", 7)
FAST_RATE = 175  # espeak-ng -s; about 200 words per minute measured

EN_CALM = CallScript(
    name="en_calm",
    language="en",
    description="A good, courteous call: greeting with company and own name, thanks, closing.",
    expect=("calm",),
    turns=(
        GREETING,
        caller(
            "Hello Sarah. My internet has been very slow since yesterday, and I work from home.",
            22,
        ),
        operator("I am sorry to hear that. Let me check.", 10),
        caller("Thanks. It keeps dropping every few minutes, mostly in the evening.", 16),
        operator("There is a fault in your area. It will be fixed this afternoon.", 17),
        caller("That is good news. Thank you so much.", 8),
        CLOSING,
    ),
)

EN_FAST_MONOTONE = CallScript(
    name="en_fast_monotone",
    language="en",
    description="The operator rushes at about two hundred words a minute on one flat pitch.",
    expect=("fast", "monotone"),
    turns=tuple(
        turn
        if turn.speaker == "caller"
        else operator(turn.text, turn.syllables, rate_wpm=FAST_RATE, flatten_pitch=True)
        for turn in EN_CALM.turns
    ),
)

EN_QUIET = CallScript(
    name="en_quiet",
    language="en",
    description="The operator speaks far too quietly (about -40 dBFS active level).",
    expect=("quiet",),
    turns=tuple(
        turn if turn.speaker == "caller" else operator(turn.text, turn.syllables, level_dbfs=-40)
        for turn in EN_CALM.turns
    ),
)

EN_HOLD_SILENCE = CallScript(
    name="en_hold_silence",
    language="en",
    description="The operator puts the caller on hold: eight seconds of silence mid-call.",
    expect=("hold_silence",),
    turns=(
        GREETING,
        caller("Hi. I would like to know why my last bill is so much higher than usual.", 19),
        operator("Let me look at your account. Please hold.", 9),
        operator("Thank you for holding. You were charged for calls abroad.", 12, gap_before_s=8.0),
        caller("Oh, I see. I forgot about those calls. That makes sense, thank you.", 15),
        SHORT_CLOSING,
    ),
)

EN_OVERTALK = CallScript(
    name="en_overtalk",
    language="en",
    description=(
        "The caller talks over the operator for two seconds; a short backchannel "
        "inside another operator turn must not count as overtalk."
    ),
    expect=("overtalk",),
    turns=(
        GREETING,
        caller("My phone stopped working this morning and I need it for work.", 14),
        operator(
            "I understand. First I will check the network in your area, "
            "and then we can look at your settings.",
            25,
        ),
        caller("Right.", 1, gap_before_s=-3.5),
        caller("I already restarted it twice and it still does not work.", 15, gap_before_s=-2.0),
        operator("Thanks for trying that. I am sending new settings now.", 13),
        caller("Great, it is working again. Thanks.", 8),
        SHORT_CLOSING,
    ),
)

EN_CARD_NUMBER = CallScript(
    name="en_card_number",
    language="en",
    description="The caller reads a card number aloud, as words, for redaction tests.",
    expect=("card_number",),
    turns=(
        GREETING,
        caller("Hello. I would like to pay my bill by card, please.", 12),
        operator("Of course. Please read me the long number on the card.", 12),
        caller(
            "It is four five one two, three four five six, seven eight nine zero, "
            "one two three four.",
            20,
            redact="card",
        ),
        operator("Thank you. The payment is done.", 7),
        caller("Perfect, thanks a lot.", 5),
        CLOSING,
    ),
)


def _abusive(name: str, category: str, lines, *, shout: bool = False) -> CallScript:
    """An English abusive call; ``lines`` are two (text, syllables) caller turns."""
    first, second = lines
    return CallScript(
        name=name,
        language="en",
        description=f"An abusive caller ({category}); the operator stays calm and courteous.",
        expect=(f"abusive:{category}",),
        turns=(
            GREETING,
            caller("I am calling about my internet again. It has been down all week.", 18),
            operator("I am sorry about that. Let me check your line.", 12),
            caller(*first, abuse=category, shout=shout),
            operator("I understand you are upset. I want to fix this today.", 15),
            caller(*second, abuse=category, shout=shout),
            operator("An engineer will visit tomorrow. Thank you for calling.", 15),
        ),
    )


EN_ABUSIVE = (
    _abusive(
        "en_abusive_profanity",
        "profanity",
        (
            ("This is fucking ridiculous. Nothing ever works with you people.", 17),
            ("I do not give a shit about your excuses. Just fix the damn thing.", 17),
        ),
    ),
    _abusive(
        "en_abusive_insult",
        "insult",
        (
            ("You are a useless idiot. Your whole company is a joke.", 16),
            ("Are you stupid or something? A child could do your job, you moron.", 16),
        ),
    ),
    _abusive(
        "en_abusive_threat",
        "threat",
        (
            ("If you do not fix this today, I will come to your office and hurt you.", 18),
            ("I know where you work. You will regret this, I promise you.", 14),
        ),
    ),
    _abusive(
        "en_abusive_harassment",
        "harassment",
        (
            ("You sound cute, sweetheart. What are you wearing right now?", 12),
            ("I will keep calling you every night until you give me your private number.", 19),
        ),
    ),
    _abusive(
        "en_abusive_shouting",
        "shouting",
        (
            ("This is unacceptable! I want it fixed now!", 12),
            ("I have waited all week! Do something right now!", 11),
        ),
        shout=True,
    ),
)

EN_DEESCALATION = CallScript(
    name="en_deescalation",
    language="en",
    description=(
        "The caller starts out swearing about an outage; the operator apologises, "
        "acknowledges and gives a time, and the caller ends calm and thankful."
    ),
    expect=("abusive:profanity", "deescalation"),
    turns=(
        GREETING,
        caller("This is fucking ridiculous. My internet has been down for three days!", 18,
               abuse="profanity"),
        operator("I am so sorry. I understand how frustrating that is.", 15),
        caller("You people never fix anything. I am sick of this shit.", 15, abuse="profanity"),
        operator(
            "I can see a fault on your line. An engineer will fix it by four o'clock today.", 21
        ),
        caller("Oh, that is great. Thank you so much. You have been very helpful.", 15),
        SHORT_CLOSING,
    ),
)  # fmt: skip

ENGLISH: tuple[CallScript, ...] = (
    EN_CALM,
    EN_FAST_MONOTONE,
    EN_QUIET,
    EN_HOLD_SILENCE,
    EN_OVERTALK,
    EN_CARD_NUMBER,
    *EN_ABUSIVE,
    EN_DEESCALATION,
)
