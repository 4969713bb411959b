"""Tap signals: dated events per lab, closing or opening, each with its evidence.

Detectors are pure functions over one lab's records:

- `flagship_signals`: the lab's new best capability score (ECI) comes from a closed model while
  its previous best was open (closing: a flagship kept API-only or withheld after open
  predecessors), or from an open model while the previous best was closed (opening).
- `cadence_signals`: a first open-weight release after closed ones (opening); twelve months
  with closed releases and no open one, after an open release (closing), raised only when the
  sources that recorded those releases cover the whole window; the open release that ends
  such a hiatus (opening).
- `license_signals`: an open release under a license the lab had not used before, more
  (closing) or less (opening) restrictive than the license of its previous open release.
- `own_gap_signals`: the lab's best open model trails its own best closed model by a margin
  that grew (closing) or shrank (opening) by at least `threshold` across its releases.
- curated catalog events (data/catalog/events.yaml), each with its source URL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from robinet.model import OPEN_TIERS, Tier

CLOSING, OPENING = "closing", "opening"


@dataclass(frozen=True, slots=True)
class LabRelease:
    name: str
    date: dt.date
    tier: str | None
    license: str | None = None  # knowledge-base id
    restrictiveness: float | None = None
    source: str = ""  # source names, comma-separated when several gave the release

    @property
    def is_open(self) -> bool | None:
        return None if self.tier is None else Tier(self.tier) in OPEN_TIERS

    @property
    def sources(self) -> tuple[str, ...]:
        return split_sources(self.source)


def split_sources(*fields: str) -> tuple[str, ...]:
    """Source names from comma-joined fields, in first-seen order, without duplicates."""
    out: list[str] = []
    for field in fields:
        for name in (field or "").split(","):
            name = name.strip()
            if name and name not in out:
                out.append(name)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Alert:
    organization: str
    date: dt.date
    direction: str  # closing | opening
    signal: str
    evidence: str
    sources: tuple[str, ...]


def _open(tier: str | None) -> bool | None:
    return None if tier is None else Tier(tier) in OPEN_TIERS


def flagship_signals(
    org: str,
    scored: Iterable[tuple[str, dt.date, str | None, float]],
    source: str = "epoch-eci",
) -> list[Alert]:
    """Scored models (name, date, tier, score) of one lab -> flagship closing/opening alerts."""
    out: list[Alert] = []
    best: tuple[str, dt.date, bool, float] | None = None
    seen_open = False
    for name, date, tier, value in sorted(scored, key=lambda s: (s[1], -s[3], s[0])):
        is_open = _open(tier)
        if is_open is None:
            continue
        if best is not None and value > best[3] and is_open != best[2]:
            if not is_open and seen_open:
                out.append(
                    Alert(
                        org,
                        date,
                        CLOSING,
                        "flagship_closed",
                        f"{name} ({tier}, score {value:g}) became the lab's best model after "
                        f"open-weight {best[0]} (score {best[3]:g})",
                        (source,),
                    )
                )
            elif is_open:
                out.append(
                    Alert(
                        org,
                        date,
                        OPENING,
                        "flagship_opened",
                        f"open-weight {name} ({tier}, score {value:g}) became the lab's best "
                        f"model, above closed {best[0]} (score {best[3]:g})",
                        (source,),
                    )
                )
        seen_open = seen_open or is_open
        if best is None or value > best[3]:
            best = (name, date, is_open, value)
    return out


def cadence_signals(
    org: str,
    releases: Sequence[LabRelease],
    *,
    data_end: dt.date,
    coverage: Mapping[str, dt.date] | None = None,
    hiatus_days: int = 365,
    min_closed: int = 2,
) -> list[Alert]:
    """First open release after closed ones; a year of closed-only releases after an open one,
    and the open release that ends it.

    A hiatus window [open release, +hiatus_days] is raised only when it has passed in the
    data: it must end on or before `data_end` (the release sources' coverage end) and, when
    `coverage` (source -> last date it covers) is given, on or before the coverage end of the
    sources that recorded the closed releases in it. The data never speaks past its end.
    """
    out: list[Alert] = []
    known = sorted((r for r in releases if r.is_open is not None), key=lambda r: (r.date, r.name))
    closed_before = 0
    seen_open = False
    for r in known:
        if r.is_open:
            if not seen_open and closed_before >= min_closed:
                out.append(
                    Alert(
                        org,
                        r.date,
                        OPENING,
                        "first_open_release",
                        f"{r.name} ({r.tier}) is the lab's first open-weight release, after "
                        f"{closed_before} closed releases",
                        r.sources,
                    )
                )
            seen_open = True
        else:
            closed_before += 1
    opens = [r for r in known if r.is_open]
    for i, last_open in enumerate(opens):
        nxt = next((o for o in opens[i + 1 :] if o.date > last_open.date), None)
        if i + 1 < len(opens) and opens[i + 1].date == last_open.date:
            continue  # judge the window from the last open release of that day
        end = last_open.date + dt.timedelta(days=hiatus_days)
        if nxt is not None and nxt.date <= end:
            continue
        closed_after = [r for r in known if not r.is_open and last_open.date < r.date <= end]
        if len(closed_after) < min_closed:
            continue
        evidence_sources = split_sources(*(r.source for r in closed_after))
        observed = data_end
        if coverage:
            ends = [coverage[s] for s in evidence_sources if s in coverage]
            if ends:
                observed = min(observed, max(ends))
        if end > observed:
            continue  # the window has not passed in the sources that would show it
        out.append(
            Alert(
                org,
                end,
                CLOSING,
                "open_releases_stopped",
                f"no open-weight release in the {hiatus_days} days after {last_open.name} "
                f"({last_open.date}), while {len(closed_after)} closed models were released "
                f"({', '.join(r.name for r in closed_after[:4])})",
                evidence_sources,
            )
        )
        if nxt is not None:
            closed_between = [
                r for r in known if not r.is_open and last_open.date < r.date < nxt.date
            ]
            out.append(
                Alert(
                    org,
                    nxt.date,
                    OPENING,
                    "open_releases_resumed",
                    f"{nxt.name} ({nxt.tier}) is the lab's first open-weight release since "
                    f"{last_open.name} ({last_open.date}); {len(closed_between)} closed models "
                    "were released in between",
                    nxt.sources,
                )
            )
    return out


def license_signals(
    org: str, releases: Sequence[LabRelease], *, epsilon: float = 0.01
) -> list[Alert]:
    """An open release under a new license more/less restrictive than the previous one's."""
    out: list[Alert] = []
    prev: LabRelease | None = None
    used: set[str] = set()
    for r in sorted(releases, key=lambda r: (r.date, r.name)):
        if not r.is_open or r.license is None or r.restrictiveness is None:
            continue
        if (
            prev is not None
            and r.license not in used
            and prev.license != r.license
            and prev.date < r.date  # same day: the order of the two is unknown
        ):
            assert prev.restrictiveness is not None
            delta = r.restrictiveness - prev.restrictiveness
            if abs(delta) > epsilon:
                closing = delta > 0
                out.append(
                    Alert(
                        org,
                        r.date,
                        CLOSING if closing else OPENING,
                        "license_tightened" if closing else "license_loosened",
                        f"{r.name} is released under {r.license} (restrictiveness "
                        f"{r.restrictiveness:.2f}); the previous open release {prev.name} used "
                        f"{prev.license} ({prev.restrictiveness:.2f})",
                        r.sources,
                    )
                )
        used.add(r.license)
        prev = r
    return out


def own_gap_signals(
    org: str,
    scored: Iterable[tuple[str, dt.date, str | None, float]],
    *,
    threshold: float = 3.0,
    source: str = "epoch-eci",
) -> list[Alert]:
    """The lab's best open vs its own best closed score: a margin that grew or shrank."""
    out: list[Alert] = []
    best_open: tuple[str, float] | None = None
    best_closed: tuple[str, float] | None = None
    anchor: float | None = None  # the margin at the last signal (or the first measurement)
    for name, date, tier, value in sorted(scored, key=lambda s: (s[1], s[0])):
        is_open = _open(tier)
        if is_open is None:
            continue
        if is_open and (best_open is None or value > best_open[1]):
            best_open = (name, value)
        if not is_open and (best_closed is None or value > best_closed[1]):
            best_closed = (name, value)
        if best_open is None or best_closed is None:
            continue
        margin = best_closed[1] - best_open[1]
        if anchor is None:
            anchor = margin
            continue
        # Only while the lab's closed models lead: an open model further ahead is no signal.
        if abs(margin - anchor) >= threshold and max(margin, anchor) > 0:
            widened = margin > anchor
            out.append(
                Alert(
                    org,
                    date,
                    CLOSING if widened else OPENING,
                    "open_trailing_own_flagship" if widened else "open_catching_own_flagship",
                    f"best open {best_open[0]} ({best_open[1]:g}) vs own best closed "
                    f"{best_closed[0]} ({best_closed[1]:g}): margin {margin:+g}, was {anchor:+g}",
                    (source,),
                )
            )
            anchor = margin
    return out


def sort_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (a.date, a.organization, a.signal, a.evidence))


def merge_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    """One alert per organization, date, direction and signal: a detected event and a curated
    one of the same kind on the same day are one event, with both evidences and all sources
    (detected first, then curated)."""
    merged: dict[tuple[str, dt.date, str, str], Alert] = {}

    def curated_last(a: Alert) -> tuple[object, ...]:
        curated = any(s.startswith("http") for s in a.sources)
        return (a.date, a.organization, a.signal, curated, a.evidence)

    for a in sorted(alerts, key=curated_last):
        key = (a.organization, a.date, a.direction, a.signal)
        prev = merged.get(key)
        if prev is None:
            merged[key] = a
            continue
        evidence = (
            prev.evidence if a.evidence in prev.evidence else f"{prev.evidence} | {a.evidence}"
        )
        merged[key] = replace(
            prev, evidence=evidence, sources=split_sources(*prev.sources, *a.sources)
        )
    return sort_alerts(merged.values())
