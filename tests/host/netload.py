#!/usr/bin/env python3
"""The host side of the network workload: talks to the echo services of Resurgo's
network server (servers/net, lwIP) through QEMU's user-mode network on loopback
(hostfwd), and checks every byte.

UDP: numbered datagrams, each carrying a checksum of its own payload; each is sent
until its echo comes back (at most `tries` times); an echo is *corrupt* if its
checksum or payload is wrong, *duplicated* if its number was answered before, and a
datagram never answered is *lost*. TCP: one connection carries a seeded stream of
bytes there and back; every byte that comes back is compared with the one sent at
that offset (*corrupt*), bytes beyond the stream are *duplicated*, bytes missing at
the end are *lost*.

Usage: tests/host/netload.py PORT [--udp N] [--tcp BYTES] [--until FILE]"""
import argparse
import hashlib
import random
import select
import socket
import struct
import time

HOST = "127.0.0.1"


def udp_echo(port, count, size=512, tries=20, wait=0.2, seed=1):
    """Sends `count` datagrams of `size` bytes; the counts of what came back."""
    rng = random.Random(seed)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(wait)
    r = dict(sent=0, answered=0, lost=0, duplicated=0, corrupt=0, retries=0)
    seen = set()
    for n in range(count):
        body = bytes(rng.getrandbits(8) for _ in range(size - 12))
        msg = struct.pack("<I", n) + hashlib.sha256(body).digest()[:8] + body
        for attempt in range(tries):
            s.sendto(msg, (HOST, port))
            r["sent"] += 1
            r["retries"] += attempt > 0
            if _wait_echo(s, n, msg, seen, r, wait):
                break
        else:
            r["lost"] += 1
    _drain(s, seen, r)
    s.close()
    return r


def _check(data, seen, r):
    """The number of a correct echo, or None (counted as corrupt or duplicated)."""
    if len(data) < 12:
        r["corrupt"] += 1
        return None
    n, tag, body = struct.unpack("<I", data[:4])[0], data[4:12], data[12:]
    if hashlib.sha256(body).digest()[:8] != tag:
        r["corrupt"] += 1
        return None
    if n in seen:
        r["duplicated"] += 1
        return None
    seen.add(n)
    r["answered"] += 1
    return n


def _wait_echo(s, n, msg, seen, r, wait):
    end = time.monotonic() + wait
    while time.monotonic() < end:
        try:
            data = s.recv(65536)
        except socket.timeout:
            return False
        if data[:4] == msg[:4] and data != msg:
            r["corrupt"] += 1
            continue
        if _check(data, seen, r) == n:
            return True
    return False


def _drain(s, seen, r, wait=0.5):
    """Echoes that come late: each a duplicate of an answered datagram, or counted."""
    s.settimeout(wait)
    try:
        while True:
            _check(s.recv(65536), seen, r)
    except socket.timeout:
        pass


def stream_bytes(n, seed):
    return random.Random(seed).randbytes(n)


def tcp_stream(port, nbytes, seed=2, timeout=60.0, connect_tries=50):
    """Sends nbytes over one connection and reads them back; the counts."""
    data = stream_bytes(nbytes, seed)
    s = None
    for _ in range(connect_tries):
        try:
            s = socket.create_connection((HOST, port), timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    if s is None:
        return dict(sent=0, received=0, lost=nbytes, duplicated=0, corrupt=0,
                    error="cannot connect")
    s.setblocking(False)
    sent = received = corrupt = 0
    first_bad = None
    got = bytearray()
    end = time.monotonic() + timeout
    while received < nbytes and time.monotonic() < end:
        want_write = [s] if sent < nbytes else []
        rd, wr, _ = select.select([s], want_write, [], 0.5)
        if wr:
            try:
                sent += s.send(data[sent:sent + 16384])
            except BlockingIOError:
                pass
        if rd:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
            for i, b in enumerate(chunk[:max(0, nbytes - received)]):
                if data[received + i] != b:
                    corrupt += 1
                    first_bad = received + i if first_bad is None else first_bad
            received += len(chunk)
    s.close()
    r = dict(sent=sent, received=min(received, nbytes), lost=max(0, nbytes - received),
             duplicated=max(0, received - nbytes), corrupt=corrupt, first_bad=first_bad)
    if first_bad is not None:
        r["where"] = _where(data, got, first_bad)
    return r


def _where(data, got, at):
    """Where a stream went wrong: the bytes sent and received there, and where
    the received ones appear in what was sent (a shift, or bytes from elsewhere)."""
    seen = bytes(got[at:at + 16])
    found = data.find(seen) if len(seen) == 16 else -1
    return (f"at {at}: sent {data[at:at + 16].hex()} got {seen.hex()}; "
            f"the bytes got are {'from offset %d of the stream' % found if found >= 0 else 'not in the stream'}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("port", type=int)
    ap.add_argument("--udp", type=int, default=200)
    ap.add_argument("--tcp", type=int, default=1 << 20)
    args = ap.parse_args()
    print("udp", udp_echo(args.port, args.udp))
    print("tcp", tcp_stream(args.port, args.tcp))


if __name__ == "__main__":
    main()
