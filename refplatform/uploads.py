"""Resumable uploads: declare the package's files (`create`), send the concatenation of those
files in fixed-size parts in any order and as often as wanted (a part already held is
acknowledged, not stored twice), ask the `status` before resuming. `complete` is in
`receipts.py`. An upload belongs to the device that declared it; nobody else sees or feeds it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.platform.protocol import (
    PACKAGE_ID_RE,
    PartAnswer,
    PartHeld,
    UploadRequest,
    UploadStatus,
    format_date,
    path_problem,
    utc_now,
)
from refplatform.problems import Problem
from refplatform.store import open_private, private_dir

if TYPE_CHECKING:
    from refplatform.auth import Caller
    from refplatform.server import ReferencePlatform

CHUNK = 256 * 1024


@dataclass(frozen=True)
class Upload:
    package_id: str
    kiosk_id: str
    case_no: str
    files: list[dict[str, Any]]
    total_size: int
    part_size: int
    state: str  # open | complete | rejected
    receipt: dict[str, Any] | None
    problem: str

    @property
    def parts_total(self) -> int:
        return max(1, -(-self.total_size // self.part_size))


def upload_of(pf: ReferencePlatform, package_id: str, kiosk_id: str) -> Upload:
    rows = pf.store.query("SELECT kiosk_id, case_no, files_json, total_size, part_size, state, receipt_json, problem "
                          "FROM uploads WHERE package_id=?", (package_id,))
    if not rows:
        raise Problem(404, "upload_not_found", "上传任务不存在", package_id)
    k, case_no, files, total, part_size, state, receipt, problem = rows[0]
    if k != kiosk_id:
        raise Problem(403, "forbidden", "该证据包属于其他终端", package_id)
    return Upload(package_id, str(k), str(case_no), json.loads(files), int(total), int(part_size), str(state),
                  json.loads(receipt) if receipt else None, str(problem or ""))


def status(pf: ReferencePlatform, caller: Caller, package_id: str) -> UploadStatus:
    up = upload_of(pf, package_id, caller.kiosk_id)
    parts = pf.store.query("SELECT n, size, sha256 FROM parts WHERE package_id=? ORDER BY n", (package_id,))
    return UploadStatus(package_id=package_id, case_no=up.case_no, state=up.state, total_size=up.total_size,
                        part_size=up.part_size, parts_total=up.parts_total,
                        received=[PartHeld(n=n, size=s, sha256=h) for n, s, h in parts], receipt=up.receipt)


def _clean_files(body: UploadRequest) -> list[dict[str, Any]]:
    if not body.files or len(body.files) > 10000:
        raise Problem(400, "bad_request", "文件列表为空或过长", "files")
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, f in enumerate(body.files):
        why = path_problem(f.path)
        if why:
            raise Problem(400, "bad_path", "文件路径不安全", f"files[{i}].path {f.path!r}: {why}")
        if f.size < 0:
            raise Problem(400, "bad_request", "文件大小无效", f"files[{i}].size")
        if not re.fullmatch(r"[0-9a-f]{64}", f.sha256):
            raise Problem(400, "bad_request", "文件哈希无效", f"files[{i}].sha256")
        if f.path in seen or any(s.startswith(f.path + "/") or f.path.startswith(s + "/") for s in seen):
            raise Problem(400, "bad_path", "文件路径重复或冲突", f.path)
        seen.add(f.path)
        clean.append({"path": f.path, "size": f.size, "sha256": f.sha256})
    if "manifest.json" not in seen:
        raise Problem(400, "bad_request", "证据包缺少 manifest.json", "files")
    return clean


def create(pf: ReferencePlatform, caller: Caller, body: UploadRequest) -> tuple[int, UploadStatus, dict[str, str]]:
    if not PACKAGE_ID_RE.match(body.package_id):
        raise Problem(400, "bad_package_id", "证据包编号格式不正确", body.package_id)
    clean = _clean_files(body)
    total = sum(int(f["size"]) for f in clean)
    if total > pf.max_package_bytes:
        raise Problem(413, "package_too_large", "证据包超过平台允许的大小",
                      f"{total} > {pf.max_package_bytes} bytes", max_bytes=pf.max_package_bytes)
    if not (64 * 1024 <= body.part_size <= pf.max_part_bytes):
        raise Problem(400, "bad_part_size", "分片大小超出允许范围", f"part_size must be 65536…{pf.max_part_bytes}")
    files_json = json.dumps(clean, ensure_ascii=False, sort_keys=True)
    # idempotent by package id and the device that declared it
    existing = pf.store.query("SELECT kiosk_id, files_json, case_no FROM uploads WHERE package_id=?", (body.package_id,))
    if existing:
        if existing[0][0] != caller.kiosk_id or existing[0][1] != files_json or existing[0][2] != body.case_no:
            raise Problem(409, "conflict", "同编号的证据包已存在且内容不同", body.package_id)
        return 200, status(pf, caller, body.package_id), {}
    inserted = pf.store.execute("INSERT OR IGNORE INTO uploads VALUES (?,?,?,?,?,?,?,NULL,?,NULL)",
                                (body.package_id, caller.kiosk_id, body.case_no, files_json, total, body.part_size,
                                 "open", format_date(utc_now())))
    if inserted != 1:  # a concurrent create of the same id: answer as a repeat would
        return create(pf, caller, body)
    private_dir(pf.data_dir / "uploads" / body.package_id)
    return 201, status(pf, caller, body.package_id), {"Location": f"/v1/packages/{body.package_id}"}


@dataclass
class PartSink:
    """One part body on its way to disk (0600, fsynced), hashed as it arrives."""

    pf: ReferencePlatform
    upload: Upload
    n: int
    expected: int
    tmp: Path | None
    got: int = 0

    def __post_init__(self) -> None:
        self._h = hashlib.sha256()
        self._fh = open_private(self.tmp) if self.tmp is not None else None

    def write(self, chunk: bytes) -> None:
        if self._fh is not None:
            self._fh.write(chunk)
        self._h.update(chunk)
        self.got += len(chunk)
        if self.pf.part_progress is not None:
            self.pf.part_progress(self.upload.package_id, self.n, self.got)

    def abandon(self, outcome: str = "incomplete") -> None:
        if self._fh is not None:
            self._fh.close()
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
        self.pf.store.execute("INSERT INTO part_log VALUES (?,?,?,?,?)",
                              (self.upload.package_id, self.n, self.got, outcome, time.time()))

    def finish(self, signed_sha: str) -> PartAnswer:
        sha = self._h.hexdigest()
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
        pid, n = self.upload.package_id, self.n
        if self.got != self.expected:
            self.abandon()
            raise Problem(400, "bad_part_size", "分片大小与约定不符", f"{self.got} != {self.expected} bytes")
        if sha != signed_sha:
            self.abandon("hash_mismatch")
            raise Problem(400, "hash_mismatch", "分片内容与哈希不符，请重传该分片", f"part {n}")
        have = self.pf.store.query("SELECT sha256 FROM parts WHERE package_id=? AND n=?", (pid, n))
        if self.tmp is None or (have and have[0][0] == sha):
            if self.tmp is not None:
                self.tmp.unlink(missing_ok=True)
            if self.tmp is None and not (have and have[0][0] == sha):  # late part, after complete
                raise Problem(409, "already_complete", "证据包已完成上传，不再接收分片", f"part {n} of {pid}")
            outcome = "duplicate"
        else:
            os.replace(self.tmp, self.tmp.with_name(f"{n}.part"))
            self.pf.store.execute("INSERT OR REPLACE INTO parts VALUES (?,?,?,?)", (pid, n, self.got, sha))
            outcome = "stored"
        self.pf.store.execute("INSERT INTO part_log VALUES (?,?,?,?,?)", (pid, n, self.got, outcome, time.time()))
        return PartAnswer(n=n, size=self.got, sha256=sha, outcome=outcome)


def begin_part(pf: ReferencePlatform, caller: Caller, package_id: str, n: int, length: int | None) -> PartSink:
    """Check a part's number and declared length before its body is read."""
    up = upload_of(pf, package_id, caller.kiosk_id)
    if n >= up.parts_total:
        raise Problem(400, "bad_part", "分片序号超出范围", f"part {n} of {up.parts_total}", close=True)
    expected = min(up.part_size, up.total_size - n * up.part_size)
    if length is None:
        raise Problem(411, "length_required", "需要 Content-Length", "chunked bodies are not accepted", close=True)
    if length > expected:
        raise Problem(413, "part_too_large", "分片超过约定大小", f"{length} > {expected} bytes", close=True)
    if length != expected:
        raise Problem(400, "bad_part_size", "分片大小与约定不符", f"{length} != {expected} bytes", close=True)
    updir = pf.data_dir / "uploads" / package_id
    if up.state != "open" or not updir.is_dir():
        return PartSink(pf, up, n, expected, None)  # hashed and compared, not stored
    return PartSink(pf, up, n, expected, updir / f"{n}.part.{secrets.token_hex(4)}")


def assemble(updir: Path, parts_total: int, files: list[dict[str, Any]], dest: Path) -> list[str]:
    """Split the concatenated parts back into the declared files under `dest`; the hash problems."""
    private_dir(dest)
    problems: list[str] = []
    part_idx, part_fh = 0, open(updir / "0.part", "rb")  # noqa: SIM115 - handed over part by part
    try:
        for f in files:
            target = dest / f["path"]
            private_dir(target.parent)
            remaining = int(f["size"])
            h = hashlib.sha256()
            with open_private(target) as out:
                while remaining:
                    chunk = part_fh.read(min(CHUNK, remaining))
                    if not chunk:
                        part_fh.close()
                        part_idx += 1
                        if part_idx >= parts_total:
                            problems.append(f"{f['path']}: 数据不足")
                            return problems
                        part_fh = open(updir / f"{part_idx}.part", "rb")  # noqa: SIM115
                        continue
                    out.write(chunk)
                    h.update(chunk)
                    remaining -= len(chunk)
                out.flush()
                os.fsync(out.fileno())
            if h.hexdigest() != f["sha256"]:
                problems.append(f"{f['path']}: SHA-256 与声明不符")
    finally:
        part_fh.close()
    return problems


def drop_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
