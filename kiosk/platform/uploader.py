"""The uploader: drains the outbox in order, one package at a time, resumably.

For each package it declares the upload (idempotent by package id), asks which parts the
platform already holds, sends only the others (so after a crash at most the part that was in
flight is sent again), completes, and accepts the receipt only when the platform's signature
verifies and the manifest hash it computed is the kiosk's own. Network trouble puts the
package back to ready with a capped, jittered delay and ends the pass (order is kept); a
permanent refusal marks it failed with the platform's reason and the pass goes on with the
next package. The same thread sends the heartbeat with outbox depth and device health.
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from kiosk.errors import UserFacingError
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.outbox import Outbox, OutboxItem
from kiosk.platform.protocol import Receipt
from kiosk.texts import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)


class Uploader:
    """`drain_once()` for a synchronous pass; `start()`/`stop()` for the background thread."""

    retry_cap_s = 300.0

    def __init__(self, outbox: Outbox, client: PlatformClient, *, retention_days: int = 30,
                 part_size: int | None = None, health: Callable[[], dict[str, Any]] | None = None,
                 heartbeat_s: float | None = None) -> None:
        self.outbox = outbox
        self.client = client
        self.retention_s = retention_days * 86400.0
        self.part_size = part_size or client.settings.part_size_mb << 20
        self.health = health
        self.heartbeat_s = heartbeat_s if heartbeat_s is not None else float(client.settings.heartbeat_s)
        self.bytes_sent = 0
        self.parts_sent = 0
        self.last_error = ""
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_heartbeat = 0.0

    # -- one pass ----------------------------------------------------------------------------------
    def drain_once(self) -> list[Receipt]:
        """Upload every due package in order; the receipts obtained in this pass."""
        if not self.outbox.owner:
            log.info("outbox is owned by another process; not uploading from here")
            return []
        receipts: list[Receipt] = []
        self.outbox.purge()
        while not self._stop.is_set():
            item = self.outbox.next_ready()
            if item is None:
                break
            try:
                receipts.append(self.upload(item))
            except PlatformError as exc:
                self.last_error = exc.message
                if exc.retryable:
                    delay = random.uniform(0.5, 1.0) * min(self.retry_cap_s, 2.0 ** min(item.attempts + 1, 12))
                    self.outbox.mark_retry(item.package_id, f"{exc.message}（{exc.code}）", delay)
                    log.info("upload of %s deferred %.0f s: %s", item.package_id, delay, exc.detail or exc.code)
                    break
                self.outbox.mark_failed(item.package_id, f"{exc.message}（{exc.code}）")
                log.warning("upload of %s failed: %s", item.package_id, exc.detail or exc.code)
            except UserFacingError as exc:
                self.last_error = exc.message
                self.outbox.mark_failed(item.package_id, f"{exc.message}（{exc.code}）")
                log.warning("upload of %s failed: %s", item.package_id, exc.detail or exc.code)
        return receipts

    def drain_until_done(self, timeout_s: float) -> list[Receipt]:
        """Keep draining (waiting for retry times, not spinning) until nothing is due or waiting."""
        deadline = time.monotonic() + timeout_s
        receipts: list[Receipt] = []
        while True:
            receipts += self.drain_once()
            wait = self.outbox.next_due_in()
            left = deadline - time.monotonic()
            if wait is None or left <= 0 or self._stop.is_set():
                return receipts
            if wait > 0:
                self._stop.wait(min(wait, left))

    def upload(self, item: OutboxItem) -> Receipt:
        self.outbox.mark_uploading(item.package_id)
        status = self.client.create_upload(item.package_id, item.case_no, item.files, self.part_size)
        if status.get("state") == "complete" and status.get("receipt"):
            receipt = self._check_receipt(item, self.client.complete(item.package_id))
            self.outbox.mark_done(item.package_id, receipt, self.retention_s)
            return receipt
        # a bad answer must not leave the package stuck in 'uploading' until the next restart
        problem = ""
        try:
            part_size = int(status["part_size"])
            have = {int(p["n"]): str(p["sha256"]) for p in status.get("received", [])}
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        if not problem and not 64 * 1024 <= part_size <= 1 << 30:
            problem = f"part_size {part_size} outside 64 KiB…1 GiB"
        if problem:
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "中心平台的应答不完整或格式错误，稍后自动重试"), code="bad_response", retryable=True,
                                detail=f"upload status of {item.package_id}: {problem}")
        reader = self.outbox.reader(item)
        parts_total = max(1, -(-item.total_size // part_size))

        def prepare(n: int) -> tuple[bytes, str]:
            data = reader.read(n * part_size, part_size)
            return data, hashlib.sha256(data).hexdigest()

        # the next part is decrypted and hashed while the current one is on the wire
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="outbox-read") as pool:
            ahead = pool.submit(prepare, 0)
            for n in range(parts_total):
                data, sha = ahead.result()
                if n + 1 < parts_total:
                    ahead = pool.submit(prepare, n + 1)
                if self._stop.is_set():
                    raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "上传已停止"), code="cancelled", retryable=True)
                if have.get(n) == sha:
                    continue
                self.client.put_part(item.package_id, n, data, sha)
                self.bytes_sent += len(data)
                self.parts_sent += 1
        receipt = self._check_receipt(item, self.client.complete(item.package_id))
        self.outbox.mark_done(item.package_id, receipt, self.retention_s)
        log.info("package %s uploaded, receipt %s", item.package_id, receipt.receipt_id)
        return receipt

    @staticmethod
    def _check_receipt(item: OutboxItem, receipt: Receipt) -> Receipt:
        if receipt.manifest_sha256 != item.manifest_sha256:
            raise PlatformError(QT_TRANSLATE_NOOP("kiosk", "平台回执中的清单哈希与本机不符，证据包保留在本机，请联系技术人员"),
                                detail=f"{item.package_id}: receipt {receipt.manifest_sha256} "
                                       f"!= local {item.manifest_sha256}", code="receipt_hash_mismatch")
        return receipt

    # -- heartbeat ---------------------------------------------------------------------------------
    def heartbeat(self) -> dict[str, Any]:
        report: dict[str, Any] = {"outbox": self.outbox.status()}
        if self.health is not None:
            try:
                report["health"] = self.health()
            except Exception as exc:  # noqa: BLE001 - a broken probe must not stop uploads
                report["health"] = {"error": type(exc).__name__}
        answer = self.client.heartbeat(report)
        self._last_heartbeat = time.monotonic()
        return answer

    # -- background thread ---------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self.client.cancelled.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-uploader", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Something was enqueued or the network came back: try now."""
        self._wake.set()

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        self.client.cancelled.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.drain_once()
            except Exception:
                log.exception("uploader pass failed")
            if time.monotonic() - self._last_heartbeat >= self.heartbeat_s:
                try:
                    self.heartbeat()
                except UserFacingError as exc:
                    log.info("heartbeat not sent: %s", exc.detail or exc.code)
                    self._last_heartbeat = time.monotonic()
            due = self.outbox.next_due_in()
            wait = self.heartbeat_s if due is None else min(due, self.heartbeat_s)
            self._wake.wait(max(0.05, wait))
