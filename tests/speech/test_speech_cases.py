"""Statement and answer checks on transcripts written the way a Chinese Vosk model writes them.

Vosk's Chinese models put spaces between words, write every number as words (digit by digit
for years and ID numbers, positionally for amounts), mishear homophones and keep fillers
(呃/嗯). Each case below is one such transcript with the verdict a careful staff member
would give.
"""
from __future__ import annotations

import pytest

from kiosk.idnumber import is_valid_id_number
from kiosk.speech import check_answer, match_prompt
from kiosk.speech.matching import match_retry

ID_X = "41110219800101102X"
assert is_valid_id_number(ID_X)

P1 = (f"本人张三，身份证号码{ID_X}，自愿将位于漯河市源汇区黄河路18号的房屋转让给李四。"
      "成交价格为150万元。本人承诺所提交的材料真实有效。")
P2 = "本人王秀英，自愿将名下位于郾城区嵩山路88号的房产抵押给中国银行漯河分行，抵押金额为50万元。本人已知晓抵押的法律后果。"
P3 = "本人同意于2026年3月5日办理不动产转移登记。本人不存在隐瞒共有人的情况。"
P4 = "我叫刘建国，自愿申请办理商品房首次登记。以上内容均为本人真实意思表示。"
P5 = "本人于２０２６年１月８日签署《存量房买卖合同》，面积89.5平方米。"
P6 = "本人同意全部登记事项。"

ID_SPOKEN = "四 一 一 一 零 二 一 九 八 零 零 一 零 一 一 零 二 叉"
ID_SPOKEN_YAO = "四 幺 幺 幺 零 二 幺 九 八 零 零 幺 零 幺 幺 零 二 艾克斯"
S1 = f"本人 张 三 身份证 号码 {ID_SPOKEN} 自愿 将 位于 漯河 市 源 汇 区 黄河 路 十八 号 的 房屋 转让 给 李四"
S2 = "成交 价格 为 一百 五十 万 元"
S3 = "本人 承诺 所 提交 的 材料 真实 有效"

# (prompt, transcript, passed, substring expected in the problems or "" , missing sentences or None)
STATEMENTS = [
    (P1, f"{S1} {S2} {S3}", True, "", []),
    (P1, f"{S1.replace('张 三', '张 山').replace('漯河', '洛河').replace('自愿', '资源')} {S2} {S3}", True, "", []),
    (P1, f"呃 {S1} 嗯 {S2} 呃 呃 {S3}", True, "", []),
    (P1, f"{S1.replace('自愿', '不 自愿')} {S2} {S3}", False, "否定", [0]),
    (P1, f"{S1.replace('自愿', '没有 自愿')} {S2} {S3}", False, "否定", [0]),
    (P1, f"{S1.replace('零 二 叉', '零 三 叉')} {S2} {S3}", False, "身份证号", [0]),
    (P1, f"{S1.replace(ID_SPOKEN, ID_SPOKEN_YAO)} {S2} {S3}", True, "", []),
    (P1, f"{S1} {S3}", False, "金额", [1]),
    (P1, f"{S1} 成交 价格 为 一百五十万 元 {S3}", True, "", []),
    (P1, f"{S1} 成交 价格 为 一百 三十 万 元 {S3}", False, "金额", [1]),
    (P1, f"{S1.replace('十八 号', '一 八 号')} {S2} {S3}", True, "", []),
    (P1, f"{S1} {S2} 本人 承诺 提交 材料 真实 有效", True, "", []),
    (P1, f"{S1} {S2} {S3} 本人 承诺 所 提交 的 材料 真实 有效", True, "", []),
    (P1, f"{S1.replace('自愿', '拒绝')} {S2} {S3}", False, "拒绝", [0]),
    (P1, "", False, "", [0, 1, 2]),
    (P1, "今天 天气 很好 我们 去 公园 散步 吧", False, "", [0, 1, 2]),
    (P1, f"{S1.replace('张 三', '李 四')} {S2} {S3}", False, "姓名", [0]),
    (P1, f"{S1.replace('漯河 市 源 汇 区 黄河 路 十八 号', '漯河 市')} {S2} {S3}", False, "地址", [0]),
    (P1, f"{S1.replace('十八', '十九')} {S2} {S3}", False, "数字", [0]),
    (P1, f"{S1} {S2} {S3} 我 不 同意", False, "否定", [2]),
    (P1, f"{S1} {S2} 本人 承诺 所 提交 的 材料 不 真实", False, "否定", [2]),
    (P1, f"对不起 我 重新 读 {S1} {S2} {S3}", True, "", []),
    (P1, f"{S1.replace('张', '赞')} {S2} {S3}", True, "", []),
    (P1, f"{S1.replace('漯河', '诺 河')} {S2} {S3}", True, "", []),
    (P1, f"{S1} {S2.replace('一百 五十 万', '一 五 零 万')} {S3}", True, "", []),
    (P3, "本人 同意 于 二 零 二 六 年 三月 五 号 办理 不动产 转移 登记 本人 不 存在 隐瞒 共有 人 的 情况", True, "", []),
    (P3, "本人 同意 于 两千 零 二十六 年 三 月 五 日 办理 不动产 转移 登记 本人 不 存在 隐瞒 共有 人 的 情况", True, "", []),
    (P3, "本人 同意 于 二 零 二 六 年 三月 六 号 办理 不动产 转移 登记 本人 不 存在 隐瞒 共有 人 的 情况", False, "日期", [0]),
    (P3, "本人 同意 于 二 零 二 六 年 三月 五 号 办理 不动产 转移 登记 本人 存在 隐瞒 共有 人 的 情况", False, "漏读否定", [1]),
    (P3, "本人 未 同意 于 二 零 二 六 年 三月 五 号 办理 不动产 转移 登记 本人 不 存在 隐瞒 共有 人 的 情况", False, "否定", [0]),
    (P3, "本人 同意 于 二 零 二 六 年 三月 五 号 办理 不动产 转移 登记", False, "", [1]),
    (P2, "本人 王 秀英 自愿 将 名下 位于 郾城 区 嵩山 路 八十八 号 的 房产 抵押 给 中国 银行 漯河 分行 抵押 金额 为 五十 万 元 "
         "本人 已 知晓 抵押 的 法律 后果", True, "", []),
    (P2, "本人 王 秀英 自愿 将 名下 位于 眼 城 区 松山 路 八 八 号 的 房产 抵押 给 中国 银行 罗 河 分行 抵押 金额 为 五十万 元 "
         "本人 已 知晓 抵押 的 法律 后果", True, "", []),
    (P2, "本人 王 秀英 不 同意 将 名下 位于 郾城 区 嵩山 路 八十八 号 的 房产 抵押 给 中国 银行 漯河 分行 抵押 金额 为 五十 万 元 "
         "本人 已 知晓 抵押 的 法律 后果", False, "否定", [0]),
    (P2, "本人 王 秀英 自愿 将 名下 位于 郾城 区 嵩山 路 八十八 号 的 房产 抵押 给 中国 银行 漯河 分行 抵押 金额 为 五十 万 元", False, "", [1]),
    (P2, "本人 王 秀英 自愿 将 名下 位于 郾城 区 嵩山 路 八十八 号 的 房产 抵押 给 中国 银行 漯河 分行 抵押 金额 为 五 万 元 "
         "本人 已 知晓 抵押 的 法律 后果", False, "金额", [0]),
    (P2, "本人 王 秀英 自愿 将 名下 位于 郾城 区 嵩山 路 八十八 号 的 房产 抵押 给 中国 银行 漯河 分行 抵押 金额 为 五十 万 元 "
         "本人 未 知晓 抵押 的 法律 后果", False, "否定", [1]),
    (P4, "我 叫 刘 建国 自愿 申请 办理 商品房 首次 登记 以上 内容 均为 本人 真实 意思 表示", True, "", []),
    (P4, "我 叫 刘 建 国 自愿 申请 办理 商品 房 首 次 登记 以上 内容 均 为 本人 真实 意思 表示", True, "", []),
    (P4, "嗯 我 叫 刘 建国 呃 自愿 申请 办理 商品房 首次 登记 以上 内容 呃 均为 本人 真实 意思 表示", True, "", []),
    (P4, "我 叫 刘 建国 自愿 申请 办理 商品房 首次 登记 以上 内容 均 非 本人 真实 意思 表示", False, "否定", [1]),
    (P5, "本人 于 二 零 二 六 年 一月 八 日 签署 存量 房 买卖 合同 面积 八十九 点 五 平方米", True, "", []),
    (P5, "本人 于 二 零 二 六 年 一月 八 日 签署 存量 房 买卖 合同 面积 八十九 平方米", False, "金额", [0]),
    (P6, "本人 同意 全部 登记 事项", True, "", []),
    # 全部 heard as 全不 sounds the same: the recording, not the text, is the evidence here
    (P6, "本人 同意 全 不 登记 事项", True, "", []),
    (P6, "本人 不 同意 全部 登记 事项", False, "否定", [0]),
    # words with 不/无 that refuse nothing, added by the reader
    (P6, "本人 同意 全部 不动产 登记 事项 确认 无误", True, "", []),
    (P3, "本人 同意 于 二 零 二 六 年 三月 五 号 办理 转移 登记 本人 不 存在 隐瞒 共有 人 的 情况", True, "", []),
]


@pytest.mark.parametrize(("prompt", "transcript", "passed", "problem", "missing"), STATEMENTS,
                         ids=[f"s{i}" for i in range(len(STATEMENTS))])
def test_statement(prompt: str, transcript: str, passed: bool, problem: str, missing: list[int]) -> None:
    pm = match_prompt(prompt, transcript)
    detail = f"{pm.problems} {[(s['coverage'], s['heard']) for s in pm.sentences]}"
    assert pm.passed is passed, detail
    assert pm.missing == missing, detail
    if problem:
        assert any(problem in p for p in pm.problems), detail
    elif passed:
        assert pm.problems == [], detail
        assert pm.coverage >= 0.85


def test_statement_json_shape() -> None:
    pm = match_prompt(P1, f"{S1} {S3}")
    out = pm.to_json()
    assert set(out) >= {"passed", "coverage", "sentences"}
    assert [s["index"] for s in out["sentences"]] == [0, 1, 2]
    assert out["sentences"][1]["coverage"] == 0.0
    assert 0.0 < out["coverage"] < 1.0
    assert pm.retry_text() == "成交价格为150万元。"


def test_retry_rereads_only_the_missing_sentence() -> None:
    first = match_prompt(P1, f"{S1} {S3}")
    assert first.missing == [1]
    again = match_retry(first, "成交 价格 为 一百 五十 万 元")
    assert again.passed and again.missing == []
    assert again.sentences[1].get("retried") is True
    assert again.sentences[0]["coverage"] == first.sentences[0]["coverage"]
    still = match_retry(first, "成交 价格 为 一百 万 元")
    assert not still.passed and still.missing == [1]


def test_given_critical_span_must_be_heard() -> None:
    prompt = "本人确认房屋由刘建国和王秀英共同所有。"
    tr = "本人 确认 房屋 由 刘 建国 和 王 所有 共同 所有"
    assert match_prompt(prompt, tr).passed  # coverage alone lets one missing name slip
    pm = match_prompt(prompt, tr, critical=["王秀英"])
    assert not pm.passed and any("关键内容" in p for p in pm.problems)


Q_WILL = "您是否自愿出售该房屋？"
Q_FORCED = "有没有人强迫您签字？"
Q_CLEAR = "您是否清楚本次交易的风险？"
Q_AGREE = "您是否同意办理抵押登记？"
Q_HIDE = "您是否存在隐瞒共有人的情况？"
Q_SELF = "您是不是产权人本人？"
Q_KNOW = "您是否已知晓抵押的法律后果？"
Q_COERCE = "您是否受到他人胁迫？"

ANSWERS = [
    (Q_WILL, "是 的", "affirm"), (Q_WILL, "嗯", "affirm"), (Q_WILL, "嗯 嗯", "affirm"), (Q_WILL, "资源 的", "affirm"),
    (Q_WILL, "是 自愿 的", "affirm"), (Q_WILL, "对 对 对", "affirm"), (Q_WILL, "呃 是 的", "affirm"),
    (Q_WILL, "不 自愿", "deny"), (Q_WILL, "不是", "deny"), (Q_WILL, "不是 我 自愿 的", "deny"), (Q_WILL, "不 不 不", "deny"),
    (Q_WILL, "", "unclear"), (Q_WILL, "呃", "unclear"), (Q_WILL, "不知道", "unclear"), (Q_WILL, "是不是 要 签字 啊", "unclear"),
    (Q_WILL, "什么", "unclear"), (Q_WILL, "啊 什么 意思", "unclear"), (Q_WILL, "你 再说 一遍", "unclear"),
    (Q_FORCED, "没有", "deny"), (Q_FORCED, "没 有", "deny"), (Q_FORCED, "没有 没有", "deny"), (Q_FORCED, "对 没有", "deny"),
    (Q_FORCED, "我 是 自愿 的", "deny"), (Q_FORCED, "没 人 强迫 我", "deny"), (Q_FORCED, "有", "affirm"),
    (Q_FORCED, "有 人 逼 我", "affirm"), (Q_FORCED, "我 是 被 强迫 的", "affirm"), (Q_FORCED, "我 也 说 不好", "unclear"),
    (Q_CLEAR, "清楚", "affirm"), (Q_CLEAR, "清 楚 了", "affirm"), (Q_CLEAR, "不 太 清楚", "deny"), (Q_CLEAR, "明白 明白", "affirm"),
    (Q_AGREE, "同意", "affirm"), (Q_AGREE, "统一", "affirm"), (Q_AGREE, "呃 同意", "affirm"), (Q_AGREE, "没问题", "affirm"),
    (Q_AGREE, "不 同意", "deny"), (Q_AGREE, "好 的", "affirm"), (Q_AGREE, "可以", "affirm"),
    (Q_HIDE, "没有", "deny"), (Q_HIDE, "没有 隐瞒", "deny"), (Q_HIDE, "我 说 的 都 是 真实 的", "deny"), (Q_HIDE, "有", "affirm"),
    (Q_SELF, "是 本人", "affirm"), (Q_SELF, "是", "affirm"), (Q_SELF, "不是", "deny"), (Q_SELF, "对不对 啊", "unclear"),
    (Q_KNOW, "知道", "affirm"), (Q_KNOW, "知道 了", "affirm"), (Q_KNOW, "不 知道", "unclear"), (Q_KNOW, "不 了解", "deny"),
    (Q_COERCE, "没有", "deny"), (Q_COERCE, "没 被 胁迫", "deny"), (Q_COERCE, "我 自己 愿意 的", "deny"),
    (Q_COERCE, "要 签 字 吗", "unclear"),
]


@pytest.mark.parametrize(("question", "transcript", "verdict"), ANSWERS,
                         ids=[f"a{i}" for i in range(len(ANSWERS))])
def test_answer(question: str, transcript: str, verdict: str) -> None:
    for expect in ("affirm", "deny"):
        ac = check_answer(question, transcript, expect)
        assert ac.verdict == verdict, ac.reason
        assert ac.passed is (verdict == expect)


def test_answer_json_and_bad_expect() -> None:
    out = check_answer(Q_FORCED, "没有", "deny").to_json()
    assert out["verdict"] == "deny" and out["passed"] is True
    with pytest.raises(ValueError, match="expect"):
        check_answer(Q_FORCED, "没有", "maybe")


def test_case_count() -> None:
    assert len(STATEMENTS) + len(ANSWERS) >= 60


def test_statement_from_both_passes() -> None:
    from kiosk.speech import match_statement

    grammar_text = f"{S1} {S2} {S3}"
    # the grammar forced a refusal onto prompt words; the free pass heard it
    free_text = f"{S1.replace('自愿', '不 自愿')} {S2} {S3}"
    pm = match_statement(P1, grammar_text, free_text)
    assert not pm.passed and pm.missing == [0] and any("自由识别" in p for p in pm.problems)
    # the free pass mishears some words of a correct reading: still a pass
    noisy = f"{S1.replace('转让', '专 让').replace('源 汇', '元 会')} 成交 价格 为 一百 五十 万 元 本人 成 诺 所 提交 的 材料 真实 有效"
    ok = match_statement(P1, grammar_text, noisy)
    assert ok.passed, ok.problems
    # something else was read: the grammar still maps it to prompt words, the free pass does not
    other = match_statement(P1, grammar_text, f"{S1} {S2} 今天 天气 很好 我们 去 公园")
    assert not other.passed and other.missing == [2]
    assert match_statement(P1, grammar_text, None).passed
