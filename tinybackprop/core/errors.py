"""The library's one exception type, and the "did you mean" helper for names."""


class TinyBackpropError(ValueError):
    """A bad argument, sample or model file: the message says what, where and what to do.

    A subclass of ValueError, so ``except ValueError`` catches it too.
    """


def _edit_distance(s, t):
    # Levenshtein distance by the usual row-by-row table (difflib is CPython-only).
    previous = list(range(len(t) + 1))
    for i in range(1, len(s) + 1):
        current = [i]
        for j in range(1, len(t) + 1):
            cost = 0 if s[i - 1] == t[j - 1] else 1
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost))
        previous = current
    return previous[len(t)]


def unknown_name(kind, name, choices):
    """The error for an unknown name: the valid ones, and the closest if it is close.

    >>> str(unknown_name("activation", "sigmod", ["sigmoid", "tanh"]))
    "unknown activation 'sigmod' (did you mean 'sigmoid'?); choose one of: sigmoid, tanh"
    """
    choices = sorted(choices)
    best = min(choices, key=lambda c: _edit_distance(str(name), c))
    hint = ""
    if _edit_distance(str(name), best) <= max(2, len(best) // 3):
        hint = " (did you mean %r?)" % best
    return TinyBackpropError("unknown %s %r%s; choose one of: %s"
                             % (kind, name, hint, ", ".join(choices)))
