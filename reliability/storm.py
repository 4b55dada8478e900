#!/usr/bin/env python3
"""Helpers of hung-dependency-storm.sh, standard library only, loopback only.

  storm.py dependency PORT          an HTTP "auth service" on 127.0.0.1:PORT. GET /hang makes it
                                    hold every request unanswered; GET /recover drops the held
                                    connections (as a restarted service does) and answers 200 again.
  storm.py pace URL RATE SECONDS OUT
                                    sends RATE requests/s for SECONDS, open loop (each request on
                                    its own connection, on schedule whether or not earlier ones
                                    were answered), and writes one line per request to OUT:
                                    sent_at_s status latency_s upstream(0/1) allowed(0/1),
                                    allowed: the plugin's x-auth header (the auth service said yes)
  storm.py sample PID OUT SECONDS   every second until SECONDS pass: time rss_kib threads fds
"""
import asyncio
import os
import sys
import time


def dependency(port):
    hung = False
    held = set()

    async def handle(reader, writer):
        nonlocal hung
        try:
            while True:  # HTTP/1.1 keep-alive: one request after another on the connection
                line = await reader.readline()
                if not line:
                    return
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                path = line.split(b" ")[1] if line.count(b" ") >= 2 else b"/"
                if path == b"/hang":
                    hung = True
                elif path == b"/recover":
                    hung = False
                    for w in list(held):
                        w.transport.abort()
                    held.clear()
                elif hung:
                    held.add(writer)
                    await reader.read()  # until the client gives up or /recover drops it
                    held.discard(writer)
                    return
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def main():
        server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=4096)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


async def one_request(host, port, path, timeout):
    writer = None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: storm.test\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        status = int(head.split(" ", 2)[1]) if head.startswith("HTTP/") else 0
        upstream = 1 if "\nx-echo-upstream:" in head.lower() else 0
        allowed = 1 if "\nx-auth: ok" in head.lower() else 0
        return status, upstream, allowed
    except asyncio.TimeoutError:
        return -1, 0, 0  # no answer within the client's timeout
    except (ConnectionError, OSError):
        return -2, 0, 0  # connection refused or reset
    finally:
        if writer is not None:
            writer.close()


def pace(url, rate, seconds, out):
    assert url.startswith("http://127.0.0.1:"), "loopback only"
    hostport, _, path = url[len("http://"):].partition("/")
    host, port = hostport.split(":")
    total = int(rate * seconds)
    results = []

    async def run(i, start):
        sent = time.monotonic()
        status, upstream, allowed = await one_request(host, int(port), f"/{path}?i={i}", 90)
        results.append((sent - start, status, time.monotonic() - sent, upstream, allowed))

    async def main():
        start = time.monotonic()
        print(f"{time.time():.3f}", file=open(out + ".start", "w"))
        tasks = []
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(run(i, start)))
        await asyncio.gather(*tasks)

    asyncio.run(main())
    with open(out, "w") as f:
        for sent, status, latency, upstream, allowed in sorted(results):
            f.write(f"{sent:.3f} {status} {latency:.3f} {upstream} {allowed}\n")


def sample(pid, out, seconds):
    end = time.monotonic() + seconds
    with open(out, "a") as f:
        while time.monotonic() < end:
            try:
                status = open(f"/proc/{pid}/status").read()
                rss = int(status.split("VmRSS:")[1].split()[0])
                threads = int(status.split("Threads:")[1].split()[0])
                fds = len(os.listdir(f"/proc/{pid}/fd"))
            except (OSError, IndexError):
                f.write(f"{time.time():.0f} gone\n")
                return
            f.write(f"{time.time():.0f} {rss} {threads} {fds}\n")
            f.flush()
            time.sleep(1)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "dependency":
        dependency(int(sys.argv[2]))
    elif cmd == "pace":
        pace(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    elif cmd == "sample":
        sample(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
    else:
        sys.exit(__doc__)
