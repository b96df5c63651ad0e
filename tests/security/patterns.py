"""
Every URL pattern of the site's URLconf, read from the resolver, with what it takes: so the sweep
covers a URL the day it is added, without anyone editing the sweep.
"""

import dataclasses
import re
from collections import Counter

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

# A piece of a route, "<int:pk>" or "<code>" (the str converter).
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# Regex syntax outside any group: the pattern matches many paths and has nothing to fill.
_REGEX_SYNTAX = ".*+?[]|{}()"


@dataclasses.dataclass(frozen=True)
class Parameter:
    name: str  # the keyword, or "0", "1"... for a regex's unnamed groups
    converter: str  # "int", "str", "slug", "path", "uuid", or "regex"


@dataclasses.dataclass(frozen=True)
class Wildcard:
    regex: str  # regex syntax outside any group, or an unnamed group beside named ones


@dataclasses.dataclass(frozen=True)
class Pattern:
    """One URL pattern as the resolver composes it, and the means to fill it."""

    name: str  # namespaced name ("network:staff_detail"), "" when the pattern has none
    route: str  # the composed route, as ResolverMatch.route spells it
    pieces: tuple  # literal strings and Parameters, in order
    callback: object
    converters: tuple  # (name, converter object) of the route parameters

    id: str = ""  # a readable, unique test id: the name, or the route where names repeat or lack

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.pieces if isinstance(p, Parameter))

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]

    @property
    def url_name(self) -> str:
        return self.name.rpartition(":")[2]

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def needs_sample(self) -> bool:
        """A regex that matches more than one path with no group to fill (Wagtail's catch-all)."""
        return any(isinstance(p, Wildcard) for p in self.pieces)

    @property
    def model(self):
        """The model a generic (admin) view was made for, if any: a snippet's, the users'."""
        model = getattr(self.callback, "view_initkwargs", {}).get("model")
        return apps.get_model(model) if isinstance(model, str) else model

    def path(self, values: dict) -> str:
        """Return the path with `values` (by parameter name) in its parameters."""
        converters = dict(self.converters)
        parts = []
        for piece in self.pieces:
            if isinstance(piece, str):
                parts.append(piece)
            elif isinstance(piece, Wildcard):
                raise ValueError(f"{self.route} has no path of its own: give it a sample")
            elif piece.name in converters:
                parts.append(str(converters[piece.name].to_url(values[piece.name])))
            else:
                parts.append(str(values[piece.name]))
        return "/" + "".join(parts)

    def resolves_to_itself(self, path: str) -> bool:
        """Whether `path` is answered by this pattern, not by one before it that shadows it."""
        match = resolve(path.split("?", 1)[0])
        return match.func == self.callback and match.route == self.route


def _route_pieces(route: str, converters: dict) -> list:
    pieces, at = [], 0
    for match in _ROUTE_PARAMETER.finditer(route):
        pieces.append(route[at : match.start()])
        name = match["name"]
        converter = match["converter"] or "str"
        pieces.append(Parameter(name, converter))
        at = match.end()
    pieces.append(route[at:])
    return pieces


def _closing(regex: str, start: int) -> int:
    """The index of the parenthesis that closes the one at `start`."""
    depth, i = 0, start
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = regex.index("]", i + 1) + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"Unbalanced group in {regex!r}")


def _regex_pieces(regex: str) -> list:
    regex = regex.removeprefix("^").removesuffix("$")
    named = "(?P<" in regex
    pieces, literal, i, unnamed = [], "", 0, 0
    while i < len(regex):
        char = regex[i]
        if char == "\\" and i + 1 < len(regex) and not regex[i + 1].isalnum():
            literal += regex[i + 1]  # an escaped "." or "-" is itself
            i += 2
            continue
        if char == "(" and not regex.startswith("(?:", i):
            end = _closing(regex, i)
            group = regex[i : end + 1]
            if group.startswith("(?P<"):
                pieces += [literal, Parameter(group[4 : group.index(">")], "regex")]
            elif not named:
                pieces += [literal, Parameter(str(unnamed), "regex")]
                unnamed += 1
            else:  # an unnamed group beside named ones is not passed to the view
                pieces += [literal, Wildcard(group)]
            literal, i = "", end + 1
            continue
        if char in _REGEX_SYNTAX:
            pieces += [literal, Wildcard(char)]
            literal, i = "", i + 1
            continue
        literal += char
        i += 1
    pieces.append(literal)
    return pieces


def _join(route1: str, route2: str) -> str:
    # As django.urls.resolvers.URLResolver._join_route composes ResolverMatch.route.
    return route2 if not route1 else route1 + route2.removeprefix("^")


def _walk(patterns, route="", pieces=(), converters=(), namespace=""):
    for entry in patterns:
        level = entry.pattern
        if isinstance(level, RoutePattern):
            own = _route_pieces(str(level), level.converters)
            own_converters = tuple(level.converters.items())
        elif isinstance(level, RegexPattern):
            own, own_converters = _regex_pieces(str(level)), ()
        else:  # pragma: no cover - a LocalePrefixPattern, which this site does not use
            raise TypeError(f"Unknown pattern type {type(level)!r}")
        all_pieces = (*pieces, *(p for p in own if p != ""))
        all_converters = (*converters, *own_converters)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(
                entry.url_patterns,
                _join(route, str(level)),
                all_pieces,
                all_converters,
                inner,
            )
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Pattern(
                name=name,
                route=_join(route, str(level)),
                pieces=all_pieces,
                callback=entry.callback,
                converters=all_converters,
            )


def site_patterns(urlpatterns=None) -> list[Pattern]:
    """Every pattern of the root URLconf (or of `urlpatterns`), in the resolver's order."""
    patterns = list(_walk(get_resolver().url_patterns if urlpatterns is None else urlpatterns))
    names = Counter(p.name for p in patterns)
    return [
        dataclasses.replace(
            p, id=p.name if p.name and names[p.name] == 1 else f"{p.name} {p.route}".strip()
        )
        for p in patterns
    ]
