"""Content codings undone in bounded steps, however the body is cut into chunks."""

from __future__ import annotations

import gzip
import os
import zlib

import pytest

from tracker.content_coding import STEP, BodyDecoder, CodingRefused

LARGE = os.urandom(50_000) + bytes(2_000_000) + b"the end"
SMALL = os.urandom(1_000) + bytes(3_000) + b"the end"  # byte by byte, quickly

# Each way a server may send a body, as (Content-Encoding values, encoder).
ENCODINGS = {
    "none": ([], lambda data: data),
    "gzip": (["gzip"], gzip.compress),
    "x-gzip": (["x-gzip"], gzip.compress),
    "deflate": (["deflate"], zlib.compress),
    "raw-deflate": (["deflate"], lambda data: zlib.compress(data)[2:-4]),  # no zlib header
    "identity-layers": (["identity", "gzip", "identity"], gzip.compress),
    "two-members": (["gzip"], lambda data: gzip.compress(data[:999]) + gzip.compress(data[999:])),
    "padding-after": (["gzip"], lambda data: gzip.compress(data) + b"\0\0 padding"),
}


def _decode(codings: list[str], body: bytes, chunk: int) -> tuple[bytes, int]:
    """The decoded body, and the largest piece any one step returned."""
    decoder = BodyDecoder(codings)
    out, largest = bytearray(), 0
    for start in range(0, len(body), chunk):
        for piece in decoder.feed(body[start : start + chunk]):
            largest = max(largest, len(piece))
            out += piece
    out += decoder.finish()
    return bytes(out), largest


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("chunk", [1, 2, 7, 65_536, 1 << 22])
def test_every_cut_decodes_to_the_same_bytes_in_bounded_steps(encoding: str, chunk: int) -> None:
    codings, encode = ENCODINGS[encoding]
    data = SMALL if chunk < 8 else LARGE
    decoded, largest = _decode(codings, encode(data), chunk)
    assert decoded == data
    assert largest <= STEP


@pytest.mark.parametrize("chunk", [1, 2, 3, 64])
def test_small_gzip_members_split_anywhere(chunk: int) -> None:
    text = b"member one, " * 20
    body = gzip.compress(text) + gzip.compress(b"member two")
    assert _decode(["gzip"], body, chunk)[0] == text + b"member two"


def test_a_bomb_comes_out_one_step_at_a_time() -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join([packer.compress(bytes(1 << 20)) for _ in range(64)] + [packer.flush()])
    decoder = BodyDecoder(["gzip"])
    pieces = decoder.feed(bomb)  # 64 MiB of zeros from about 64 KB
    assert len(next(pieces)) == STEP  # the first step stops at STEP, the rest wait
    assert sum(1 for _ in pieces) == (64 << 20) // STEP - 1


@pytest.mark.parametrize(
    ("codings", "reason"),
    [
        (["gzip", "gzip"], "compressed more than once (Content-Encoding: gzip, gzip)"),
        (["deflate", "gzip"], "compressed more than once"),
        (["br"], "unsupported Content-Encoding 'br'"),
        (["zstd"], "unsupported Content-Encoding 'zstd'"),
        (["compress"], "unsupported Content-Encoding 'compress'"),
    ],
)
def test_layers_and_unknown_codings_are_refused_before_decoding(
    codings: list[str], reason: str
) -> None:
    with pytest.raises(CodingRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        BodyDecoder(codings)


def test_a_corrupt_body_is_refused() -> None:
    with pytest.raises(CodingRefused, match="the gzip body is corrupt"):
        _decode(["gzip"], b"\x1f\x8b\x08\x00" + b"\xff" * 64, 65_536)
