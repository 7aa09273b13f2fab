"""A corpus of malformed and hostile PDFs, generated here, through the document check and the
stamper. Each must end in a `DocumentError` with a plain-Chinese message and a known code,
within a time limit. They run in a child process: a parser that hangs or eats memory takes
the child down, not the test run, and is reported by name."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pdf_corpus import corpus, good_minimal, original

from kiosk.signing import Stamp, load_pdf_checked, stamp_pdf

HERE = Path(__file__).parent
PER_DOCUMENT_S = 20
CODES = {"bad_document", "document_encrypted", "document_too_large"}

_WORKER = r"""
import hashlib, json, signal, sys, time
sys.path.insert(0, sys.argv[1])
from pdf_corpus import corpus
from kiosk.signing import Stamp, load_pdf_checked, stamp_pdf
from kiosk.signing.pdf import DocumentError

class Hang(Exception):
    pass

def on_alarm(*_):
    raise Hang()

signal.signal(signal.SIGALRM, on_alarm)
limit = int(sys.argv[2])
for name, make in corpus().items():
    data = make()
    out = {"name": name, "size": len(data)}
    for what, run in (("load", lambda: load_pdf_checked(data, hashlib.sha256(data).hexdigest())),
                      ("stamp", lambda: stamp_pdf(data, [Stamp(1, (10.0, 10.0, 60.0, 20.0), None, "2026年1月1日", "date")]))):
        t0 = time.monotonic()
        signal.alarm(limit)
        try:
            run()
            out[what] = {"result": "accepted"}
        except DocumentError as exc:
            out[what] = {"result": "refused", "code": exc.code, "message": exc.message, "detail": exc.detail[:200]}
        except Hang:
            out[what] = {"result": "hang"}
        except BaseException as exc:
            out[what] = {"result": "crash", "error": f"{type(exc).__name__}: {exc}"[:300]}
        finally:
            signal.alarm(0)
        out[what]["seconds"] = round(time.monotonic() - t0, 3)
    print(json.dumps(out, ensure_ascii=False), flush=True)
"""


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    if not hasattr(__import__("signal"), "SIGALRM"):
        pytest.skip("the corpus runner needs SIGALRM (POSIX)")
    names = list(corpus())
    proc = subprocess.run([sys.executable, "-c", _WORKER, str(HERE), str(PER_DOCUMENT_S)], capture_output=True,
                          text=True, timeout=PER_DOCUMENT_S * 2 * len(names) + 60, check=False)
    out = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            item = json.loads(line)
            out[item["name"]] = item
    assert proc.returncode == 0 and len(out) == len(names), (proc.returncode, sorted(set(names) - set(out)),
                                                           proc.stderr[-2000:])
    return out


@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", list(corpus()))
def test_malformed_pdf_is_refused_clearly_and_in_time(results: dict[str, dict], name: str) -> None:
    item = results[name]
    for what in ("load", "stamp"):
        r = item[what]
        assert r["result"] == "refused", f"{name} {what}: {r}"
        assert r["code"] in CODES, r
        assert "请工作人员" in r["message"] or "文书" in r["message"], r
        assert "Traceback" not in r["message"] and "pypdf" not in r["message"]


def test_corpus_covers_the_named_cases() -> None:
    names = set(corpus())
    for must in ("zero_bytes", "truncated_half", "encrypted_aes256", "self_referencing_pages", "page_tree_loop",
                 "recursive_object_refs", "count_1e9_one_kid", "garbage_xref", "over_60_mb"):
        assert must in names
    assert len(corpus()["over_60_mb"]()) > 60 * 1024 * 1024


def test_the_generator_makes_valid_pdfs_when_not_broken() -> None:
    """The corpus is built by `build_pdf`; unbroken, its output is a PDF the kiosk accepts and
    stamps, so each refusal above is about the damage, not the generator."""
    data = good_minimal()
    info = load_pdf_checked(data, hashlib.sha256(data).hexdigest())
    assert info.pages == 1 and info.page_sizes == [(595.0, 842.0)]
    stamped = stamp_pdf(data, [Stamp(1, (10.0, 10.0, 60.0, 20.0), None, "2026年1月1日", "date")])
    assert stamped.startswith(data)
    doc = original()
    assert load_pdf_checked(doc, hashlib.sha256(doc).hexdigest()).pages == 2
