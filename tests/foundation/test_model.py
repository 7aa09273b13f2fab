from __future__ import annotations

import pytest
from case_fixtures import BUYER_ID, case_json
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.idnumber import check_digit, id_number_problem, is_valid_id_number
from kiosk.model import BusinessType, CaseError, parse_case


def test_valid_case_parses_with_all_parts() -> None:
    case = parse_case(case_json())
    assert case.business_type is BusinessType.RESALE_TRANSFER
    assert [p.role for p in case.parties] == ["义务人", "权利人"]
    assert len(case.anchors_for("p1")) == 1
    assert case.script_for("p2").questions[0].expect == "deny"


def test_nine_business_types_exist() -> None:
    assert len(BusinessType) == 9
    for bt in BusinessType:
        assert parse_case(case_json(business_type=bt.value)).business_type is bt


def test_unknown_business_type_is_named() -> None:
    with pytest.raises(CaseError) as err:
        parse_case(case_json(business_type="房屋出租登记"))
    assert "未知的业务类型" in err.value.reason and "「房屋出租登记」" in err.value.reason
    assert err.value.path == "business_type"


def test_anchor_for_missing_party_rejected() -> None:
    data = case_json()
    data["documents"][0]["anchors"][0]["party_id"] = "p9"
    with pytest.raises(CaseError, match=r"\(p9\): 签字位置指向不存在的申请人"):
        parse_case(data)


def test_anchor_off_its_page_rejected() -> None:
    data = case_json()
    data["documents"][0]["anchors"][0]["page"] = 3
    with pytest.raises(CaseError, match="超出文书页数"):
        parse_case(data)
    data = case_json()
    data["documents"][0]["anchors"][0]["rect"] = [500, 120, 160, 60]
    with pytest.raises(CaseError, match="超出页面范围"):
        parse_case(data)


def test_malformed_id_number_rejected_with_reason() -> None:
    data = case_json()
    bad = BUYER_ID[:-1] + ("0" if BUYER_ID[-1] != "0" else "1")
    data["parties"][1]["id_number"] = bad
    with pytest.raises(CaseError) as err:
        parse_case(data)
    assert "校验位" in err.value.reason
    assert err.value.path.startswith("parties.1")


def test_legal_person_needs_credit_code_and_agent() -> None:
    data = case_json()
    data["parties"][1] = {"party_id": "p2", "role": "抵押权人", "kind": "legal", "name": "中国银行漯河分行",
                          "credit_code": "91411100MA3X5Y2L8K"}
    with pytest.raises(CaseError, match="代理人"):
        parse_case(data)
    data["parties"][1]["agent"] = {"name": "赵敏", "id_number": BUYER_ID}
    case = parse_case(data)
    assert case.party("p2").signer_id_number == BUYER_ID


def test_seal_only_for_legal_person() -> None:
    data = case_json()
    data["documents"][0]["anchors"][0]["kind"] = "seal"
    with pytest.raises(CaseError, match="只有法人可以加盖印章"):
        parse_case(data)


def test_repr_never_shows_personal_data() -> None:
    case = parse_case(case_json())
    text = repr(case) + str(case.parties)
    assert "王秀兰" not in text and BUYER_ID not in text


def test_check_digit_known_value() -> None:
    # GB 11643 example from the standard's annex
    assert check_digit("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert id_number_problem("110105194912310021") == "身份证号校验位不正确"
    assert id_number_problem("11010519491331002X") == "身份证号中的出生日期无效"


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=4),
                    max_leaves=30))
def test_garbage_case_json_gives_case_error(data: object) -> None:
    with pytest.raises(CaseError):
        parse_case(data)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["case_no", "business_type", "parties", "documents", "scripts", "policy"]),
       st.none() | st.integers() | st.text(max_size=30) | st.lists(st.integers(), max_size=3))
def test_mutated_field_never_crashes(field: str, value: object) -> None:
    data = case_json()
    data[field] = value
    try:
        parse_case(data)
    except CaseError as exc:
        assert exc.reason
