"""The login captcha (验证码): four characters without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B)."""

from __future__ import annotations

import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 4


class Captcha:
    def __init__(self, code: str | None = None) -> None:
        self.code = code or "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))

    def matches(self, answer: str) -> bool:
        # "replace": a lone surrogate in the answer is just a wrong answer, not a crash.
        return secrets.compare_digest(answer.strip().upper().encode(errors="replace"), self.code.encode())
