"""Large block-letter drawing of a captcha, so it is read by eye rather than copied as text."""

from __future__ import annotations

# 5 rows × 4 columns per glyph, for every character of services.identity.captcha.ALPHABET.
_GLYPHS = {
    "A": (".##.", "#..#", "####", "#..#", "#..#"),
    "C": (".###", "#...", "#...", "#...", ".###"),
    "D": ("###.", "#..#", "#..#", "#..#", "###."),
    "E": ("####", "#...", "###.", "#...", "####"),
    "F": ("####", "#...", "###.", "#...", "#..."),
    "G": (".###", "#...", "#.##", "#..#", ".###"),
    "H": ("#..#", "#..#", "####", "#..#", "#..#"),
    "J": ("..##", "...#", "...#", "#..#", ".##."),
    "K": ("#..#", "#.#.", "##..", "#.#.", "#..#"),
    "M": ("#..#", "####", "####", "#..#", "#..#"),
    "N": ("#..#", "##.#", "#.##", "#..#", "#..#"),
    "P": ("###.", "#..#", "###.", "#...", "#..."),
    "Q": (".##.", "#..#", "#..#", "#.##", ".###"),
    "R": ("###.", "#..#", "###.", "#.#.", "#..#"),
    "T": ("####", ".##.", ".##.", ".##.", ".##."),
    "U": ("#..#", "#..#", "#..#", "#..#", ".##."),
    "V": ("#..#", "#..#", "#..#", ".##.", ".##."),
    "W": ("#..#", "#..#", "####", "####", "#..#"),
    "X": ("#..#", ".##.", ".##.", ".##.", "#..#"),
    "Y": ("#..#", "#..#", ".##.", ".##.", ".##."),
    "3": ("###.", "...#", ".##.", "...#", "###."),
    "4": ("#..#", "#..#", "####", "...#", "...#"),
    "6": (".##.", "#...", "###.", "#..#", ".##."),
    "7": ("####", "...#", "..#.", ".#..", ".#.."),
    "9": (".##.", "#..#", ".###", "...#", ".##."),
}
HEIGHT = 5


def draw(code: str) -> str:
    """The code as five lines of full blocks, one blank column between glyphs."""
    rows = []
    for row in range(HEIGHT):
        rows.append(" ".join(_GLYPHS[ch][row] for ch in code).replace("#", "█").replace(".", " "))
    return "\n".join(rows)


def read(lines: list[str]) -> str:
    """The code drawn somewhere in `lines` (a screen's text), for scripts: the drawing only slows a person
    down; the lockout and rate limits are what stop guessing."""
    for top in range(len(lines) - HEIGHT + 1):
        rows = [lines[top + r] for r in range(HEIGHT)]
        if not all("█" in row for row in rows):
            continue
        left = min(row.index("█") for row in rows)
        code = ""
        for start in range(left, max(len(row) for row in rows), 5):
            cells = tuple("".join("#" if row[start + c:start + c + 1] == "█" else "." for c in range(4))
                          for row in rows)
            glyph = next((ch for ch, shape in _GLYPHS.items() if shape == cells), None)
            if glyph is None:
                break
            code += glyph
        if code:
            return code
    return ""
