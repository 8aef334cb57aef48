"""URL normalisation for duplicate detection.

Two entries are duplicates when their URLs normalise to the same string. The normal form is
not a URL anyone visits; it is a key: scheme dropped (http and https are the same link),
host lower-cased without ``www.`` or a default port, no trailing slash, tracking parameters
removed and the rest sorted, and an empty or ``#readme`` fragment dropped (GitHub serves
the same page with and without it). GitHub paths are case-insensitive, so they are folded
too, and ``.git`` clone suffixes are dropped there.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

# Query parameters that only say where a click came from.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_hsenc",
        "_hsmi",
        "ref_src",
        "ref_url",
    }
)
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
CASE_INSENSITIVE_PATH_HOSTS = frozenset({"github.com"})
IGNORED_FRAGMENTS = frozenset({"", "readme"})


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def normalize_url(url: str) -> str:
    """Return the duplicate-detection key of ``url`` ("" for an empty or blank URL).

    >>> normalize_url("HTTPS://www.Example.com:443/docs/?utm_source=x&b=2&a=1#readme")
    'example.com/docs?a=1&b=2'
    """
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not parts.netloc:
        # mailto:, relative links and the like have no host to fold; keep them as written.
        return url if not scheme else f"{scheme}:{parts.path}"

    host = (parts.hostname or "").rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port if parts.port and parts.port != DEFAULT_PORTS.get(scheme) else None
    netloc = f"{host}:{port}" if port else host

    path = unquote(parts.path).rstrip("/")
    if host in CASE_INSENSITIVE_PATH_HOSTS:
        path = path.lower()
        if path.endswith(".git"):
            path = path[: -len(".git")]

    query_pairs = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(name)
    ]
    query = urlencode(sorted(query_pairs))
    fragment = parts.fragment if parts.fragment.lower() not in IGNORED_FRAGMENTS else ""

    key = netloc + path
    if query:
        key += f"?{query}"
    if fragment:
        key += f"#{fragment}"
    # ftp and the web schemes collapse together only where the scheme carries no meaning.
    if scheme not in ("http", "https", ""):
        key = f"{scheme}://{key}"
    return key
