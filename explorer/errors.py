"""Errors raised by explorer.

The tree::

    ExplorerError                 root; ``str(err)`` is a one-line message for the user
    ├── BadInputError             the user typed something we cannot use (CLI exit code 1);
    │   │                         ``.parameter``, ``.value``, ``.bound`` say which and why
    │   ├── BadSeedError          a seed that is no arXiv id, DOI, S2 id, URL or title
    │   ├── AmbiguousSeedError    a title that matches several papers; ``.matches`` holds them
    │   ├── SettingsError         an environment setting with a value it cannot take
    │   ├── ShardError            an S2AG shard that cannot be read; ``.path`` names it
    │   └── GraphError            a local S2AG graph folder that cannot be read (``.path``)
    │       └── GraphUnsupportedError  what the local graph cannot answer (``.what``)
    ├── NotFoundError             a well-formed id that no service knows (exit code 1)
    ├── OfflineMissingError       no requests allowed and the store lacks ``.missing`` (exit 1)
    ├── StoreError                the store cannot do what was asked; ``.path`` names it (exit 1)
    │   ├── StoreFullError        the disk (or the store's size limit) is full (exit code 2)
    │   ├── StoreReadOnlyError    a write to a store that can only be read
    │   └── StoreVersionError     a store made by a newer explorer, or of an unknown layout
    ├── Cancelled                 the user cancelled; what was fetched is kept (exit code 130)
    └── ServiceError              a service failed (exit code 2); ``.status`` holds the HTTP status
        ├── RateLimitedError      429 still answered after every retry
        ├── AuthError             403: the API key was refused
        │   └── KeyMissingError   a service needs a key none was given for (no request made)
        ├── BudgetExhaustedError  the request budget ran out (the walk keeps what it fetched)
        ├── UnreachableError      no connection to the host (refused, unknown name, no route)
        ├── DeadlineError         connected, but no whole answer within the deadline
        └── LibraryError          the user's reference manager (Zotero) cannot be read; the
                                  message says what to do (enable its local API, start it)

Messages never contain the API key, and never a CLI flag or an app widget: a message names the
library's parameters (``since``, ``max_hops``), and :meth:`ExplorerError.worded` lets the CLI and
the app name them as their users know them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def worded(template: str, names: Mapping[str, str]) -> str:
    """``template`` with each ``{parameter}`` replaced by ``names[parameter]``, or by the
    parameter itself when ``names`` lacks it.

    Examples
    --------
    >>> worded("{since} is after {until}", {"since": "--since"})
    '--since is after until'
    """
    return _PLACEHOLDER.sub(lambda m: names.get(m[1], m[1]), template)


class ExplorerError(Exception):
    """Root of every error explorer raises on purpose."""

    exit_code = 2

    def worded(self, names: Mapping[str, str]) -> str:
        """The message with parameters named as ``names`` says (a flag, a widget label)."""
        return str(self)


class BadInputError(ExplorerError):
    """Input that cannot be used. When an argument is at fault, ``parameter`` names it as
    the library does, ``value`` is what it was given and ``bound`` the limit it broke (a
    number, or the value of the parameter it clashes with); the message then refers to
    parameters as ``{name}`` (see :func:`worded`)."""

    exit_code = 1

    def __init__(self, message: str, parameter: str | None = None, value: object = None,
                 bound: object = None):
        self.template = message if parameter else None
        super().__init__(worded(message, {}) if parameter else message)
        self.parameter = parameter
        self.value = value
        self.bound = bound

    def worded(self, names: Mapping[str, str]) -> str:
        return str(self) if self.template is None else worded(self.template, names)


class BadSeedError(BadInputError):
    """A seed that is neither an id nor a usable title."""


class AmbiguousSeedError(BadInputError):
    """Title seeds that each match several papers closely: ``matches`` maps what the user
    typed to the candidates (S2 paper records, best match first), for the user to pick."""

    def __init__(self, matches: dict[str, list[dict]]):
        text, candidates = next(iter(matches.items()))
        more = len(matches) - 1
        tail = f" (and {more} more title{'s' if more > 1 else ''} too)" if more else ""
        super().__init__(f"the title {text[:60]!r} matches {len(candidates)} papers{tail}")
        self.matches = matches


class SettingsError(BadInputError):
    """An environment setting that cannot be used: names the variable and what it accepts.

    ``value_description`` describes the value ("empty", "'abc'", "a value with a newline")
    and is never the value of a secret."""

    def __init__(self, variable: str, value_description: str, accepted: str):
        super().__init__(f"{variable} is {value_description}; it accepts {accepted}")
        self.variable = variable
        self.value_description = value_description
        self.accepted = accepted


class ShardError(BadInputError):
    """The S2AG shard at ``path`` cannot be read: ``reason`` says why (not gzip, cut short,
    a malformed line, a value of the wrong type). Nothing of the import was half-written."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"cannot read the shard {path}: {reason}")
        self.path = path
        self.reason = reason


class GraphError(BadInputError):
    """The local S2AG graph at ``path`` cannot be read: no manifest, an unknown format, a
    missing file; ``reason`` says which."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"no usable local S2AG graph at {path}: {reason}")
        self.path = path
        self.reason = reason


class GraphUnsupportedError(GraphError):
    """The local graph at ``path`` holds papers and citations only; ``what`` (searching by
    words, recommendations, SPECTER vectors) needs the Semantic Scholar API."""

    def __init__(self, path: str, what: str):
        BadInputError.__init__(
            self, f"the local S2AG graph at {path} answers papers and citations only; "
                  f"{what} needs the Semantic Scholar API (read without the local graph)")
        self.path = path
        self.reason = f"{what} is not in the S2AG datasets"
        self.what = what


class NotFoundError(ExplorerError):
    exit_code = 1


class OfflineMissingError(ExplorerError):
    """No request was allowed and the store lacks ``missing`` (what the user named), when
    the raiser knows it; asking again with requests allowed would fetch it."""

    exit_code = 1

    def __init__(self, message: str, missing: str | None = None):
        super().__init__(message)
        self.missing = missing


class NothingYetError(OfflineMissingError):
    """The store holds no ``what`` yet (``"exploration"`` or ``"watch"``): the user has to
    make one first, and the CLI and the app each say how."""

    def __init__(self, message: str, what: str):
        super().__init__(message)
        self.what = what


class StoreError(ExplorerError):
    """The store at ``path`` cannot do what was asked; nothing in it was changed."""

    exit_code = 1

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path


class StoreFullError(StoreError):
    """A write ran out of space; the transaction was rolled back, the store is intact."""

    exit_code = 2


class StoreReadOnlyError(StoreError):
    """The store can be read but not written (a read-only file, folder or filesystem)."""


class StoreVersionError(StoreError):
    """The store's schema is ``found``; this explorer knows versions up to ``supported``."""

    def __init__(self, message: str, path: str | None = None, found: str | None = None,
                 supported: str | None = None):
        super().__init__(message, path)
        self.found = found
        self.supported = supported


class Cancelled(ExplorerError):
    """The user cancelled the walk; what was fetched is kept."""

    exit_code = 130


class ServiceError(ExplorerError):
    """A remote service failed after retries; ``status`` is the last HTTP status, if any."""

    exit_code = 2

    def __init__(self, message: str, status: int | None = None, url: str | None = None):
        super().__init__(message)
        self.status = status
        self.url = url


class RateLimitedError(ServiceError):
    pass


class AuthError(ServiceError):
    pass


class KeyMissingError(AuthError):
    """``service`` needs an API key and none was set: ``variable`` names the setting and
    ``key_url`` where a free key is had. Raised before any request is made."""

    exit_code = 1

    def __init__(self, service: str, variable: str, key_url: str, what: str):
        super().__init__(f"{service} needs an API key to {what}: get a free one at {key_url} "
                         f"and set {variable}")
        self.service = service
        self.variable = variable
        self.key_url = key_url


class BudgetExhaustedError(ServiceError):
    pass


class UnreachableError(ServiceError):
    """No connection could be made to ``host`` (``host:port``): ``reason`` says why;
    ``attempts`` connections were tried over ``elapsed`` seconds."""

    def __init__(self, service: str, host: str, reason: str, attempts: int, elapsed: float,
                 url: str | None = None):
        super().__init__(
            f"cannot reach {service} at {host}: {reason} ({_tries(attempts, elapsed)})", url=url
        )
        self.service = service
        self.host = host
        self.reason = reason
        self.attempts = attempts
        self.elapsed = elapsed


class DeadlineError(ServiceError):
    """``host`` accepted the connection but sent no whole answer within ``deadline`` seconds
    per attempt; ``attempts`` were made over ``elapsed`` seconds."""

    def __init__(self, service: str, host: str, deadline: float, attempts: int,
                 elapsed: float, url: str | None = None):
        super().__init__(
            f"{service} at {host} did not answer in full within {deadline:g} s "
            f"({_tries(attempts, elapsed)})", url=url,
        )
        self.service = service
        self.host = host
        self.deadline = deadline
        self.attempts = attempts
        self.elapsed = elapsed


class LibraryError(ServiceError):
    """The user's reference manager at ``url`` (``service``, e.g. ``"Zotero"``) cannot be
    read: its local API is off, it is not running, or its answer is malformed. Nothing was
    stored from it."""

    def __init__(self, message: str, service: str = "Zotero", status: int | None = None,
                 url: str | None = None):
        super().__init__(message, status=status, url=url)
        self.service = service


def _tries(attempts: int, elapsed: float) -> str:
    return f"{attempts} attempt{'s' if attempts != 1 else ''}, {elapsed:.1f} s spent"
