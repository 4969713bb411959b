"""Live sync from the Hugging Face Hub: the network side, through `huggingface_hub`'s session.

This module only reads the Hub; `store.hub.sync.sync_hub` drives it and writes each page.

- `pages(client, url, key)`: pages of `GET /api/models?sort=lastModified&expand[]=...` (the Hub
  API's own shape, so a page goes through the same import as a dump). The Hub sorts newest
  first (it ignores `direction` now; huggingface_hub dropped it) and pages with a
  `Link: <...&cursor=...>; rel="next"` header whose URL carries every query parameter. A
  listing that sends a cursor it already sent would loop forever: it is a SourceError.
- Rate limits: a 429 waits for the reset of the Hub's window, read from its IETF `RateLimit`
  header (`"api";r=0;t=55`: 0 requests left, 55 s to the reset); otherwise (a proxy, a mirror,
  a 5xx) for `Retry-After` (seconds or an HTTP date); otherwise an exponential backoff. The
  wait is reported through `progress`, with its reason.
- Failures that are not a 429 (see `HubClient`): a 5xx gets a short bounded backoff; no
  connection at all (DNS, TLS, timeout) two quick retries; `HF_HUB_OFFLINE=1` none. Each then
  raises SourceError, and the sync's checkpoint lets the next run resume.
- `license: other`: `fetch_licenses` reads the license file at the pinned revision (`sha`) and
  identifies it with the license engine. A gated repo's files need its terms accepted: a
  refusal is a warning naming the gate.

Authentication: `huggingface_hub.utils.build_hf_headers` (HF_TOKEN or the user's login);
public data needs none. Tests install a mock transport with `huggingface_hub.set_client_factory`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from robinet.errors import SourceError

EXPAND = (
    "author", "cardData", "config", "createdAt", "downloads", "gated", "gguf", "lastModified",
    "library_name", "likes", "pipeline_tag", "private", "sha", "siblings", "tags",
)  # fmt: skip
PAGE_SIZE = 1000
MAX_RETRIES = 8  # 429s: each waits for the Hub's window (at most 5 minutes) to reset
SERVER_RETRIES = 4  # 5xx: 1 + 2 + 4 + 8 s of backoff, then give up
CONNECT_RETRIES = 2  # no connection at all: two quick retries, then give up
BACKOFF_MAX = 60.0
SERVER_WAIT_MAX = 30.0
CONNECT_TIMEOUT = 10.0  # huggingface_hub's own client has no timeout at all
READ_TIMEOUT = 60.0
# License files as the Hub's repos name them: LICENSE, LICENSE.md, LICENSE.txt, COPYING, and
# the split ones (DeepSeek's LICENSE-MODEL and LICENSE-CODE, LICENSE_MODEL.txt ...).
LICENSE_FILE = re.compile(
    r"^(?!.*\.(pdf|png|jpe?g|gif|docx?)$)(LICEN[SC]E|COPYING)([-_. ][A-Za-z0-9 _.-]*)?$",
    re.IGNORECASE,
)
# A card's `license_link` to a file of the same repo: https://huggingface.co/{repo}/blob/{rev}/{path}
HUB_FILE_URL = re.compile(
    r"^https?://(huggingface\.co|hf\.co)/(?P<repo>[^/]+/[^/]+)/(blob|resolve|raw)/[^/]+/(?P<path>.+)$"
)
# The Hub's rate-limit header (IETF draft-ietf-httpapi-ratelimit-headers, as the Hub sends it).
RATELIMIT = re.compile(r'"(?P<bucket>[^"]+)"\s*;\s*r\s*=\s*(?P<r>\d+)\s*;\s*t\s*=\s*(?P<t>\d+)')
LICENSE_SOURCE = "hf-hub-license-file"

Progress = Callable[[str], None]


class HubClient:
    """GET with the Hub session and the user's token; each kind of failure retried its own way.

    - 429: wait for the Hub's window to reset (`RateLimit`), or `Retry-After`, or a backoff;
      up to `max_retries` times (a window lasts up to 5 minutes, so this may take long).
    - 5xx: the Hub is up but failing: `Retry-After` or the backoff, each wait at most
      `server_wait_max`, up to `server_retries` times (1 + 2 + 4 + 8 s by default).
    - No connection (DNS, refused, TLS, timeout, dropped): the network is down, not the Hub
      busy: `connect_retries` quick retries (0.5 s, then 1 s), then a SourceError.
    - `HF_HUB_OFFLINE=1`: a SourceError at once, without a request.

    `sleep` and `backoff` are parameters so that tests wait for nothing.
    """

    def __init__(
        self,
        *,
        token: str | bool | None = None,
        endpoint: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        progress: Progress | None = None,
        max_retries: int = MAX_RETRIES,
        server_retries: int = SERVER_RETRIES,
        connect_retries: int = CONNECT_RETRIES,
        backoff: float = 1.0,
        server_wait_max: float = SERVER_WAIT_MAX,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
    ) -> None:
        from huggingface_hub import constants
        from huggingface_hub.utils import build_hf_headers

        self.endpoint = (endpoint or constants.ENDPOINT).rstrip("/")
        self.host = urlsplit(self.endpoint).netloc or self.endpoint
        self.headers = build_hf_headers(token=token, library_name="robinet")
        self.sleep = sleep
        self.progress = progress
        self.max_retries = max_retries
        self.server_retries = min(server_retries, max_retries)
        self.connect_retries = connect_retries
        self.backoff = backoff
        self.server_wait_max = server_wait_max
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.retries = 0

    def get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """The response for `url` (an httpx2.Response); 429, 5xx and no connection retried."""
        import httpx2
        from huggingface_hub import get_session
        from huggingface_hub.errors import OfflineModeIsEnabled

        ensure_online(self.host)
        timeout = httpx2.Timeout(self.read_timeout, connect=self.connect_timeout)
        wait = self.backoff  # the exponential backoff of 429s and 5xx
        failed = {"connect": 0, "server": 0, "rate": 0}
        while True:
            try:
                response = get_session().get(
                    url, params=params, headers=self.headers, follow_redirects=True,
                    timeout=timeout,
                )  # fmt: skip
            except OfflineModeIsEnabled as exc:  # huggingface_hub's request hook
                raise offline_error(self.host) from exc
            except (httpx2.TransportError, OSError) as exc:  # DNS, refused, TLS, timeouts
                failed["connect"] += 1
                n, limit = failed["connect"], self.connect_retries
                reason = f"cannot reach {self.host} ({_describe(exc)})"
                if n > limit:
                    raise SourceError(
                        f"{reason}; check the network, or import a dump with --from FILE",
                        hint="once the Hub can be reached, the same command resumes where "
                        "it stopped",
                    ) from exc
                delay = self.backoff * 0.5 * n
            except httpx2.RequestError as exc:  # too many redirects, an undecodable body
                raise SourceError(
                    f"the Hub's answer for {url} is unusable ({_describe(exc)})"
                ) from exc
            else:
                status = response.status_code
                if status != 429 and status < 500:
                    return response
                if status == 429:
                    failed["rate"] += 1
                    n, limit = failed["rate"], self.max_retries
                    if n > limit:
                        raise SourceError(
                            f"the Hub answered 429 (rate limited) for {url} after {limit} retries",
                            hint="run the same command again later: it resumes where it "
                            "stopped (with HF_TOKEN set, the Hub allows more requests per "
                            "window)",
                        )
                    reason = f"rate limited by {self.host} (429)"
                    reset = rate_limit_reset(response)
                    if reset is not None:
                        reason = f"rate limited by {self.host} (429: its window resets)"
                    else:
                        reset = retry_after(response.headers.get("retry-after"))
                    delay = wait if reset is None else reset
                else:
                    failed["server"] += 1
                    n, limit = failed["server"], self.server_retries
                    reason = f"{self.host} answered {status}"
                    if n > limit:
                        raise SourceError(
                            f"{reason} for {url} after {limit} retries: the Hub is "
                            "unavailable; try again later, or import a dump with --from FILE",
                            hint="the same command resumes where it stopped",
                        )
                    after = retry_after(response.headers.get("retry-after"))
                    delay = min(wait if after is None else after, self.server_wait_max)
                wait = min(wait * 2, BACKOFF_MAX)
            self.retries += 1
            if self.progress:
                self.progress(f"waiting {_seconds(delay)}: {reason}, retry {n} of {limit}")
            self.sleep(delay)

    def json(self, url: str, params: dict[str, Any] | None = None) -> tuple[Any, str | None]:
        """(JSON body, next-page URL from the Link header) of a successful GET."""
        response = self.get(url, params)
        if response.status_code >= 400:
            raise SourceError(f"the Hub answered {response.status_code} for {url}")
        try:
            body = response.json()
        except ValueError as exc:
            raise SourceError(f"the Hub sent a body that is not JSON for {url}") from exc
        link = response.links.get("next", {}).get("url")
        return body, link


def ensure_online(host: str | None = None) -> None:
    """Raise SourceError at once when huggingface_hub is in offline mode (`HF_HUB_OFFLINE=1`)."""
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        raise offline_error(host or urlsplit(constants.ENDPOINT).netloc or constants.ENDPOINT)


def offline_error(host: str) -> SourceError:
    return SourceError(
        f"HF_HUB_OFFLINE is set: a live sync cannot reach {host}",
        hint="import a dump with --from FILE, or unset HF_HUB_OFFLINE",
    )


def _seconds(delay: float) -> str:
    """`56s`, `0.5s`: whole seconds unless the wait is shorter than ten."""
    text = f"{delay:.0f}" if delay >= 10 else f"{delay:.1f}".rstrip("0").rstrip(".")
    return f"{text}s"


def _describe(exc: BaseException) -> str:
    """`ConnectError: [Errno -2] Name or service not known`: the class and the first line."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def rate_limit_reset(response: Any) -> float | None:
    """Seconds to the reset of the exhausted window of a 429, from the Hub's `RateLimit` header.

    The Hub answers `RateLimit: "api";r=0;t=55` (bucket `api`, `resolvers` or `pages`; `r`
    requests left; `t` seconds to the end of the fixed window) and `RateLimit-Policy:
    "fixed window";"api";q=500;w=300`. Every answer carries them, so only a 429 with `r=0` is
    read; one second is added, as huggingface_hub does, so the retry lands after the reset.
    """
    match = RATELIMIT.search(response.headers.get("ratelimit") or "")
    if match is None or int(match["r"]) != 0:
        return None
    return float(match["t"]) + 1.0


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


# -- license files ----------------------------------------------------------------------------
def _license_rank(name: str) -> tuple[int, str]:
    """Which of several license files to read: LICENSE(.md/.txt) first, then the model's terms
    (LICENSE-MODEL) before the code's (LICENSE-CODE), then the rest by name."""
    stem = name.rsplit("/", 1)[-1].upper()
    if re.fullmatch(r"(LICEN[SC]E|COPYING)(\.(MD|TXT|RST))?", stem):
        return (0, name)
    if "MODEL" in stem or "WEIGHT" in stem:
        return (1, name)
    return (3 if "CODE" in stem else 2, name)


def _license_file(record: dict[str, Any]) -> str | None:
    """The repo file holding the license of a `license: other` record, if there is one.

    The card's `license_link` wins when it names a file of the repo: a relative path
    (`LICENSE`, `./LICENSE.md`) or a Hub URL to this repo (`https://huggingface.co/Qwen/
    Qwen2.5-72B/blob/main/LICENSE`); a link elsewhere (GitHub, a website) is not fetched.
    Otherwise the best license file among `siblings` (top-level first).
    """
    card = record.get("cardData") if isinstance(record.get("cardData"), dict) else {}
    siblings = record.get("siblings")
    names = [
        s["rfilename"]
        for s in (siblings if isinstance(siblings, list) else [])
        if isinstance(s, dict) and isinstance(s.get("rfilename"), str)
    ]
    link = str((card or {}).get("license_link") or "").strip()
    hub = HUB_FILE_URL.match(link)
    if hub and str(hub["repo"]).lower() == str(record.get("id") or "").lower():
        link = unquote(hub["path"])
    if link and "://" not in link:
        path = link.removeprefix("./").lstrip("/")
        if path in names or (not names and LICENSE_FILE.match(path.split("/")[-1])):
            return path
    matches = [n for n in names if LICENSE_FILE.match(n.split("/")[-1])]
    matches.sort(key=lambda n: (n.count("/"), _license_rank(n)))
    return matches[0] if matches else None


def _declares_other(record: dict[str, Any]) -> bool:
    """Whether the card (a string or a list of licenses) or a `license:` tag says `other`."""
    card = record.get("cardData") if isinstance(record.get("cardData"), dict) else {}
    declared = (card or {}).get("license")
    if not declared:
        tags = record.get("tags")
        declared = [
            t[8:]
            for t in (tags if isinstance(tags, list) else [])
            if isinstance(t, str) and t.startswith("license:")
        ]
    values = declared if isinstance(declared, list) else [declared]
    return any(str(v).strip().lower() == "other" for v in values)


@dataclass(frozen=True)
class LicenseFile:
    """The license file of a `license: other` model, and what the license engine made of it."""

    model: str
    url: str
    license_id: str | None


@dataclass(frozen=True)
class LicenseFetch:
    found: tuple[LicenseFile, ...]
    warnings: tuple[str, ...]
    fetched: int
    identified: int


def fetch_licenses(client: HubClient, records: list[dict[str, Any]]) -> LicenseFetch:
    """The license file of each `license: other` record that has one, identified."""
    from robinet.licenses import lineage_terms as licensing

    found: list[LicenseFile] = []
    warnings: list[str] = []
    fetched = identified = 0
    for record in records:
        if not isinstance(record.get("id"), str) or not _declares_other(record):
            continue
        name = _license_file(record)
        if name is None:
            warnings.append(f"{record['id']}: license other and no license file")
            continue
        revision = record.get("sha") if isinstance(record.get("sha"), str) else "main"
        url = f"{client.endpoint}/{record['id']}/resolve/{revision}/{quote(name)}"
        response = client.get(url)
        if response.status_code >= 400:
            # The Hub names the refusal in `X-Error-Code` (GatedRepo, EntryNotFound, ...).
            code = response.headers.get("x-error-code") or ""
            gated = record.get("gated")
            why = f" ({code})" if code else ""
            if code == "GatedRepo" or (gated and response.status_code in (401, 403)):
                why = (
                    f" (gated repo, {gated or 'unknown'} approval: accept its terms on the Hub "
                    "with the account of HF_TOKEN)"
                )
            warnings.append(f"{record['id']}: {name} answered {response.status_code}{why}")
            continue
        fetched += 1
        license_id = licensing.identify(response.text)
        identified += license_id is not None
        found.append(LicenseFile(str(record["id"]), url, license_id))
    return LicenseFetch(tuple(found), tuple(warnings), fetched, identified)


# -- listings ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    records: tuple[dict[str, Any], ...]
    next_url: str | None


def listing_url(endpoint: str, params: dict[str, str]) -> str:
    """`GET /api/models` with `params` and every `expand[]` field (a repeated parameter)."""
    expand = "&".join(urlencode({"expand[]": e}) for e in EXPAND)
    return f"{endpoint}/api/models?{urlencode(params)}&{expand}"


def _cursor(url: str) -> str:
    """What identifies a page: its opaque `cursor`, or the whole URL when it has none."""
    values = parse_qs(urlsplit(url).query).get("cursor")
    return values[0] if values else url


def pages(client: HubClient, url: str, key: str) -> Iterator[Page]:
    """The pages of a listing from `url` (its first page, or a saved next-page URL) on.

    A next page whose cursor this run already fetched means the listing loops: SourceError
    rather than fetching the same pages forever.
    """
    seen = {_cursor(url)}
    next_url: str | None = url
    while next_url is not None:
        body, following = client.json(next_url)
        if not isinstance(body, list):
            raise SourceError(f"the Hub sent an unexpected page for {key}: not a list")
        if following is not None and _cursor(following) in seen:
            raise SourceError(
                f"the Hub sent the next-page cursor of a page already read for {key} "
                f"({following}): stopping instead of looping",
                hint="the pages before it are saved; try again later, or import a dump with "
                "--from FILE",
            )
        if following is not None:
            seen.add(_cursor(following))
        yield Page(tuple(r for r in body if isinstance(r, dict)), following)
        next_url = following


def model_info(client: HubClient, model: str) -> dict[str, Any] | None:
    """`GET /api/models/{model}` with the listing's fields, or None when it is no model."""
    expand = "&".join(urlencode({"expand[]": e}) for e in EXPAND)
    body, _ = client.json(f"{client.endpoint}/api/models/{model}?{expand}")
    return body if isinstance(body, dict) and body.get("id") else None
