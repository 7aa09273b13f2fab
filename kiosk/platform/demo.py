"""The demo world: cases of all nine business types and the personas whose ID cards the
simulated reader presents. The reference platform renders the cases' PDFs and seeds them
(`refplatform.demo_seed`); the kiosk's simulators only need the people.

Every ID number is a valid GB 11643 number whose sex digit and birth date match the persona;
every anchor lies inside its page; each script names the party and the property and asks at
least one negatively phrased question whose expected answer is "deny".
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.idnumber import credit_code_check, make_id_number

DEMO_CASE_NO = "LH2026-000123"
DEMO_ENROL_CODE = "DEMO-ENROL"  # accepted only by a platform started with --demo
DEMO_STAFF_LOGIN = ("0001", "246810")  # a counter clerk of the demo platform (refplatform.staff.DEMO_STAFF)
_REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Persona:
    """What a party's ID card says (for a legal person: its agent's card)."""

    name: str
    id_number: str
    sex: str  # "男" | "女"
    birth: str  # YYYY-MM-DD
    address: str
    nation: str = "汉"
    authority: str = "漯河市公安局源汇分局"
    valid_from: str = "2016-05-10"
    valid_to: str = "2036-05-10"
    photo: Path | None = None


def _person(name: str, region: str, birth: str, seq: str, address: str, photo: Path | None = None,
            authority: str = "漯河市公安局源汇分局") -> Persona:
    idn = make_id_number(region, birth.replace("-", ""), seq)
    sex = "男" if int(idn[16]) % 2 == 1 else "女"
    return Persona(name=name, id_number=idn, sex=sex, birth=birth, address=address, photo=photo,
                   authority=authority)


def _credit_code(body17: str) -> str:
    return body17 + credit_code_check(body17)


def demo_photo_path(which: str) -> Path | None:
    """The shipped demo face photo (`grace_hopper` or `astronaut`), else the package copy."""
    name = {"grace_hopper": "grace_hopper.jpg", "astronaut": "astronaut.png"}[which]
    shipped = _REPO_ROOT / "resources" / "demo" / "faces" / name
    if shipped.exists():
        return shipped
    if which == "grace_hopper":
        try:
            from matplotlib import cbook

            return Path(str(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)))
        except (ImportError, OSError, ValueError):
            return None
    png = _astronaut_png()
    if png is None:
        return None
    import tempfile

    cache = Path(tempfile.gettempdir()) / "bdc-kiosk-demo" / name
    if not cache.exists() or cache.stat().st_size != len(png):
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(cache.name + ".tmp")
        tmp.write_bytes(png)
        tmp.replace(cache)
    return cache


def _astronaut_png() -> bytes | None:
    try:
        from PIL import Image
        from skimage import data
    except ImportError:
        return None
    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buf, format="PNG")
    return buf.getvalue()


# --- people and companies -----------------------------------------------------------------
_P_SELLER = _person("王秀兰", "411102", "1958-03-12", "024", "河南省漯河市源汇区交通路38号院3号楼2单元501室")
_P_BUYER = _person("李静", "411103", "1985-10-27", "066", "河南省漯河市郾城区黄河路与嵩山路交叉口嵩山花园7号楼1203室",
                   authority="漯河市公安局郾城分局")
_P_A = _person("赵国强", "411104", "1972-06-05", "031", "河南省漯河市召陵区人民东路126号", authority="漯河市公安局召陵分局")
_P_B = _person("孙丽娟", "411102", "1990-01-19", "048", "河南省漯河市源汇区滨河路18号金桥小区5号楼302室")
_P_C = _person("周海涛", "411103", "1968-11-30", "017", "河南省漯河市郾城区淞江路66号院2号楼601室",
               authority="漯河市公安局郾城分局")
_P_D = _person("吴桂芳", "411122", "1963-08-08", "082", "河南省漯河市临颍县颍川大道219号", authority="临颍县公安局")
_P_AGENT_BANK = _person("陈志刚", "411102", "1981-04-14", "055", "河南省漯河市源汇区太行山路99号")
_P_AGENT_DEV = _person("刘洋", "411103", "1988-12-02", "013", "河南省漯河市郾城区长江路88号", authority="漯河市公安局郾城分局")
_BANK = ("中国建设银行股份有限公司漯河分行", _credit_code("91411100" + "7067890" + "12"))
_DEVELOPER = ("漯河市沙澧置业有限公司", _credit_code("91411100" + "MA3X7B2" + "K4"))


def party_json(pid: str, role: str, p: Persona) -> dict[str, Any]:
    return {"party_id": pid, "role": role, "kind": "person", "name": p.name, "id_type": "居民身份证",
            "id_number": p.id_number, "photo_url": None}


def legal_json(pid: str, role: str, org: tuple[str, str], agent: Persona) -> dict[str, Any]:
    return {"party_id": pid, "role": role, "kind": "legal", "name": org[0], "id_type": "统一社会信用代码",
            "credit_code": org[1], "photo_url": None, "agent": {"name": agent.name, "id_number": agent.id_number}}


@dataclass(frozen=True)
class CaseSpec:
    case_no: str
    business_type: str
    location: str
    unit_no: str
    parties: tuple[tuple[str, str, Any], ...]  # (party_id, role, Persona | (org, agent))
    second_doc: str
    verb: str  # what the statement says the party does


CASES: tuple[CaseSpec, ...] = (
    CaseSpec(DEMO_CASE_NO, "存量房转移登记", "漯河市源汇区交通路38号院3号楼2单元501室", "豫(2019)漯河市不动产权第0012345号",
              (("p1", "义务人", _P_SELLER), ("p2", "权利人", _P_BUYER)), "存量房买卖合同", "转让"),
    CaseSpec("LH2026-000124", "预告登记", "漯河市郾城区嵩山路与牡丹江路交叉口沙澧春天9号楼1单元1802室", "预售合同备案号YS2026-0456",
              (("p1", "权利人", _P_A), ("p2", "义务人", (_DEVELOPER, _P_AGENT_DEV))), "商品房预售合同", "办理预告登记"),
    CaseSpec("LH2026-000125", "房地产权抵押登记", "漯河市召陵区人民东路126号东方花园4号楼3单元702室", "豫(2021)漯河市不动产权第0034567号",
              (("p1", "抵押人", _P_C), ("p2", "抵押权人", (_BANK, _P_AGENT_BANK))), "个人住房抵押借款合同", "抵押"),
    CaseSpec("LH2026-000126", "商品房首次登记", "漯河市郾城区嵩山路与牡丹江路交叉口沙澧春天9号楼", "建设工程规划许可证建字第411103202300012号",
              (("p1", "申请人", (_DEVELOPER, _P_AGENT_DEV)),), "房屋竣工验收备案表", "申请首次登记"),
    CaseSpec("LH2026-000127", "新房转移登记", "漯河市郾城区嵩山路与牡丹江路交叉口沙澧春天9号楼2单元601室", "商品房买卖合同备案号XS2026-0789",
              (("p1", "权利人", _P_B), ("p2", "义务人", (_DEVELOPER, _P_AGENT_DEV))), "商品房买卖合同", "受让"),
    CaseSpec("LH2026-000128", "抵押注销登记", "漯河市源汇区滨河路18号金桥小区5号楼302室", "豫(2018)漯河市不动产证明第0009876号",
              (("p1", "抵押权人", (_BANK, _P_AGENT_BANK)), ("p2", "抵押人", _P_B)), "抵押权注销申请及贷款结清证明", "注销抵押"),
    CaseSpec("LH2026-000129", "司法查封", "漯河市临颍县颍川大道219号", "豫(2017)临颍县不动产权第0005432号",
              (("p1", "申请执行人", _P_D), ("p2", "被执行人", _P_A)), "人民法院协助执行通知书", "确认查封"),
    CaseSpec("LH2026-000130", "司法裁决", "漯河市召陵区黄河东路55号阳光小区2号楼1单元401室", "(2025)豫1104民初1234号民事判决书",
              (("p1", "权利人", _P_C),), "人民法院民事判决书", "依生效裁判申请转移登记"),
    CaseSpec("LH2026-000131", "司法解封", "漯河市临颍县颍川大道219号", "豫(2017)临颍县不动产权第0005432号",
              (("p1", "申请人", _P_D),), "人民法院解除查封通知书", "申请解除查封"),
)


def _persona_of(spec: Any) -> Persona:
    return spec[1] if isinstance(spec, tuple) else spec


def demo_personas(case_no: str = DEMO_CASE_NO) -> dict[str, Persona]:
    """party_id → the persona whose ID card stands at the kiosk for that party (agents for legal persons)."""
    for c in CASES:
        if c.case_no == case_no:
            out: dict[str, Persona] = {}
            for pid, _role, who in c.parties:
                p = _persona_of(who)
                # the two public-domain faces shipped with the product stand in for every demo applicant
                photo = demo_photo_path("grace_hopper" if pid == "p1" else "astronaut")
                out[pid] = Persona(**{**p.__dict__, "photo": photo})
            return out
    raise KeyError(case_no)


def demo_companies() -> list[tuple[str, str]]:
    """(name, unified social credit code) of every legal person in the demo cases."""
    return [_DEVELOPER, _BANK]


def demo_roles(case_no: str) -> dict[str, str]:
    """party_id → role, in party order (KeyError for an unknown case)."""
    for c in CASES:
        if c.case_no == case_no:
            return {pid: role for pid, role, _who in c.parties}
    raise KeyError(case_no)


def demo_case_numbers() -> list[str]:
    return [c.case_no for c in CASES]
