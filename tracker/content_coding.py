"""HTTP content codings (gzip, deflate) undone in bounded steps.

httpx's own decoders inflate each network chunk whole: 64 KiB of gzip'd zeros
becomes 64 MiB in one call, and a second layer (``Content-Encoding: gzip,
gzip``) turns a 2 KB body into gigabytes before any size check runs. Here no
step yields more than `STEP` bytes, so a caller that counts what comes out
stops a bomb at its cap, and more than one layer is refused outright: no
server needs it, and only a bomb gains from it.

Pure: bytes in, bytes out. `fetch` feeds it the raw body.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

STEP = 64 * 1024  # largest piece one decompression call may return
# What we ask servers for: exactly what `BodyDecoder` undoes. httpx would add
# br or zstd as soon as their packages were installed, and those would then
# arrive undecoded (or unbounded).
ACCEPT_ENCODING = "gzip, deflate"

_GZIP = zlib.MAX_WBITS | 16
_ZLIB = zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS
_GZIP_MAGIC = b"\x1f\x8b"
_CODINGS = {"gzip": _GZIP, "x-gzip": _GZIP, "deflate": _ZLIB}


class CodingRefused(Exception):
    """A body whose content coding cannot be undone safely; `str()` is one line."""


class BodyDecoder:
    """Undo at most one content coding, in pieces of at most `STEP` bytes."""

    def __init__(self, codings: Iterable[str]) -> None:
        """`codings` as listed in Content-Encoding; raises `CodingRefused`."""
        named = [c.strip().lower() for c in codings]
        layers = [c for c in named if c and c != "identity"]
        if len(layers) > 1:
            raise CodingRefused(
                f"refused: the body is compressed more than once (Content-Encoding: "
                f"{', '.join(layers)}); only one layer of gzip or deflate is accepted"
            )
        if layers and layers[0] not in _CODINGS:
            raise CodingRefused(
                f"refused: unsupported Content-Encoding {layers[0]!r} (gzip or deflate only)"
            )
        self.coding = layers[0] if layers else None
        self._wbits = _CODINGS[self.coding] if self.coding else 0
        self._inflate = zlib.decompressobj(self._wbits) if self.coding else None
        # Bytes held back until the next chunk: deflate's first two (zlib or raw?),
        # or the first byte of a gzip member's magic number.
        self._head: bytes | None = b""
        self._ended = False  # the coded stream is over; what follows is ignored

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """Decoded pieces of `raw`, each at most `STEP` bytes long."""
        if self._inflate is None:
            for start in range(0, len(raw), STEP):
                yield raw[start : start + STEP]
            return
        data = raw
        if self.coding == "deflate" and self._head is not None:
            data = self._choose_deflate(self._head + data)
        elif self._head:
            data, self._head = self._head + data, b""
        while data and not self._ended:
            piece, data = self._step(data)
            if piece:
                yield piece

    def _step(self, data: bytes) -> tuple[bytes, bytes]:
        """One bounded call: (output, input still to decode)."""
        assert self._inflate is not None
        if self._inflate.eof:  # a gzip member ended exactly where the last chunk did
            if self.coding != "deflate" and data == _GZIP_MAGIC[:1]:
                self._head = data  # the next member's magic number, cut in two
                return b"", b""
            if self.coding == "deflate" or not data.startswith(_GZIP_MAGIC):
                self._ended = True
                return b"", b""
            self._inflate = zlib.decompressobj(self._wbits)
        try:
            piece = self._inflate.decompress(data, STEP)
        except zlib.error as exc:
            raise CodingRefused(f"the {self.coding} body is corrupt ({exc})") from None
        if self._inflate.eof:
            # A gzip body may hold several members one after another (checked
            # at the next step); anything else after the end is padding,
            # ignored as browsers do.
            return piece, self._inflate.unused_data
        return piece, self._inflate.unconsumed_tail

    def _choose_deflate(self, data: bytes) -> bytes:
        """Many servers send raw deflate without the zlib header RFC 9110 asks
        for; browsers accept both, and so do we. Returns what to decode now."""
        if len(data) < 2:
            self._head = data
            return b""
        self._head = None
        cmf, flg = data[0], data[1]
        if cmf & 0x0F != 8 or (cmf * 256 + flg) % 31:  # not a zlib header
            self._inflate = zlib.decompressobj(_RAW_DEFLATE)
        return data

    def finish(self) -> bytes:
        """What the decoder still holds once the raw body has ended (a few bytes)."""
        if self._inflate is None:
            return b""
        try:
            # Every input byte went through `feed` with a bound, so what is
            # left is at most zlib's window, never a bomb's worth.
            return self._inflate.flush(STEP)
        except zlib.error as exc:
            raise CodingRefused(f"the {self.coding} body is corrupt ({exc})") from None
