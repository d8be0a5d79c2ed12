"""A farm of feeds for bench/fleet.py: one asyncio process, many host addresses.

Feed i lives on host i % HOSTS (each host an address of its own, port 8080),
at /feed/i. A hash of i decides what it does: 2 % fail (HTTP 500), 2 % answer
429 with Retry-After (which holds back their whole host), 10 % are slow (8 s),
the rest answer in 1.5 to 3.5 s (what government sites often take). Answers are RSS with ETags; a
feed gains an item every 20 s, and a request whose If-None-Match is current
gets a 304. The latency is what makes the fetches I/O-bound, as fetches of
government sites are: it is the wait that more workers overlap.

Every request is logged (host, feed, start, end, status, items served) and
the log written as JSON lines when the farm gets SIGTERM.

    python bench/fleet_farm.py --addresses 127.0.1.1,... --feeds 2000 --log FILE
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import time

PORT = 8080
NEW_ITEM_EVERY = 20.0
RETRY_AFTER = 10


def kind_of(feed: int, hosts: int) -> str:
    """2 % fail, 2 % answer 429, 10 % are slow; spread over the hosts by a hash."""
    share = (feed // hosts * 7919 + feed * 104729) % 100
    if share < 2:
        return "failing"
    if share < 4:
        return "429"
    return "slow" if share < 14 else "normal"


def latency(feed: int, kind: str) -> float:
    if kind == "slow":
        return 8.0
    if kind in ("failing", "429"):
        return 0.3
    return 1.5 + 2 * (feed * 7919 % 1000) / 1000  # 1.5 to 3.5 s, fixed per feed


def rss(feed: int, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Farm feed {feed} entry {n}</title>"
        f"<link>http://farm.example/{feed}/{n}</link><guid>farm-{feed}-{n}</guid>"
        f"<pubDate>Mon, 01 Jun 2026 10:{n % 60:02d}:00 GMT</pubDate>"
        f"<description>Export controls notice {n} of feed {feed}.</description></item>"
        for n in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Farm feed {feed}</title>'
        f"<link>http://farm.example/{feed}</link>{entries}</channel></rss>"
    ).encode()


class Farm:
    def __init__(self, hosts: int, feeds: int) -> None:
        self.hosts, self.feeds = hosts, feeds
        self.t0 = time.monotonic()
        self.log: list[tuple[str, int, float, float, int, int]] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        start = time.time()
        host = writer.get_extra_info("sockname")[0]
        status, served, feed = 400, 0, -1
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            path = head.split(" ", 2)[1]
            feed = int(path.rsplit("/", 1)[-1])
            sent_etag = ""
            for line in head.split("\r\n"):
                if line.lower().startswith("if-none-match:"):
                    sent_etag = line.split(":", 1)[1].strip()
            kind = kind_of(feed, self.hosts)
            await asyncio.sleep(latency(feed, kind))
            status, body, extra = self.answer(feed, kind, sent_etag)
            served = int(extra.pop("X-Items", "0"))
            lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
            lines += [f"{k}: {v}" for k, v in extra.items()]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await writer.drain()
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            served = 0
        finally:
            writer.close()
            self.log.append((host, feed, start, time.time(), status, served))

    def answer(self, feed: int, kind: str, sent_etag: str) -> tuple[int, bytes, dict[str, str]]:
        if kind == "failing":
            return 500, b"down", {}
        if kind == "429":
            return 429, b"slow down", {"Retry-After": str(RETRY_AFTER)}
        items = 3 + int((time.monotonic() - self.t0) / NEW_ITEM_EVERY)
        etag = f'"{feed}-{items}"'
        if sent_etag == etag:
            return 304, b"", {"ETag": etag}
        headers = {"ETag": etag, "Content-Type": "application/rss+xml", "X-Items": str(items)}
        return 200, rss(feed, items), headers


async def main(addresses: list[str], feeds: int, log_path: str) -> None:
    farm = Farm(len(addresses), feeds)
    servers = [
        await asyncio.start_server(farm.handle, address, PORT, backlog=512) for address in addresses
    ]
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("farm ready", flush=True)
    await stop.wait()
    for server in servers:
        server.close()
    with open(log_path, "w", encoding="utf-8") as out:
        for row in farm.log:
            out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--addresses", required=True)
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    asyncio.run(main(args.addresses.split(","), args.feeds, args.log))
