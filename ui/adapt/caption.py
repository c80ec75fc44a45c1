"""A caption's parts as the adapt view edits them (no Qt): the caption is the one text; its hook is
the first line and its call to action the last line of text before any closing hashtags.
(Whether a caption carries the legal note is ``desktop.rules.requests.legal_note_present``.)
"""

from __future__ import annotations


def _is_hashtags(line: str) -> bool:
    words = line.split()
    return bool(words) and all(w.startswith("#") for w in words)


def _cta_line(lines: list[str]) -> int | None:
    candidates = [i for i, line in enumerate(lines) if i > 0 and line.strip()]
    candidates = [i for i in candidates if not _is_hashtags(lines[i])]
    # With one line of text after the hook, that line is the message, not a call to action.
    return candidates[-1] if len(candidates) >= 2 else None


def split_caption(text: str) -> tuple[str, str]:
    """The hook (first line) and the call to action ("" when the caption has none)."""
    lines = text.split("\n")
    hook = lines[0] if lines else ""
    index = _cta_line(lines)
    return hook, "" if index is None else lines[index]


def with_hook(text: str, hook: str) -> str:
    lines = text.split("\n")
    lines[0] = hook.replace("\n", " ")
    return "\n".join(lines)


def with_cta(text: str, cta: str) -> str:
    """The caption with its call to action replaced, or added before closing hashtags."""
    cta = cta.replace("\n", " ")
    lines = text.split("\n")
    index = _cta_line(lines)
    if index is not None:
        if cta:
            lines[index] = cta
        else:
            del lines[index]
            if index < len(lines) and not lines[index].strip() and not lines[index - 1].strip():
                del lines[index]
        return "\n".join(lines)
    if not cta:
        return text
    end = len(lines)
    while end > 1 and (not lines[end - 1].strip() or _is_hashtags(lines[end - 1])):
        end -= 1
    head = "\n".join(lines[:end]).rstrip()
    tail = "\n".join(lines[end:]).strip()
    parts = [p for p in (head, cta, tail) if p]
    return "\n\n".join(parts)


def utf16_offset(text: str, index: int) -> int:
    """A Python string index as Qt's (UTF-16) position in the same text."""
    return len(text[:index].encode("utf-16-le")) // 2
