"""SARIF, CycloneDX and SPDX 3 out of one audit, each validated by the format's own schema
(local copies: src/robinet/data/schemas) and by checks for what the schemas do not catch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from robinet.audit import audit, collect, cyclonedx, load_policy, sarif, spdx
from robinet.cli import app

SCHEMAS = Path(__file__).resolve().parent.parent.parent / "src" / "robinet" / "data" / "schemas"

runner = CliRunner()
WHEN = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture
def result(store, workspace: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(workspace)
    policy = load_policy(workspace / "policy.yaml")
    return audit(store, collect([], workspace / "models.txt"), policy, today=dt.date(2026, 1, 1))


# -- SARIF ------------------------------------------------------------------------------------
def test_sarif_is_valid_and_what_github_code_scanning_needs(result, workspace: Path) -> None:
    log = sarif.to_sarif(result, root=workspace)
    schema = json.loads((SCHEMAS / "sarif-2.1.0" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert run["tool"]["driver"]["name"] == "robinet" and len(ids) == len(set(ids))
    for rule in rules:  # GitHub shows these; the schema makes none of them required
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"]
    assert run["results"]
    models_lines = (workspace / "models.txt").read_text().splitlines()
    for res in run["results"]:
        assert res["ruleId"] in ids and ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note") and res["message"]["text"]
        assert res["locations"], "GitHub rejects a result without a location"
        loc = res["locations"][0]["physicalLocation"]
        uri, line = loc["artifactLocation"]["uri"], loc["region"]["startLine"]
        assert not uri.startswith(("/", "file:")) and line >= 1
        if uri == "models.txt":  # the line named the model
            model = res["properties"]["model"]
            named = models_lines[line - 1]
            assert (
                model in named or named.strip().startswith("./") or (model.split("/")[-1] in named)
            )
    research = [
        r
        for r in run["results"]
        if r["properties"]["model"] == "nclab/Research-7B" and r["ruleId"] == "verdict-deny"
    ]
    assert research[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    mismatch = [r for r in run["results"] if r["ruleId"] == "card-license-mismatch"]
    assert mismatch[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "my-model/README.md"
    )
    waived = [
        r
        for r in run["results"]
        if r["properties"]["model"] == "acme/legacy-model" and r["level"] == "error"
    ]
    assert waived and all(r["suppressions"][0]["kind"] == "external" for r in waived)


# -- CycloneDX --------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["1.6", "1.7"])
def test_cyclonedx_validates_strictly(result, version: str) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = cyclonedx.render(result, spec_version=version, created=WHEN)
    errors = JsonStrictValidator(SchemaVersion.from_version(version)).validate_str(text)
    assert errors is None, errors
    bom = json.loads(text)
    assert bom["specVersion"] == version


def _component(bom: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in bom["components"] if c["bom-ref"] == f"model:{name}")


def test_cyclonedx_lineage_licenses_and_model_card(result) -> None:
    bom = cyclonedx.to_cyclonedx(result, created=WHEN)
    assert all(c["type"] == "machine-learning-model" for c in bom["components"])
    chat = _component(bom, "acme/Llama-3.1-SuperChat-8B")
    (ancestor,) = chat["pedigree"]["ancestors"]
    assert ancestor["group"] == "meta-llama" and ancestor["name"] == "Llama-3.1-8B"
    props = {p["name"]: p["value"] for p in ancestor["properties"]}
    assert props["robinet:relation"] == "finetune" and props["robinet:depth"] == "1"
    assert props["robinet:source"] in ("card", "tag")
    # the Llama license is not on the SPDX List: a LicenseRef with name, URL and text
    (declared,) = [
        lic["license"]
        for lic in chat["licenses"]
        if lic["license"]["acknowledgement"] == "declared"
    ]
    assert "id" not in declared and declared["text"]["content"].strip()
    assert {
        "name": "robinet:license-ref",
        "value": "LicenseRef-robinet-llama-3.1-license-2024",
    } in declared["properties"]
    assert declared["url"].startswith("https://")
    assert chat["modelCard"]["modelParameters"]["task"] == "text-generation"
    assert chat["modelCard"]["modelParameters"]["datasets"] == [
        {"type": "dataset", "name": "acme/chat-mix"}
    ]
    assert any(
        p["name"] == "robinet:obligation" and "Built with Llama" in p["value"]
        for p in chat["properties"]
    )
    # `license: other` + license_name qwen is never dropped
    qwen = _component(bom, "Qwen/Qwen2.5-7B-Instruct")
    assert qwen["licenses"][0]["license"]["name"] == "Qwen License Agreement 2024"
    # a local folder: the concluded licenses include what it inherits from its base
    local = _component(bom, "./my-model")
    assert local["licenses"][0]["license"] == {"id": "Apache-2.0", "acknowledgement": "declared"}
    concluded = [
        lic["license"]
        for lic in local["licenses"]
        if lic["license"]["acknowledgement"] == "concluded"
    ]
    assert {"id": "MIT", "acknowledgement": "concluded"} in concluded
    assert any(c.get("name", "").startswith("Llama 3.1") for c in concluded)
    assert {"name": "robinet:parameters", "value": "8030261248"} in local["modelCard"]["properties"]


# -- SPDX 3 -----------------------------------------------------------------------------------
AI_REQUIRED = (
    "suppliedBy",
    "software_downloadLocation",
    "software_packageVersion",
    "software_primaryPurpose",
)


def test_spdx_validates_against_the_json_schema_and_the_shacl_shapes(result) -> None:
    doc = spdx.to_spdx(result, created=WHEN)
    schema = json.loads((SCHEMAS / "spdx-3.0.1" / "schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(doc)
    pyshacl = pytest.importorskip("pyshacl")
    rdflib = pytest.importorskip("rdflib")
    context = json.loads((SCHEMAS / "spdx-3.0.1" / "spdx-context.jsonld").read_text())
    inline = {**doc, "@context": context["@context"]}
    data = rdflib.Graph().parse(data=json.dumps(inline), format="json-ld")
    shapes = rdflib.Graph().parse(SCHEMAS / "spdx-3.0.1" / "spdx-model.ttl", format="turtle")
    conforms, _, report = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=shapes, inference="none"
    )
    assert conforms, report
    # the shapes do bite: a purpose outside SPDX's vocabulary is refused
    broken = json.loads(json.dumps(inline))
    package = next(e for e in broken["@graph"] if e["type"] == "ai_AIPackage")
    package["software_primaryPurpose"] = "no-such-purpose"
    bad = rdflib.Graph().parse(data=json.dumps(broken), format="json-ld")
    assert not pyshacl.validate(bad, shacl_graph=shapes, ont_graph=shapes, inference="none")[0]


def test_spdx_references_lineage_and_ai_packages(result) -> None:
    doc = spdx.to_spdx(result, created=WHEN)
    graph = doc["@graph"]
    ids = {e["spdxId"] for e in graph if "spdxId" in e} | {e["@id"] for e in graph if "@id" in e}
    document = next(e for e in graph if e["type"] == "SpdxDocument")
    for element in graph:  # every reference names an element of the document
        for key in ("from", "suppliedBy", "creationInfo"):
            if key in element:
                assert element[key] in ids, (key, element[key])
        for key in ("to", "expandedlicensing_member", "createdBy", "createdUsing"):
            for target in element.get(key, []):
                assert target in ids, (key, target)
    assert set(document["rootElement"]) | set(document["element"]) <= ids
    packages = {e["name"]: e for e in graph if e["type"] == "ai_AIPackage"}
    for package in packages.values():  # the AI profile's required fields (not in the SHACL)
        assert all(package.get(k) for k in AI_REQUIRED), package
        assert package["software_primaryPurpose"] == "model"
    rels = [e for e in graph if e["type"] == "Relationship"]
    chat = packages["acme/Llama-3.1-SuperChat-8B"]["spdxId"]
    llama = packages["meta-llama/Llama-3.1-8B"]["spdxId"]
    assert any(
        r["relationshipType"] == "descendantOf" and r["from"] == chat and r["to"] == [llama]
        for r in rels
    )
    assert any(
        r["relationshipType"] == "ancestorOf" and r["from"] == llama and r["to"] == [chat]
        for r in rels
    )
    local = packages["./my-model"]["spdxId"]
    (concluded,) = [
        r["to"][0]
        for r in rels
        if r["from"] == local and r["relationshipType"] == "hasConcludedLicense"
    ]
    members = next(e for e in graph if e.get("spdxId") == concluded)["expandedlicensing_member"]
    texts = {e["spdxId"]: e for e in graph if e.get("spdxId") in members}
    assert any(
        e["type"] == "expandedlicensing_CustomLicense" and e["simplelicensing_licenseText"].strip()
        for e in texts.values()
    )


# -- the CLI ----------------------------------------------------------------------------------
def test_bom_and_audit_write_their_documents(
    db: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)
    out = runner.invoke(
        app, ["bom", "acme/Llama-3.1-SuperChat-8B", "--db", str(db), "--spec-version", "1.7"]
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["specVersion"] == "1.7"
    target = workspace / "bom.spdx.json"
    again = None
    for _ in range(2):  # a file robinet wrote may be written again
        again = runner.invoke(
            app,
            [
                "bom",
                "acme/Llama-3.1-SuperChat-8B",
                "--format",
                "spdx",
                "--out",
                str(target),
                "--db",
                str(db),
                "--json",
            ],
        )
        assert again.exit_code == 0, again.output
    assert json.loads(target.read_text())["@context"] == spdx.CONTEXT
    sarif_file = workspace / "robinet.sarif"
    gate = runner.invoke(
        app,
        [
            "audit",
            "--models",
            "models.txt",
            "--policy",
            "policy.yaml",
            "--format",
            "sarif",
            "--out",
            str(sarif_file),
            "--db",
            str(db),
        ],
    )
    assert gate.exit_code == 1
    assert json.loads(sarif_file.read_text())["version"] == "2.1.0"
    (workspace / "precious.txt").write_text("mine", "utf-8")
    refused = runner.invoke(
        app,
        [
            "audit",
            "acme/legacy-model",
            "--format",
            "sarif",
            "--out",
            str(workspace / "precious.txt"),
            "--db",
            str(db),
        ],
    )
    assert refused.exit_code == 2
    assert (workspace / "precious.txt").read_text() == "mine"
    mixed = runner.invoke(
        app, ["bom", "x/y", "--format", "spdx", "--spec-version", "1.6", "--db", str(db)]
    )
    assert mixed.exit_code == 2
