"""Within-document propagation: later short mentions inherit the full name's label and form.

Once "Antony Blinken" / "أنتوني بلينكن" is found, a bare "Blinken" / "بلينكن" in the same text
is the same person; models often miss or mislabel such bare surnames (most are unseen words).
Works on a language-neutral token list (look-up key, start, end) so that Arabic can use its
clitic-split, folded tokens and English its plain word tokens.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

from processing.entities.entity import Entity

Token = tuple[str, int, int]  # (look-up key, start, end)


def _token_range(
    starts: Sequence[int], tokens: Sequence[Token], entity: Entity
) -> tuple[int, int] | None:
    """Tokens lying inside the entity, found by bisection over token starts."""
    first = bisect_left(starts, entity.start)
    last = first
    while last < len(tokens) and tokens[last][2] <= entity.end:
        last += 1
    return (first, last) if last > first else None


def _aliases(
    starts: Sequence[int],
    tokens: Sequence[Token],
    entities: Sequence[Entity],
    alias_ok: Callable[[str], bool],
) -> dict[tuple[str, ...], tuple[str, str]]:
    """Key sequence -> (label, normalized): full names, and surnames of multi-word persons."""
    full: dict[tuple[str, ...], tuple[str, str]] = {}
    surnames: dict[tuple[str, ...], set[tuple[str, str]]] = {}
    for entity in entities:
        span = _token_range(starts, tokens, entity)
        if span is None:
            continue
        keys = tuple(tokens[i][0] for i in range(*span))
        full.setdefault(keys, (entity.label, entity.normalized))
        if entity.label == "PER" and len(keys) >= 2 and alias_ok(keys[-1]):
            surnames.setdefault((keys[-1],), set()).add((entity.label, entity.normalized))
    aliases = dict(full)
    for keys, readings in surnames.items():
        if len(readings) == 1:  # two people sharing a surname: leave bare mentions alone
            aliases[keys] = next(iter(readings))
    return aliases


def propagate(
    text: str,
    entities: list[Entity],
    tokens: Sequence[Token],
    *,
    alias_ok: Callable[[str], bool] = lambda key: len(key) >= 3,
) -> list[Entity]:
    """Relabel bare mentions and add missed repeats of names found elsewhere in `text`."""
    if not entities:
        return entities
    starts = [t[1] for t in tokens]
    aliases = _aliases(starts, tokens, entities, alias_ok)
    out: list[Entity] = []
    taken = [False] * len(tokens)
    for entity in entities:
        span = _token_range(starts, tokens, entity)
        if span is not None:
            keys = tuple(tokens[i][0] for i in range(*span))
            reading = aliases.get(keys)
            if reading and len(keys) == 1 and reading[1] != entity.normalized:
                entity = Entity(entity.text, reading[1], reading[0], entity.start, entity.end)
            for i in range(*span):
                taken[i] = True
        out.append(entity)
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, str]]]] = {}
    for keys, reading in sorted(aliases.items(), key=lambda item: -len(item[0])):
        by_first.setdefault(keys[0], []).append((keys, reading))
    i = 0
    while i < len(tokens):
        if taken[i]:
            i += 1
            continue
        for keys, (label, normalized) in by_first.get(tokens[i][0], ()):
            size = len(keys)
            window = tokens[i : i + size]
            if (
                len(window) == size
                and not any(taken[i : i + size])
                and tuple(t[0] for t in window) == keys
            ):
                start, end = window[0][1], window[-1][2]
                out.append(Entity(text[start:end], normalized, label, start, end))
                for j in range(i, i + size):
                    taken[j] = True
                i += size - 1
                break
        i += 1
    out.sort(key=lambda e: (e.start, e.end))
    return out
