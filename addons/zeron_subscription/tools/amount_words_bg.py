"""Amounts in words in Bulgarian, for lev and euro.

num2words has no Bulgarian, so the numerals are spelled here. Two rules
drive the result:

* gender: "один" does not exist; one and two agree with the counted noun
  (един лев, една стотинка, едно евро; два лева, две стотинки, две евро),
  and thousands are feminine (две хиляди), millions masculine (два милиона);
* the conjunction "и" stands before the last word of each group of three
  digits that has more than one word (сто двадесет и три), and before the
  last group when that group is a single word (хиляда и сто, хиляда и един).
"""

MASCULINE = "masculine"
FEMININE = "feminine"
NEUTER = "neuter"

_ONE = {MASCULINE: "един", FEMININE: "една", NEUTER: "едно"}
_TWO = {MASCULINE: "два", FEMININE: "две", NEUTER: "две"}
_UNITS = ["", "", "", "три", "четири", "пет", "шест", "седем", "осем", "девет"]
_TEENS = [
    "десет",
    "единадесет",
    "дванадесет",
    "тринадесет",
    "четиринадесет",
    "петнадесет",
    "шестнадесет",
    "седемнадесет",
    "осемнадесет",
    "деветнадесет",
]
_TENS = [
    "",
    "",
    "двадесет",
    "тридесет",
    "четиридесет",
    "петдесет",
    "шестдесет",
    "седемдесет",
    "осемдесет",
    "деветдесет",
]
_HUNDREDS = [
    "",
    "сто",
    "двеста",
    "триста",
    "четиристотин",
    "петстотин",
    "шестстотин",
    "седемстотин",
    "осемстотин",
    "деветстотин",
]
#: scale words above thousands: (value, gender, singular, plural)
_SCALES = [
    (10**9, MASCULINE, "милиард", "милиарда"),
    (10**6, MASCULINE, "милион", "милиона"),
]

#: currency nouns by ISO code: (gender, singular, counted plural)
CURRENCY_WORDS = {
    "BGN": ((MASCULINE, "лев", "лева"), (FEMININE, "стотинка", "стотинки")),
    "EUR": ((NEUTER, "евро", "евро"), (MASCULINE, "евроцент", "евроцента")),
}


def _unit_word(digit, gender):
    if digit == 1:
        return _ONE[gender]
    if digit == 2:
        return _TWO[gender]
    return _UNITS[digit]


def _group_words(number, gender):
    """Return the words of ``number`` (1 to 999), without conjunction."""
    hundreds, rest = divmod(number, 100)
    words = []
    if hundreds:
        words.append(_HUNDREDS[hundreds])
    if 10 <= rest < 20:
        words.append(_TEENS[rest - 10])
    else:
        tens, units = divmod(rest, 10)
        if tens:
            words.append(_TENS[tens])
        if units:
            words.append(_unit_word(units, gender))
    return words


def _join_group(words):
    if len(words) > 1:
        return " ".join(words[:-1]) + " и " + words[-1]
    return words[0]


def number_to_words(number, gender=MASCULINE):
    """Spell a whole number in Bulgarian.

    :param int number: the number, negative allowed
    :param str gender: ``masculine``, ``feminine`` or ``neuter``: the gender
        of the counted noun, which one and two agree with
    :return: the words, lower case, e.g. ``"сто двадесет и една"``
    """
    number = int(number)
    if number < 0:
        return "минус " + number_to_words(-number, gender)
    if number == 0:
        return "нула"
    # each part: (words of its group, name of its scale or None)
    parts = []
    for scale, scale_gender, singular, plural in _SCALES:
        count, number = divmod(number, scale)
        if count:
            words = (
                _group_words(count, scale_gender) if count > 1 else [_ONE[MASCULINE]]
            )
            parts.append((words, singular if count == 1 else plural))
    thousands, number = divmod(number, 1000)
    if thousands == 1:
        parts.append(([], "хиляда"))
    elif thousands:
        parts.append((_group_words(thousands, FEMININE), "хиляди"))
    if number:
        parts.append((_group_words(number, gender), None))
    phrases = []
    for words, scale_word in parts:
        text = _join_group(words) if words else ""
        phrases.append(" ".join(w for w in (text, scale_word) if w))
    last_words = parts[-1][0]
    single_last = len(last_words) <= 1 and (len(last_words) == 1 or parts[-1][1])
    if len(phrases) > 1 and single_last:
        return " ".join(phrases[:-1]) + " и " + phrases[-1]
    return " ".join(phrases)


def _counted(number, noun):
    gender, singular, plural = noun
    words = number_to_words(number, gender)
    return "%s %s" % (words, singular if number == 1 else plural)


def amount_to_words(amount, currency_code, decimal_places=2):
    """Spell a money amount in Bulgarian, e.g. "един лев и една стотинка".

    :param float amount: the amount
    :param str currency_code: ``BGN`` or ``EUR``
    :param int decimal_places: digits of the subunit (2 for both currencies)
    :return: the words, lower case; the subunit is left out when it is zero
    :raise KeyError: for another currency
    """
    main_noun, sub_noun = CURRENCY_WORDS[currency_code]
    sign = "минус " if amount < 0 else ""
    integral, _sep, fractional = f"{abs(amount):.{decimal_places}f}".partition(".")
    text = _counted(int(integral), main_noun)
    cents = int(fractional or 0)
    if cents:
        text = "%s и %s" % (text, _counted(cents, sub_noun))
    return sign + text
