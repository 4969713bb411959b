"""China's generative AI Measures: a public service in mainland China, and a private
deployment. Each test quotes the provision that decides it."""

from __future__ import annotations

import datetime as dt

from tests.duties.epoch import facts_from_epoch

from robinet.duties import assess

DUTIES = ("cn.genai.art-4", "cn.genai.art-12", "cn.genai.art-17", "cn.labelling.art-5")


def deepseek_v3():
    # Epoch: DeepSeek (China), 2024-12-24, 4.56e24 FLOP; the DeepSeek model license.
    return facts_from_epoch("DeepSeek-V3", license="deepseek-la-1.0")


def test_a_public_service_in_mainland_china() -> None:
    # Art. 2(1): "利用生成式人工智能技术向中华人民共和国境内公众提供生成文本、图片、
    # 音频、视频等内容的服务（以下称生成式人工智能服务），适用本办法。"
    result = assess(deepseek_v3(), "cn", role="deployer", public_service=True)
    assert result.jurisdiction == "cn"
    assert result.duty("cn.genai.art-4").applies is True
    assert result.duty("cn.genai.art-12").applies is True
    assert result.duty("cn.labelling.art-5").applies is True
    # in force 2023-08-15 (Art. 24: "本办法自2023年8月15日起施行。"); labelling from 2025-09-01
    assert result.duty("cn.genai.art-4").applies_from == dt.date(2023, 8, 15)
    assert result.duty("cn.labelling.art-5").applies_from == dt.date(2025, 9, 1)
    assert result.findings[0].value is True
    assert result.findings[0].quote.startswith("利用生成式人工智能技术")
    # the EU's notions have no counterpart here
    assert (result.gpai, result.systemic_risk, result.open_source_exemption) == (None, None, None)
    assert result.compute_flop == 4.56e24


def test_filing_depends_on_public_opinion_attributes() -> None:
    # Art. 17: "提供具有舆论属性或者社会动员能力的生成式人工智能服务的，应当按照国家有关
    # 规定开展安全评估，并按照《互联网信息服务算法推荐管理规定》履行算法备案和变更、注销备案
    # 手续。"
    facts = deepseek_v3()
    unknown = assess(facts, "cn", public_service=True)
    assert unknown.duty("cn.genai.art-17").applies is None
    assert "not known" in unknown.duty("cn.genai.art-17").why
    filed = assess(facts, "cn", public_service=True, public_opinion=True)
    assert filed.duty("cn.genai.art-17").applies is True
    assert filed.duty("cn.genai.art-17").quote.startswith("提供具有舆论属性或者社会动员能力")
    not_filed = assess(facts, "cn", public_service=True, public_opinion=False)
    assert not_filed.duty("cn.genai.art-17").applies is False


def test_a_private_deployment_is_outside_the_measures() -> None:
    # Art. 2(3): "行业组织、企业、教育和科研机构、公共文化机构、有关专业机构等研发、应用
    # 生成式人工智能技术，未向境内公众提供生成式人工智能服务的，不适用本办法的规定。"
    result = assess(deepseek_v3(), "cn", role="deployer", public_service=False)
    assert [result.duty(d).applies for d in DUTIES] == [False] * len(DUTIES)
    for duty_id in DUTIES:
        assert "Art. 2(3)" in result.duty(duty_id).why
    assert result.findings[0].value is False
    assert result.findings[0].quote.endswith("不适用本办法的规定。")


def test_quotes_are_chinese_and_sourced_at_the_cac() -> None:
    result = assess(deepseek_v3(), "cn", public_service=True)
    for duty in result.duties:
        assert duty.lang == "zh"
        assert duty.source.startswith("https://www.cac.gov.cn/")
        assert duty.summary  # robinet's English reading beside the verbatim Chinese
    assert "not legal advice" in result.to_json()["disclaimer"]
