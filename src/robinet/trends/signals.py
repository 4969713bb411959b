"""Tap signals: dated decisions of one lab that close or open the tap, each with the
releases compared, the coverage window of the sources it rests on, and a confidence.

A release belongs to its primary developer; co-authors are never credited with it. Detectors
are pure functions over one lab's records:

- `flagship_signals`: the lab's new best capability score (ECI) comes from a closed model while
  its previous best was open (closing: a flagship kept API-only or withheld after open
  predecessors), or from an open model while the previous best was closed (opening).
- `cadence_signals`: a first open-weight release after closed ones (opening) and a first closed
  release after open ones (closing); twelve months with closed releases and no open one, after
  an open release (closing), and the open release that ends such a hiatus (opening).
- `license_signals`: an open release of a family under a license the lab chose (not one
  inherited from another lab's base model), more (closing) or less (opening) restrictive than
  the family's previous open release.
- curated catalog events (data/catalog/events/), each with its source URL.

No detected signal rests on the last `MARGIN_DAYS` of a source's coverage (`sources.date_max`):
the newest months of a table are its least complete.

`indicators.own_gap_indicators` (open models trailing the lab's own closed flagship by a margin
that grew or shrank) are indicators, not decisions: they are reported apart, never as closing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from robinet.domain import slug
from robinet.model import OPEN_TIERS, Tier

CLOSING, OPENING = "closing", "opening"
MARGIN_DAYS = 90  # no signal rests on the last three months of a source's coverage
HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass(frozen=True, slots=True)
class LabRelease:
    name: str
    date: dt.date
    tier: str | None
    license: str | None = None  # knowledge-base id
    restrictiveness: float | None = None
    source: str = ""  # source names, comma-separated when several gave the release
    inherited: bool = False  # the license comes with another lab's base model

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
class Compared:
    """A release a signal compares: its name, date, tier and license (when known)."""

    name: str
    date: dt.date | None
    tier: str | None
    license: str | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    organization: str
    date: dt.date
    direction: str  # closing | opening
    signal: str
    evidence: str
    sources: tuple[str, ...]
    compared: tuple[Compared, ...] = ()
    window: tuple[dt.date, dt.date] | None = None  # coverage the signal rests on
    confidence: str = MEDIUM  # high | medium | low


def _cmp(r: LabRelease) -> Compared:
    return Compared(r.name, r.date, r.tier, r.license)


def observed_end(
    sources: Iterable[str], coverage: Mapping[str, dt.date] | None, default: dt.date
) -> dt.date:
    """The last day a signal resting on `sources` may fall on: the earliest coverage end among
    them (the least complete source bounds what is observed), less `MARGIN_DAYS`."""
    ends = [coverage[s] for s in sources if coverage and s in coverage]
    end = min(ends) if ends else default
    return min(end, default) - dt.timedelta(days=MARGIN_DAYS)


def is_open_tier(tier: str | None) -> bool | None:
    return None if tier is None else Tier(tier) in OPEN_TIERS


def _sibling(release: LabRelease, name: str, date: dt.date) -> bool:
    """A smaller size of `name` from its launch (Qwen2.5-32B beside Qwen2.5-72B): not a rival
    of the launch's scored flagship."""
    # The merge's family rule, imported here: the robinet.store package loads DuckDB.
    from robinet.store.release_rules import family_key

    close = abs((release.date - date).days) <= LAUNCH_GAP_DAYS
    return close and family_key(release.name) == family_key(name)


def flagship_signals(
    org: str,
    scored: Iterable[tuple[str, dt.date, str | None, float]],
    source: str = "epoch-eci",
    *,
    data_end: dt.date | None = None,
    open_flags: Mapping[str, bool] | None = None,
    unscored: Sequence[LabRelease] = (),
) -> list[Alert]:
    """Scored models (name, date, tier, score) of one lab -> flagship closing/opening alerts.

    `open_flags` (name -> open) overrides a blank tier (weights on the Hub); `data_end` (the
    index's coverage end) drops signals in its last `MARGIN_DAYS`. `unscored`: the lab's
    notable releases the index lists without a score; when one of them has the previous best's
    access and falls between the previous best (a smaller size of its launch aside) and the new
    one, or (for a closing signal) is closed and falls between the lab's last closed best and
    the new one, the comparison is not observed: the unscored model may be the real best
    (Gemini 1.5 Pro, unscored beside Gemini 1.0 Pro, makes neither Gemma 2 27B nor Gemini 2.0
    Pro a change of flagship)."""
    out: list[Alert] = []
    best: tuple[str, dt.date, bool, float, str | None] | None = None
    bests: list[tuple[str, dt.date, bool, float, str | None]] = []
    seen_open = False
    last = None if data_end is None else data_end - dt.timedelta(days=MARGIN_DAYS)
    for name, date, tier, value in sorted(scored, key=lambda s: (s[1], -s[3], s[0])):
        is_open = is_open_tier(tier)
        if is_open is None and open_flags is not None:
            is_open = open_flags.get(name)
        if is_open is None:
            continue
        if best is not None and value > best[3] and is_open != best[2]:
            compared = (Compared(best[0], best[1], best[4]), Compared(name, date, tier))
            window = (best[1], data_end) if data_end else None
            recent = last is not None and date > last
            prev_open = best[2]
            recent = recent or any(
                u.is_open == prev_open
                and best[1] <= u.date <= date
                and not _sibling(u, best[0], best[1])
                for u in unscored
            )
            before = [b for b in bests if b[2] == is_open]
            recent = recent or (
                not is_open  # a closed model unscored before: the open best was never the best
                and any(
                    not u.is_open and (not before or before[-1][1] <= u.date) and u.date < date
                    for u in unscored
                )
            )
            if not is_open and seen_open and not recent:
                out.append(
                    Alert(
                        org,
                        date,
                        CLOSING,
                        "flagship_closed",
                        f"{name} ({tier}, score {value:g}) became the lab's best model after "
                        f"open-weight {best[0]} (score {best[3]:g})",
                        (source,),
                        compared,
                        window,
                        HIGH if value - best[3] >= 3 else MEDIUM,
                    )
                )
            elif is_open and not recent:
                out.append(
                    Alert(
                        org,
                        date,
                        OPENING,
                        "flagship_opened",
                        f"open-weight {name} ({tier or 'weights on the Hub'}, score "
                        f"{value:g}) became the lab's best model, above closed {best[0]} "
                        f"(score {best[3]:g})",
                        (source,),
                        compared,
                        window,
                        HIGH if value - best[3] >= 3 else MEDIUM,
                    )
                )
        seen_open = seen_open or is_open
        if best is None or value > best[3]:
            best = (name, date, is_open, value, tier)
            bests.append(best)
    return out


def _first_kind_after(
    org: str, known: Sequence[LabRelease], *, want_open: bool, min_before: int
) -> Alert | None:
    """The first release of one kind (open or closed) after `min_before` of the other."""
    before: list[LabRelease] = []
    for r in known:
        if bool(r.is_open) == want_open:
            if len(before) < min_before:
                return None
            kind = "open-weight" if want_open else "closed"
            other = "closed" if want_open else "open-weight"
            span = (r.date - before[0].date).days
            return Alert(
                org,
                r.date,
                OPENING if want_open else CLOSING,
                "first_open_release" if want_open else "first_closed_release",
                f"{r.name} ({r.tier}) is the lab's first {kind} release, after "
                f"{len(before)} {other} releases ({before[0].date} to {before[-1].date})",
                split_sources(*(x.source for x in (*before, r))),
                (*(_cmp(x) for x in before[-3:]), _cmp(r)),
                (before[0].date, r.date),
                HIGH if len(before) >= 3 and span >= 365 else MEDIUM if span >= 180 else LOW,
            )
        before.append(r)
    return None


def cadence_signals(
    org: str,
    releases: Sequence[LabRelease],
    *,
    data_end: dt.date,
    coverage: Mapping[str, dt.date] | None = None,
    hiatus_days: int = 365,
    min_closed: int = 2,
) -> list[Alert]:
    """First open release after closed ones (and the first closed one after open ones); a year
    of closed-only releases after an open one, and the open release that ends it.

    A hiatus window [open release, +hiatus_days] is raised only when it has passed in the
    data, `MARGIN_DAYS` before the end of the sources that would show it: `data_end` (the
    release sources' coverage end), the coverage ends of the sources that recorded the lab's
    last open release (they would record the next one) and of those that recorded the closed
    releases in it (`coverage`: source -> last date it covers). The data never speaks past its
    end, nor in its least complete months.
    """
    out: list[Alert] = []
    known = sorted((r for r in releases if r.is_open is not None), key=lambda r: (r.date, r.name))
    for want_open in (True, False):
        first = _first_kind_after(org, known, want_open=want_open, min_before=min_closed)
        if first is not None:
            out.append(first)
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
            open_ends = [coverage[s] for s in last_open.sources if s in coverage]
            if open_ends:
                observed = min(observed, min(open_ends))
        if end > observed - dt.timedelta(days=MARGIN_DAYS):
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
                split_sources(*last_open.sources, *evidence_sources),
                (_cmp(last_open), *(_cmp(r) for r in closed_after[:4])),
                (last_open.date, observed),
                HIGH if len(closed_after) >= 4 else MEDIUM,
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
                    (_cmp(last_open), _cmp(nxt)),
                    (last_open.date, nxt.date),
                    HIGH if len(closed_between) >= 4 else MEDIUM,
                )
            )
    return out


_FAMILY = re.compile(r"[a-z]+")
_NUMBERS = re.compile(r"\d+")


def same_model(a: str, b: str) -> bool:
    """Two names of one model as different sources spell it: same family, same numbers
    ('Qwen2.5 Instruct (72B)' and 'Qwen2.5-72B'; not 'Gemini 1.5 Pro' and 'Gemini 1.0 Pro')."""
    return family_of(a) == family_of(b) and sorted(_NUMBERS.findall(slug(a))) == sorted(
        _NUMBERS.findall(slug(b))
    )


def family_of(name: str) -> str:
    """A release's family: the first word of its name key, without a 'meta-' prefix and
    version digits ('Meta-Llama-3.1-8B' and 'Llama 2' are 'llama', 'Qwen2.5-72B' is 'qwen')."""
    key = slug(name).removeprefix("meta-")
    found = _FAMILY.match(key)
    return found.group(0) if found else key


# Releases of one family this close together are one launch (sizes and variants published
# within days): a license change is a lab's choice between launches, not between the
# sizes of one launch, which often carry different licenses on purpose (Qwen2.5: Apache-2.0
# for most sizes, the Qwen license for 72B, a research license for 3B).
LAUNCH_GAP_DAYS = 7
SAME_EVENT_DAYS = 31  # a detected and a curated event this close are one launch


def _launches(releases: Sequence[LabRelease]) -> dict[str, list[list[LabRelease]]]:
    """family -> its launches in date order, each the releases within LAUNCH_GAP_DAYS of the
    previous one."""
    out: dict[str, list[list[LabRelease]]] = {}
    for r in sorted(releases, key=lambda r: (r.date, r.name)):
        launches = out.setdefault(family_of(r.name), [])
        if launches and (r.date - launches[-1][-1].date).days <= LAUNCH_GAP_DAYS:
            launches[-1].append(r)
        else:
            launches.append([r])
    return out


def license_signals(
    org: str, releases: Sequence[LabRelease], *, epsilon: float = 0.01
) -> list[Alert]:
    """A family's launch whose every license is more (or less) restrictive than every license
    of the family's previous launch: the whole family moved, so the lab chose it. Mixed moves
    (one size looser, another stricter) are no signal. Releases whose license is inherited from
    another lab's base model (`inherited`) are not the lab's choice and are skipped."""
    own = [
        r
        for r in releases
        if r.is_open and r.license is not None and r.restrictiveness is not None
        and not r.inherited
    ]  # fmt: skip
    out: list[Alert] = []
    for launches in _launches(own).values():
        for before_launch, launch in itertools.pairwise(launches):
            new = {r.license: r for r in launch}
            old = {r.license: r for r in before_launch}
            if set(new) == set(old):
                continue
            loosest_new = min(launch, key=lambda r: (r.restrictiveness, r.date))
            strictest_new = max(launch, key=lambda r: (r.restrictiveness, -r.date.toordinal()))
            loosest_old = min(before_launch, key=lambda r: (r.restrictiveness, r.date))
            strictest_old = max(before_launch, key=lambda r: (r.restrictiveness, r.date))
            assert loosest_new.restrictiveness is not None
            assert strictest_new.restrictiveness is not None
            assert loosest_old.restrictiveness is not None
            assert strictest_old.restrictiveness is not None
            if loosest_new.restrictiveness - strictest_old.restrictiveness > epsilon:
                closing, r, before = True, loosest_new, strictest_old
            elif loosest_old.restrictiveness - strictest_new.restrictiveness > epsilon:
                closing, r, before = False, strictest_new, loosest_old
            else:
                continue
            assert r.restrictiveness is not None and before.restrictiveness is not None
            delta = r.restrictiveness - before.restrictiveness
            out.append(
                Alert(
                    org,
                    launch[0].date,
                    CLOSING if closing else OPENING,
                    "license_tightened" if closing else "license_loosened",
                    f"{r.name} is released under {r.license} (restrictiveness "
                    f"{r.restrictiveness:.2f}), and every release of its launch under licenses "
                    f"{'at least as strict' if closing else 'at least as loose'}; the family's "
                    f"previous launch ({before.name}) used "
                    f"{', '.join(sorted(str(k) for k in old))} ({before.restrictiveness:.2f})",
                    split_sources(*r.sources, *before.sources),
                    (_cmp(before), _cmp(r)),
                    (before.date, r.date),
                    HIGH if abs(delta) >= 0.1 else MEDIUM,
                )
            )
    return sorted(out, key=lambda a: (a.date, a.signal))


def sort_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (a.date, a.organization, a.signal, a.evidence))


def merge_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    """One alert per organization, direction, signal and launch: a detected event and a curated
    one of the same kind within `SAME_EVENT_DAYS` are one event (a detector dates a launch by
    the release it reads, which may be a repo days after the announcement), with both
    evidences and all sources, dated by the curated one."""
    merged: dict[tuple[str, str, str], list[Alert]] = {}

    def curated(a: Alert) -> bool:
        return any(s.startswith("http") for s in a.sources)

    rank = {LOW: 0, MEDIUM: 1, HIGH: 2}
    for a in sorted(alerts, key=lambda a: (a.date, not curated(a), a.evidence)):
        events = merged.setdefault((a.organization, a.direction, a.signal), [])
        prev = events[-1] if events else None
        one_launch = prev is not None and (
            prev.date == a.date
            or (curated(a) != curated(prev) and (a.date - prev.date).days <= SAME_EVENT_DAYS)
        )
        if prev is None or not one_launch:
            events.append(a)
            continue
        first, second = (a, prev) if curated(a) and not curated(prev) else (prev, a)
        evidence = (
            first.evidence
            if second.evidence in first.evidence
            else f"{first.evidence} | {second.evidence}"
        )
        names = {c.name for c in first.compared}
        events[-1] = replace(
            first,
            evidence=evidence,
            sources=split_sources(*first.sources, *second.sources),
            compared=(*first.compared, *(c for c in second.compared if c.name not in names)),
            window=first.window or second.window,
            confidence=max(first.confidence, second.confidence, key=lambda c: rank.get(c, 0)),
        )
    return sort_alerts([a for events in merged.values() for a in events])
