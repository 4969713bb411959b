"""The chips behind the releases, as the store holds them (built from data/sources): every
stored training-hardware value is the Epoch row's, normalized into vendor and chip; the series
and its coverage count what the Epoch rows say. Oracles: the Epoch CSVs, read with csv."""

from __future__ import annotations

from tests.duties.epoch import epoch_row, epoch_rows

from robinet.duties.facts import ReleaseHardware, hardware_overview
from robinet.store import Store
from robinet.store.queries.duties import HARDWARE_SOURCES, hardware_rows

LARGE = "large_scale_ai_models.csv"


def _by_name(store: Store) -> dict[str, ReleaseHardware]:
    return {r.name: r for r in hardware_overview(store).releases}


def test_h800_as_stored(real_store: Store) -> None:
    row = epoch_row("DeepSeek-V3", LARGE)
    assert row["Training hardware"] == "NVIDIA H800 SXM5"
    got = _by_name(real_store)["DeepSeek-V3"]
    assert [(c.vendor, c.chip, c.quantity) for c in got.chips] == [
        ("nvidia", "h800", int(float(row["Hardware quantity"])))
    ]
    assert got.source == "epoch-large-scale"


def test_ascend_and_two_vendors_as_stored(real_store: Store) -> None:
    rows = _by_name(real_store)
    ultra = epoch_row("Pangu Ultra", LARGE)
    assert [(c.vendor, c.chip) for c in rows["Pangu Ultra"].chips] == [("huawei", "ascend 910b")]
    assert rows["Pangu Ultra"].chips[0].quantity == int(float(ultra["Hardware quantity"]))
    both = epoch_row("JIUTIAN-139MoE", LARGE)
    assert both["Training hardware"] == "NVIDIA A800 PCIe,Ascend (昇腾) 910B"
    chips = rows["JIUTIAN-139MoE"].chips
    assert [(c.vendor, c.chip) for c in chips] == [("nvidia", "a800"), ("huawei", "ascend 910b")]
    assert all(c.quantity is None for c in chips)  # a total over two kinds is not split


def test_every_stored_value_is_an_epoch_rows(real_store: Store) -> None:
    values = {
        row["Training hardware"].strip()
        for file in ("all_ai_models.csv", LARGE, "notable_ai_models.csv")
        for row in epoch_rows(file)
        if row["Training hardware"].strip()
    }
    stored = [r for r in hardware_rows(real_store) if r.training_hardware]
    assert stored and {r.training_hardware for r in stored} <= values
    assert all(r.source in HARDWARE_SOURCES for r in stored)
    # every value names a known vendor once normalized
    for release in hardware_overview(real_store).releases:
        assert all(c.vendor != "unknown" for c in release.chips), release.name


def test_coverage_counts_the_releases_without_hardware(real_store: Store) -> None:
    overview = hardware_overview(real_store)
    cov = overview.series.coverage
    with_chips = [r for r in overview.releases if r.chips]
    assert cov.releases == len(overview.releases)
    assert cov.known == len(with_chips)
    assert cov.unknown == cov.releases - cov.known > 0
    doc = overview.to_json()
    assert doc["count"] == len(doc["releases"]) == cov.known
    assert doc["coverage"]["unknown"] == cov.unknown
    # Pangu Ultra (CN, 2025-H1) on Ascend counts as domestic in its cell
    cell = next(p for p in doc["series"] if (p["period"], p["region"]) == ("2025-H1", "CN"))
    assert cell["domestic"] >= 1 and cell["known"] >= cell["domestic"]
    assert cell["domestic_share"] == cell["domestic"] / cell["known"]


def test_report_section_has_a_labelled_chart_with_n_and_the_coverage(real_store: Store) -> None:
    from robinet.report.hardware_section import hardware_section

    section = hardware_section(real_store)
    cov = hardware_overview(real_store).series.coverage
    layout = section.figure.layout
    assert layout.title.text and layout.xaxis.title.text and layout.yaxis.title.text
    for trace in section.figure.data:
        assert all(text.startswith("n=") for text in trace.text)
    assert f"{cov.known} of {cov.releases} releases" in section.description
    assert section.summary and str(cov.unknown) in section.summary[0]
    assert len(section.rows) == len(hardware_overview(real_store).series.points)
