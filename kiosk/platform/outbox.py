"""The durable outbox: every evidence package goes here before any upload is tried.

A package is copied, encrypted, into `staging/`, every file fsynced, then the folder is moved
into `store/<package_id>/` with one atomic rename and only then recorded in SQLite (WAL,
synchronous=FULL). A crash at any moment leaves either nothing (staging is wiped on start) or
a complete package (a stored folder without a row is re-registered from its sealed index).
States: ready → uploading → done, or failed (with reason, attempts, next attempt). On start,
`uploading` goes back to `ready`, so a killed uploader loses nothing.

Encryption at rest: each file is stored as chunks of 1 MiB sealed by `DataCipher.seal` (SM4-GCM
under `crypto.profile = "gm"`, AES-256-GCM under "intl"; files written before either profile
existed, AES-GCM with the first header, stay readable), nonce per chunk, each chunk's associated data binding package id, path, chunk index and
"last chunk" flag, so chunks cannot be reordered, swapped between files or truncated
unnoticed. Chunking lets the uploader decrypt exactly the bytes of one part, without holding
a 200 MB recording in memory. The key is the device's data key (32 random bytes, created on first run, never leaves the
kiosk), stored wrapped by a key the TPM or DPAPI seals where the machine has one
(`kiosk.security.keys`). Hashes in the manifest are of the plaintext; the platform receives plaintext over TLS.
The local copy is deleted only after a valid receipt *and* the retention window.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import secrets
import shutil
import sqlite3
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.errors import UserFacingError
from kiosk.platform.protocol import PACKAGE_ID_RE, Receipt, path_problem
from kiosk.security.keys import DataCipher
from kiosk.texts import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

SAVED_OFFLINE_MESSAGE = QT_TRANSLATE_NOOP("kiosk", "已保存，网络恢复后自动上传")
CHUNK = 1 << 20
_SEAL_OVERHEAD = DataCipher.OVERHEAD  # magic, algorithm, nonce, GCM tag
# a stored file starts with its format: BDCS2 chunks are `DataCipher.seal` blobs of the current
# format (SM4-GCM or AES-GCM), BDCS1 chunks the first one (AES-GCM), still read
_HEADER = b"BDCS2" + struct.pack(">I", CHUNK)
_OVERHEAD_BY_HEADER = {_HEADER: DataCipher.OVERHEAD,
                       b"BDCS1" + struct.pack(">I", CHUNK): DataCipher.LEGACY_OVERHEAD}
_INDEX = "index.sealed"
STATES = ("ready", "uploading", "done", "failed")


class OutboxError(UserFacingError):
    pass


@dataclass(frozen=True)
class OutboxItem:
    package_id: str
    case_no: str
    state: str
    attempts: int
    reason: str
    next_attempt_at: float
    files: list[dict[str, Any]]
    total_size: int
    manifest_sha256: str
    enqueued_at: float

    @property
    def store_dir(self) -> str:
        return self.package_id


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory (Windows)
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _aad(package_id: str, path: str, index: int, last: bool) -> bytes:
    return f"{package_id}\0{path}\0{index}\0{int(last)}".encode()


def _seal_file(cipher: DataCipher, src: Path, dst: Path, package_id: str, rel: str) -> tuple[int, str]:
    """Encrypt `src` into `dst` chunk by chunk, fsynced; (plaintext size, plaintext sha256)."""
    h = hashlib.sha256()
    size = os.path.getsize(src)
    n_chunks = max(1, -(-size // CHUNK))
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, open(src, "rb") as fh:
        out.write(_HEADER)
        for i in range(n_chunks):
            chunk = fh.read(CHUNK)
            h.update(chunk)
            out.write(cipher.seal(chunk, _aad(package_id, rel, i, i == n_chunks - 1)))
        if fh.read(1):
            raise OutboxError(QT_TRANSLATE_NOOP("kiosk", "证据文件在保存过程中被改动，请重新生成证据包"), detail=f"{rel} grew while sealing",
                              code="file_changed")
        out.flush()
        os.fsync(out.fileno())
    return size, h.hexdigest()


class SealedPackage:
    """Random access to the plaintext stream (files concatenated in order) of a stored package."""

    def __init__(self, cipher: DataCipher, root: Path, package_id: str, files: list[dict[str, Any]]) -> None:
        self.cipher = cipher
        self.root = root
        self.package_id = package_id
        self.files = files
        self.starts: list[int] = []
        pos = 0
        for f in files:
            self.starts.append(pos)
            pos += int(f["size"])
        self.total = pos
        self._cache: tuple[str, int, bytes] | None = None

    def _chunk(self, f: dict[str, Any], index: int) -> bytes:
        rel = str(f["path"])
        if self._cache and self._cache[0] == rel and self._cache[1] == index:
            return self._cache[2]
        size = int(f["size"])
        n_chunks = max(1, -(-size // CHUNK))
        plain_len = min(CHUNK, size - index * CHUNK) if size else 0
        with open(self.root / rel, "rb") as fh:
            overhead = _OVERHEAD_BY_HEADER.get(fh.read(len(_HEADER)))
            if overhead is None:
                raise OutboxError(QT_TRANSLATE_NOOP("kiosk", "本机暂存的证据文件已损坏"), detail=f"{rel}: bad header", code="outbox_corrupt")
            fh.seek(len(_HEADER) + index * (CHUNK + overhead))
            blob = fh.read(plain_len + overhead)
        plain = self.cipher.open(blob, _aad(self.package_id, rel, index, index == n_chunks - 1))
        self._cache = (rel, index, plain)
        return plain

    def read(self, offset: int, length: int) -> bytes:
        out = bytearray()
        end = min(self.total, offset + length)
        pos = offset
        fi = 0
        while pos < end:
            while fi + 1 < len(self.files) and self.starts[fi + 1] <= pos:
                fi += 1
            f = self.files[fi]
            in_file = pos - self.starts[fi]
            size = int(f["size"])
            if in_file >= size:
                fi += 1
                continue
            index = in_file // CHUNK
            chunk = self._chunk(f, index)
            lo = in_file - index * CHUNK
            take = min(len(chunk) - lo, end - pos, size - in_file)
            out += chunk[lo:lo + take]
            pos += take
        return bytes(out)


class Outbox:
    """The queue. Safe to share between the session thread (enqueue) and the uploader thread."""

    def __init__(self, root: Path, cipher: DataCipher, *, min_free_bytes: int = 64 << 20) -> None:
        """Open (or create) the outbox. The first process to open it owns it (an advisory lock
        on `owner.lock`): only the owner resets interrupted uploads, wipes staging leftovers and
        uploads; another process (`outbox status` while the app runs) only reads and enqueues."""
        self.root = Path(root)
        self.cipher = cipher
        self.min_free_bytes = min_free_bytes
        self.store = self.root / "store"
        self.staging = self.root / "staging"
        self.quarantine_dir = self.root / "quarantine"
        for p in (self.root, self.store, self.staging):
            p.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                os.chmod(p, 0o700)
        self._lock = threading.RLock()
        self.db = sqlite3.connect(self.root / "outbox.sqlite3", check_same_thread=False, isolation_level=None,
                                  timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript("""
        CREATE TABLE IF NOT EXISTS items(seq INTEGER PRIMARY KEY AUTOINCREMENT, package_id TEXT UNIQUE NOT NULL,
            case_no TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            reason TEXT NOT NULL DEFAULT '', next_attempt_at REAL NOT NULL DEFAULT 0,
            enqueued_at REAL NOT NULL, uploaded_at REAL, receipt_json TEXT, files_json TEXT NOT NULL,
            total_size INTEGER NOT NULL, manifest_sha256 TEXT NOT NULL, delete_after REAL,
            deleted INTEGER NOT NULL DEFAULT 0, last_error_at REAL);
        """)
        with contextlib.suppress(OSError):
            os.chmod(self.root / "outbox.sqlite3", 0o600)
        self._lock_fd: int | None = None
        self.owner = self._take_ownership()
        if self.owner:
            self._recover()

    def _take_ownership(self) -> bool:
        try:
            import fcntl
        except ImportError:  # Windows: single app instance is enforced by the app itself
            return True
        fd = os.open(self.root / "owner.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def close(self) -> None:
        with self._lock:
            self.db.close()
            if self._lock_fd is not None:
                os.close(self._lock_fd)  # releases the flock
                self._lock_fd = None

    # -- start-up recovery ----------------------------------------------------------------------
    def _recover(self) -> None:
        with self._lock:
            n = self.db.execute("UPDATE items SET state='ready' WHERE state='uploading'").rowcount
        if n:
            log.info("outbox: %d interrupted upload(s) back to ready", n)
        for leftover in self.staging.iterdir():
            shutil.rmtree(leftover, ignore_errors=True)
        known = {r[0] for r in self._q("SELECT package_id FROM items")}
        for d in self.store.iterdir():
            if d.is_dir() and d.name not in known:
                try:
                    index = json.loads(self.cipher.open((d / _INDEX).read_bytes(), d.name.encode()))
                    self._insert(index["package_id"], index["case_no"], index["files"], index["manifest_sha256"])
                    log.info("outbox: re-registered stored package %s", d.name)
                except (OSError, ValueError, KeyError, UserFacingError):
                    # never delete evidence that has no receipt: set it aside (still encrypted)
                    self.quarantine_dir.mkdir(mode=0o700, exist_ok=True)
                    log.warning("outbox: unreadable stored folder %s moved to %s", d.name, self.quarantine_dir)
                    shutil.move(str(d), str(self.quarantine_dir / f"{d.name}-{int(time.time())}"))

    def _q(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self.db.execute(sql, args).fetchall())

    def _x(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        with self._lock:
            self.db.execute(sql, args)

    def _insert(self, package_id: str, case_no: str, files: list[dict[str, Any]], manifest_sha: str) -> None:
        self._x("INSERT INTO items(package_id, case_no, state, enqueued_at, files_json, total_size, manifest_sha256) "
                "VALUES (?,?,?,?,?,?,?)",
                (package_id, case_no, "ready", time.time(), json.dumps(files), sum(int(f["size"]) for f in files),
                 manifest_sha))

    # -- enqueue ------------------------------------------------------------------------------------
    def enqueue(self, package_dir: Path, package_id: str, case_no: str) -> None:
        """Stage, encrypt and fsync the package, move it in atomically, then queue it.

        Enqueueing the same package id again is a no-op. On any failure (a full disk above all)
        nothing is left half-written and an `OutboxError` says what to do.
        """
        package_dir = Path(package_dir)
        if not PACKAGE_ID_RE.match(package_id):
            raise OutboxError(QT_TRANSLATE_NOOP("kiosk", "证据包编号格式不正确"), detail=repr(package_id), code="bad_package_id")
        if self._q("SELECT 1 FROM items WHERE package_id=?", (package_id,)):
            log.info("outbox: %s already queued", package_id)
            return
        rels = self._list_files(package_dir)
        total = sum((package_dir / r).stat().st_size for r in rels)
        need = total + (total // CHUNK + len(rels) + 1) * (_SEAL_OVERHEAD + len(_HEADER)) + self.min_free_bytes
        free = shutil.disk_usage(self.root).free
        if free < need:
            raise OutboxError(QT_TRANSLATE_NOOP("kiosk", "本机磁盘空间不足，证据包未能保存。请联系技术人员清理磁盘后重新办理"),
                              detail=f"need {need} bytes, free {free}", code="disk_full")
        stage = self.staging / f"{package_id}.{secrets.token_hex(4)}"
        try:
            files = self._stage(package_dir, package_id, case_no, rels, stage)
            final = self.store / package_id
            if final.exists():  # a stored folder without a row: an earlier crash; replace it
                shutil.rmtree(final)
            os.rename(stage, final)
            _fsync_dir(self.store)
        except OSError as exc:
            shutil.rmtree(stage, ignore_errors=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                raise OutboxError(QT_TRANSLATE_NOOP("kiosk", "本机磁盘已满，证据包未能保存。请联系技术人员清理磁盘后重新办理"),
                                  detail=f"staging {package_id}: {exc}", code="disk_full") from None
            raise OutboxError(QT_TRANSLATE_NOOP("kiosk", "证据包保存失败，请联系技术人员"), detail=f"staging {package_id}: {exc}",
                              code="outbox_write_failed") from None
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        manifest_sha = next(f["sha256"] for f in files if f["path"] == "manifest.json")
        self._insert(package_id, case_no, files, manifest_sha)
        log.info("outbox: queued %s (%d files, %d bytes)", package_id, len(files), total)

    @staticmethod
    def _list_files(package_dir: Path) -> list[str]:
        if not (package_dir / "manifest.json").is_file():
            raise OutboxError(QT_TRANSLATE_NOOP("kiosk", "证据包不完整（缺少 manifest.json），未能保存"), detail=str(package_dir),
                              code="bad_package")
        rels: list[str] = []
        for root, dirs, names in os.walk(package_dir):
            dirs.sort()
            for name in sorted(names):
                full = Path(root) / name
                rel = full.relative_to(package_dir).as_posix()
                why = path_problem(rel)
                if why or full.is_symlink() or not full.is_file():
                    raise OutboxError(QT_TRANSLATE_NOOP("kiosk", "证据包中有不安全的文件，未能保存"), detail=f"{rel}: {why or 'not a regular file'}",
                                      code="bad_package")
                rels.append(rel)
        # the manifest first: the platform can read it as soon as the first part arrives
        return sorted(rels, key=lambda r: (r not in ("manifest.json", "manifest.sig.json"), r))

    def _stage(self, package_dir: Path, package_id: str, case_no: str, rels: list[str], stage: Path
               ) -> list[dict[str, Any]]:
        stage.mkdir(mode=0o700)
        files: list[dict[str, Any]] = []
        for rel in rels:
            dst = stage / rel
            dst.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            size, sha = _seal_file(self.cipher, package_dir / rel, dst, package_id, rel)
            files.append({"path": rel, "size": size, "sha256": sha})
        index = {"package_id": package_id, "case_no": case_no, "files": files,
                 "manifest_sha256": next(f["sha256"] for f in files if f["path"] == "manifest.json")}
        fd = os.open(stage / _INDEX, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(self.cipher.seal(json.dumps(index).encode(), package_id.encode()))
            fh.flush()
            os.fsync(fh.fileno())
        for d in sorted({(stage / r).parent for r in rels} | {stage}, key=lambda p: -len(p.parts)):
            _fsync_dir(d)
        return files

    # -- the uploader's side ----------------------------------------------------------------------
    def _item(self, row: tuple[Any, ...]) -> OutboxItem:
        return OutboxItem(package_id=row[0], case_no=row[1], state=row[2], attempts=int(row[3]), reason=row[4],
                          next_attempt_at=float(row[5]), files=json.loads(row[6]), total_size=int(row[7]),
                          manifest_sha256=row[8], enqueued_at=float(row[9]))

    _COLS = "package_id, case_no, state, attempts, reason, next_attempt_at, files_json, total_size, " \
            "manifest_sha256, enqueued_at"

    def get(self, package_id: str) -> OutboxItem | None:
        rows = self._q(f"SELECT {self._COLS} FROM items WHERE package_id=?", (package_id,))
        return self._item(rows[0]) if rows else None

    def next_ready(self, now: float | None = None) -> OutboxItem | None:
        """The oldest ready item whose next attempt is due."""
        now = time.time() if now is None else now
        rows = self._q(f"SELECT {self._COLS} FROM items WHERE state='ready' AND next_attempt_at<=? "
                       "ORDER BY seq LIMIT 1", (now,))
        return self._item(rows[0]) if rows else None

    def next_due_in(self, now: float | None = None) -> float | None:
        """Seconds until the next ready item is due (0 when one is due now), None when none waits."""
        now = time.time() if now is None else now
        rows = self._q("SELECT MIN(next_attempt_at) FROM items WHERE state='ready'")
        if not rows or rows[0][0] is None:
            return None
        return max(0.0, float(rows[0][0]) - now)

    def reader(self, item: OutboxItem) -> SealedPackage:
        return SealedPackage(self.cipher, self.store / item.package_id, item.package_id, item.files)

    def mark_uploading(self, package_id: str) -> None:
        self._x("UPDATE items SET state='uploading', attempts=attempts+1 WHERE package_id=?", (package_id,))

    def mark_retry(self, package_id: str, reason: str, delay_s: float) -> None:
        now = time.time()
        self._x("UPDATE items SET state='ready', reason=?, next_attempt_at=?, last_error_at=? WHERE package_id=?",
                (reason, now + delay_s, now, package_id))

    def mark_failed(self, package_id: str, reason: str) -> None:
        self._x("UPDATE items SET state='failed', reason=?, last_error_at=? WHERE package_id=?",
                (reason, time.time(), package_id))

    def mark_done(self, package_id: str, receipt: Receipt, retention_s: float) -> None:
        now = time.time()
        self._x("UPDATE items SET state='done', reason='', uploaded_at=?, receipt_json=?, delete_after=? "
                "WHERE package_id=?", (now, json.dumps(receipt.to_json(), ensure_ascii=False), now + retention_s,
                                       package_id))

    def receipt(self, package_id: str) -> Receipt | None:
        rows = self._q("SELECT receipt_json FROM items WHERE package_id=?", (package_id,))
        return Receipt.from_json(json.loads(rows[0][0])) if rows and rows[0][0] else None

    def retry_failed(self) -> int:
        """Technician's flush: failed items go back to ready, due now; how many."""
        with self._lock:
            n = self.db.execute("UPDATE items SET state='ready', next_attempt_at=0 WHERE state='failed'").rowcount
            self.db.execute("UPDATE items SET next_attempt_at=0 WHERE state='ready'")
        return int(n)

    def purge(self, now: float | None = None) -> list[str]:
        """Delete the local copies whose receipt is in and whose retention window has passed."""
        now = time.time() if now is None else now
        gone: list[str] = []
        for (pid,) in self._q("SELECT package_id FROM items WHERE state='done' AND deleted=0 AND receipt_json "
                              "IS NOT NULL AND delete_after<=?", (now,)):
            shutil.rmtree(self.store / pid, ignore_errors=True)
            self._x("UPDATE items SET deleted=1 WHERE package_id=?", (pid,))
            gone.append(pid)
        if gone:
            log.info("outbox: deleted %d local package(s) after the retention window", len(gone))
        return gone

    def status(self) -> dict[str, Any]:
        by_state = dict.fromkeys(STATES, 0)
        for state, n in self._q("SELECT state, COUNT(*) FROM items GROUP BY state"):
            by_state[state] = int(n)
        pending = self._q("SELECT COUNT(*), COALESCE(SUM(total_size), 0) FROM items WHERE state!='done'")[0]
        last_up = self._q("SELECT package_id, uploaded_at, receipt_json FROM items WHERE uploaded_at IS NOT NULL "
                          "ORDER BY uploaded_at DESC LIMIT 1")
        last_err = self._q("SELECT package_id, last_error_at, reason FROM items WHERE last_error_at IS NOT NULL "
                           "AND reason!='' ORDER BY last_error_at DESC LIMIT 1")
        return {
            "depth": int(pending[0]),
            "quarantined": len(self.quarantined()),
            "bytes_pending": int(pending[1]),
            "by_state": by_state,
            "last_upload": ({"package_id": last_up[0][0], "at": _iso(last_up[0][1]),
                             "receipt_id": json.loads(last_up[0][2]).get("receipt_id")} if last_up else None),
            "last_error": ({"package_id": last_err[0][0], "at": _iso(last_err[0][1]), "reason": last_err[0][2]}
                           if last_err else None),
        }

    # -- quarantine: what recovery could not understand, kept encrypted for the technician --------
    def quarantine(self, src: Path, name: str, reason: str) -> Path:
        """Seal every file under `src` into `quarantine/<name>/` (same chunked encryption as a
        stored package, the index records the reason), then delete the plaintext `src`.

        Quarantine is for what cannot be understood (an intake that does not decrypt, a package
        that cannot be rebuilt); it is never uploaded and never deleted automatically.
        `restore_quarantined` is the way back (docs/operations.md)."""
        src = Path(src)
        self.quarantine_dir.mkdir(mode=0o700, exist_ok=True)
        safe = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in name)[:100] or "session"
        qid = f"{safe}-{int(time.time())}"
        stage = self.staging / f"q-{qid}.{secrets.token_hex(4)}"
        stage.mkdir(mode=0o700)
        files: list[dict[str, Any]] = []
        try:
            for full in sorted(x for x in src.rglob("*") if x.is_file() and not x.is_symlink()):
                rel = full.relative_to(src).as_posix()
                dst = stage / rel
                dst.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                size, sha = _seal_file(self.cipher, full, dst, qid, rel)
                files.append({"path": rel, "size": size, "sha256": sha})
            index = {"quarantine_id": qid, "source": name, "reason": reason, "at": time.time(), "files": files}
            fd = os.open(stage / _INDEX, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(self.cipher.seal(json.dumps(index, ensure_ascii=False).encode(), qid.encode()))
                fh.flush()
                os.fsync(fh.fileno())
            os.rename(stage, self.quarantine_dir / qid)
            _fsync_dir(self.quarantine_dir)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        shutil.rmtree(src, ignore_errors=True)
        log.warning("outbox: %s quarantined as %s (%s)", name, qid, reason)
        return self.quarantine_dir / qid

    def quarantined(self) -> list[dict[str, Any]]:
        """What sits in quarantine: id, reason (when its index reads) and size on disk."""
        if not self.quarantine_dir.is_dir():
            return []
        out: list[dict[str, Any]] = []
        for d in sorted(p for p in self.quarantine_dir.iterdir() if p.is_dir()):
            entry: dict[str, Any] = {"id": d.name, "reason": "", "bytes": sum(
                f.stat().st_size for f in d.rglob("*") if f.is_file())}
            with contextlib.suppress(OSError, ValueError, KeyError, UserFacingError):
                entry["reason"] = str(json.loads(self.cipher.open((d / _INDEX).read_bytes(),
                                                                  d.name.encode()))["reason"])
            out.append(entry)
        return out

    def restore_quarantined(self, qid: str, dest: Path) -> Path:
        """Decrypt one quarantined folder into `dest/<qid>` (0700) for the technician: the way back.

        A stored package set aside because its index was unreadable is decrypted file by file
        with the package id taken from its folder name (the part before the time suffix)."""
        src = self.quarantine_dir / qid
        if not PACKAGE_ID_RE.match(qid) or not src.is_dir():
            raise OutboxError(QT_TRANSLATE_NOOP("kiosk", "隔离区中没有这个编号"), detail=qid, code="not_quarantined")
        index = json.loads(self.cipher.open((src / _INDEX).read_bytes(), qid.encode()))
        out = Path(dest) / qid
        out.mkdir(parents=True, mode=0o700)
        reader = SealedPackage(self.cipher, src, qid, index["files"])
        for f, start in zip(index["files"], reader.starts, strict=True):
            target = out / f["path"]
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                pos, end = start, start + int(f["size"])
                while pos < end:
                    piece = reader.read(pos, min(CHUNK, end - pos))
                    fh.write(piece)
                    pos += len(piece)
        log.info("outbox: quarantined %s restored to %s", qid, out)
        return out

    def items(self) -> list[OutboxItem]:
        return [self._item(r) for r in self._q(f"SELECT {self._COLS} FROM items ORDER BY seq")]


def _iso(t: float | None) -> str | None:
    if t is None:
        return None
    import datetime as dt

    return dt.datetime.fromtimestamp(float(t)).astimezone().isoformat(timespec="seconds")
