"""Phone numbers as HR files write them and as sign-in and SMS need them."""

import re

_PHONE_NOISE = re.compile(r"[\s\-().]")
_CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def phone_normalise(value: str) -> str:
    """
    Return a phone number without spaces, dashes and China's country prefix:
    '+86 138-0013-8000' -> '13800138000'. Other countries keep their '+' prefix.
    """
    number = _PHONE_NOISE.sub("", value or "")
    if number.startswith("+86"):
        return number[3:]
    if number.startswith("0086"):
        return number[4:]
    return number


def phone_is_mobile(value: str) -> bool:
    """True for a number an SMS can reach: a Chinese mobile number, or one in +<country> form."""
    number = phone_normalise(value)
    return bool(_CN_MOBILE.match(number)) or (
        number.startswith("+") and number[1:].isdigit() and 8 <= len(number) <= 16
    )


def phone_masked(value: str) -> str:
    """'13800138000' -> '138****8000': enough for a person to recognise their own number."""
    number = phone_normalise(value)
    if len(number) < 7:
        return "*" * len(number)
    return f"{number[:3]}****{number[-4:]}"
