"""How strong a cadre's password must be: strong enough that Argon2id makes guessing slow.

The rules are the ones a cadre can follow without a manual: at least 8 characters, not
only digits (a birthday or a phone number is the first guess), not the cadre's own phone,
and none of the passwords everyone tries first.
"""

from __future__ import annotations

from fieldvisit.vault.slots import VaultError

MIN_LENGTH = 8
_COMMON = {"12345678", "123456789", "1234567890", "88888888", "66666666", "11111111",
           "00000000", "password", "password1", "qwertyui", "qwerty123", "abc12345",
           "a1234567", "iloveyou", "aa123456", "abcd1234", "1qaz2wsx", "woaini1314",
           "fieldvisit", "admin123", "root1234"}


def problem(password: str, phone: str = "") -> tuple[str, str] | None:
    """What is wrong with ``password`` (Chinese, English), or None when it will do."""
    if len(password) < MIN_LENGTH:
        return (f"密码至少要 {MIN_LENGTH} 位",
                f"the password needs at least {MIN_LENGTH} characters")
    if password.isdigit():
        return ("密码不能全是数字：请加入字母或符号",
                "the password cannot be digits only: add letters or symbols")
    if len(set(password)) < 4:
        return ("密码的字符太单一", "the password repeats too few characters")
    if password.lower() in _COMMON:
        return ("这是常见密码，很容易被猜到", "that is a common password, easily guessed")
    if phone and phone.strip() and phone.strip() in password:
        return ("密码不能包含自己的手机号", "the password cannot contain your own phone number")
    return None


def require_strong(password: str, phone: str = "") -> None:
    found = problem(password, phone)
    if found:
        raise VaultError(*found)
