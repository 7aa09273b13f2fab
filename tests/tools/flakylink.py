"""A deliberately bad network link between kiosk and platform: a loopback TCP relay that drops
or stalls connections on a fixed schedule.

Tests, the benchmark and demos put it between the client and the reference platform to show
that uploads survive a link that resets connections mid-part and stalls them past the client's
timeout. Only loopback addresses are accepted: it is a test instrument, not a proxy.

    python -m tests.tools.flakylink --listen ::1:9100 --target ::1:8765 --plan ok,drop,ok,stall
"""
from __future__ import annotations

import argparse
import contextlib
import ipaddress
import itertools
import select
import socket
import struct
import threading
from dataclasses import dataclass, field

ACTIONS = ("ok", "drop", "stall")


def _loopback(host: str) -> None:
    if host == "localhost":
        return
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"{host} is not a loopback address")


@dataclass
class LinkStats:
    connections: int = 0
    dropped: int = 0
    stalled: int = 0
    bytes_up: int = 0
    by_action: dict[str, int] = field(default_factory=dict)


class FlakyLink:
    """`plan` is a schedule cycled over connections and traffic: "ok" relays `ok_bytes` from the
    client and then the next step applies to the same connection (so kept-alive connections meet
    faults too); "drop" resets the connection after `drop_after` more bytes from the client;
    "stall" stops relaying the answer for `stall_s` seconds and then closes the connection."""

    def __init__(self, target_host: str, target_port: int, *, listen_host: str = "127.0.0.1", listen_port: int = 0,
                 plan: tuple[str, ...] = ("ok",), drop_after: int = 200_000, stall_s: float = 3.0,
                 ok_bytes: int = 1 << 20) -> None:
        _loopback(target_host)
        _loopback(listen_host)
        if not plan or any(a not in ACTIONS for a in plan):
            raise ValueError(f"plan must use {ACTIONS}")
        self.target = (target_host, target_port)
        self.plan = plan
        self.drop_after = drop_after
        self.stall_s = stall_s
        self.ok_bytes = ok_bytes
        self.stats = LinkStats()
        family = socket.AF_INET6 if ":" in listen_host else socket.AF_INET
        self._listener = socket.socket(family, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((listen_host, listen_port))
        self._listener.listen(64)
        self.host = listen_host
        self.port = int(self._listener.getsockname()[1])
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._socks: set[socket.socket] = set()
        self._cycle = itertools.cycle(plan)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> str:
        self._thread = threading.Thread(target=self._accept, name="flaky-link", daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            socks = list(self._socks)
        for s in socks:
            with contextlib.suppress(OSError):
                s.close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FlakyLink:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.stats.connections += 1
            threading.Thread(target=self._relay, args=(client,), name="flaky-link-conn", daemon=True).start()

    def _next_action(self) -> str:
        with self._lock:
            action = next(self._cycle)
            self.stats.by_action[action] = self.stats.by_action.get(action, 0) + 1
        return action

    def _track(self, *socks: socket.socket) -> None:
        with self._lock:
            self._socks.update(socks)

    def _untrack(self, *socks: socket.socket) -> None:
        with self._lock:
            self._socks.difference_update(socks)
        for s in socks:
            with contextlib.suppress(OSError):
                s.close()

    def _relay(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        self._track(client, upstream)
        sent_up = 0
        action = self._next_action()
        step_end = sent_up + (self.ok_bytes if action == "ok" else self.drop_after)
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([client, upstream], [], [], 0.5)
                for src in ready:
                    data = src.recv(65536)
                    if not data:
                        return
                    if src is client:
                        if action == "ok" and sent_up >= step_end:
                            action = self._next_action()
                            step_end = sent_up + (self.ok_bytes if action == "ok" else self.drop_after)
                        if action == "drop" and sent_up + len(data) >= step_end:
                            upstream.sendall(data[: max(0, step_end - sent_up)])
                            self._reset(client, upstream)
                            with self._lock:
                                self.stats.dropped += 1
                            return
                        upstream.sendall(data)
                        sent_up += len(data)
                        with self._lock:
                            self.stats.bytes_up += len(data)
                    else:
                        if action == "stall":
                            with self._lock:
                                self.stats.stalled += 1
                            self._stop.wait(self.stall_s)
                            return
                        client.sendall(data)
        except OSError:
            return
        finally:
            self._untrack(client, upstream)

    @staticmethod
    def _reset(*socks: socket.socket) -> None:
        for s in socks:
            with contextlib.suppress(OSError):
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def _hostport(s: str) -> tuple[str, int]:
    host, _, port = s.rpartition(":")
    return host.strip("[]"), int(port)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="loopback relay that drops and stalls connections")
    p.add_argument("--listen", default="127.0.0.1:0")
    p.add_argument("--target", required=True)
    p.add_argument("--plan", default="ok,drop,ok,stall")
    p.add_argument("--drop-after", type=int, default=200_000)
    p.add_argument("--stall-s", type=float, default=20.0)
    a = p.parse_args(argv)
    lh, lp = _hostport(a.listen)
    th, tp = _hostport(a.target)
    link = FlakyLink(th, tp, listen_host=lh, listen_port=lp, plan=tuple(a.plan.split(",")),
                     drop_after=a.drop_after, stall_s=a.stall_s)
    print(link.start(), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        link.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
