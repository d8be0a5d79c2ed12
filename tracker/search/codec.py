"""whoosh's W3 codec with posting blocks stored as packed arrays.

W3 pickles each block of 128 postings (protocol 2, then zlib) as tuples of
Python ints, floats and one bytes object per posting (its positions, pickled
again). Reading a block back costs about a microsecond per posting, which
puts a search that counts and ranks every match far beyond 50 ms at 100,000
items. Here a block holds packed arrays: ids (deltas) and frequencies,
unpickled with one copy each, and the positions as one compressed blob that
is only opened for phrase queries. The file layout, the block headers and the
whoosh API stay the same (whoosh's own matchers, deletions and look-ups keep
working), and `ArrayLeafMatcher.blocks` hands whole blocks to
`tracker.search.evaluate`, which scores them without a call per posting.

Index files are only read on the machine (byte order) that wrote them, as
whoosh's own table of contents already requires.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterator
from itertools import accumulate, pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh import formats
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
)
from whoosh.matching import ListMatcher
from whoosh.util.numeric import length_to_byte

from tracker.search.analysis import CachedAnalyzer, term_positions
from tracker.search.batch_writing import GroupedPostings, write_grouped

UINT = "I"
# A posting list read whole: docnums, frequencies, where each block starts in
# them, and each block's raw weights and raw values.
Whole = tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int64], list[Any], list[Any]]
_INT = struct.Struct("!i")  # a block's size, as whoosh writes it
assert array(UINT).itemsize == 4, "positions need 32-bit unsigned arrays"


class ArrayPositions(formats.Positions):
    """Term positions as a packed array instead of a pickled list of deltas."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple]:
        terms = getattr(analyzer, "terms", None)
        if terms is None or not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        # Indexing's hot path: terms straight from the cached analyzer.
        positions: dict[str, list[int]] = {}
        for position, term in enumerate(terms(value)):
            positions.setdefault(term, []).append(position)
        boost = self.field_boost
        for term, found in positions.items():
            yield term, len(found), len(found) * boost, array(UINT, found).tobytes()

    def index_terms(self, value: Any, analyzer: Any) -> list[tuple] | None:
        """`FieldType.index`'s tuples (term bytes, frequency, weight, positions) for
        a string and the cached analyzer, without a str term in between; None
        for anything else."""
        if not isinstance(value, str) or not isinstance(analyzer, CachedAnalyzer):
            return None
        boost = self.field_boost
        return [
            (term, len(found), len(found) * boost, array(UINT, found).tobytes())
            for term, found in term_positions(value).items()
        ]

    def encode(self, poslist: list[int]) -> bytes:
        return array(UINT, poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return array(UINT, valuestring).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


def _packed(values: Any, small: str, large: str) -> array[Any]:
    return array(small if max(values) < 65536 else large, values)


class ArrayPostingsWriter(W3PostingsWriter):
    """Writes each block as (id deltas, frequencies, compressed values)."""

    def add_posting(self, id_: Any, weight: float, vbytes: bytes, length: Any = None) -> None:
        # W3's version, less its type assertions (a fifth of its cost).
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:  # type: ignore[has-type]
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:  # type: ignore[has-type]
                self._minlength = length
            if length > self._maxlength:  # type: ignore[has-type]
                self._maxlength = length

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        data = pickle.dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 4)
        info = (
            len(ids),
            ids[-1],
            self._maxweight,
            0,  # the block itself is not compressed; only its values blob is
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        infobytes = pickle.dumps(info, 2)
        size = len(infobytes) + len(data)
        self._postfile.write_int(-size if last else size)
        self._postfile.write(infobytes)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def _mini_ids(self) -> Any:
        if self._byteids:
            return super()._mini_ids()
        ids = self._ids
        return _packed([ids[0], *(b - a for a, b in pairwise(ids))], "H", "I")

    def _mini_weights(self) -> Any:
        weights = self._weights
        first = weights[0]
        if all(w == first for w in weights):
            return None if first == 1.0 else first
        if all(w.is_integer() and w < 256 for w in weights):
            return array("B", map(int, weights))
        return weights

    def _mini_values(self) -> Any:
        size = self._format.fixed_value_size()
        if size is not None and size >= 0:
            return super()._mini_values()
        values = self._values
        blob = zlib.compress(b"".join(values), 1)
        return blob, _packed(list(map(len, values)), "H", "I")


class ArrayLeafMatcher(W3LeafMatcher):
    """Reads blocks written by `ArrayPostingsWriter`."""

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        raw = self._data[0]
        self._ids = raw if self._byteids else list(accumulate(raw))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        raw = self._data[1]
        if raw is None or isinstance(raw, float):
            self._weights = array("f", [1.0 if raw is None else raw]) * self._blocklength
        else:
            self._weights = array("f", raw)

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        raw = self._data[2]
        if isinstance(raw, tuple):
            self._values = tuple(split_values(raw))
        else:
            super()._read_values()

    def blocks(self, offset: int) -> Iterator[tuple[NDArray[np.int64], Any, Any]]:
        """Each block as (docnums + offset, frequencies, raw values).

        Docnums are a numpy array; frequencies are None (all 1), one float for
        all, or an array; raw values go to `block_positions` for phrases.
        """
        whole = self.whole(offset)
        if whole is None:  # a compressed block: not one of ours
            yield from self._blocks_one_by_one(offset)
            return
        docnums, _freqs, starts, weights, values = whole
        yield from zip(np.split(docnums, starts[1:]), weights, values, strict=True)

    def whole(self, offset: int) -> Whole | None:
        """The whole posting list: docnums + offset, frequencies, where each block
        starts, and each block's raw weights and raw values; None if a block is
        compressed.

        Read in one piece (whoosh reads a block's header in a dozen small reads)
        with one cumulative sum for all the blocks' id deltas.
        """
        assert not self._byteids, "document postings have integer ids"
        # whoosh reads a stored extent's length as a 1-tuple (unpack without [0]).
        length = self._length[0] if isinstance(self._length, tuple) else self._length
        stream = io.BytesIO(self._postfile.get(self._startoffset, length))
        stream.seek(len(WHOOSH3_HEADER_MAGIC))
        ids, weights, values, last = [], [], [], []
        while True:
            start = stream.tell()
            size = _INT.unpack(stream.read(_INT.size))[0]
            info = pickle.load(stream)
            if info[3]:
                return None
            block = pickle.load(stream)
            ids.append(np.asarray(block[0]))
            weights.append(block[1])
            values.append(block[2])
            last.append(info[1])
            if size < 0:
                break
            stream.seek(start + _INT.size + size)
        sizes = [len(part) for part in ids]
        deltas = np.concatenate(ids).astype(np.int64)
        starts = np.cumsum([0, *sizes[:-1]])
        # Each block starts from its own first id: from the previous block's last.
        deltas[starts[1:]] -= np.asarray(last[:-1], dtype=np.int64)
        docnums = np.cumsum(deltas) + offset
        freqs = np.ones(len(docnums))
        for at, count, weight in zip(starts.tolist(), sizes, weights, strict=True):
            if weight is not None:
                freqs[at : at + count] = weight  # one float for all, or one each
        return docnums, freqs, starts, weights, values

    def _blocks_one_by_one(self, offset: int) -> Iterator[tuple[NDArray[np.int64], Any, Any]]:
        """`blocks` through whoosh's own reads."""
        self.reset()
        while self.is_active():
            if self._data is None:
                self._read_data()
            ids, weights, values = self._data
            docnums = np.cumsum(np.asarray(ids), dtype=np.int64)
            docnums += offset
            yield docnums, weights, values
            self._next_block()


class _PreloadedLengths:
    """A per-document reader whose field lengths are read once per document.

    W3 looks a length up in the column file for every posting it writes;
    caching them per field turns a million look-ups into a few thousand.
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            look_up = self._reader.doc_field_length
            count = self._reader.doc_count_all()
            lengths = [look_up(d, fieldname) or 0 for d in range(count)]
            self._lengths[fieldname] = lengths
        return lengths[docnum] if docnum < len(lengths) else default

    def field_lengths(self, fieldname: str) -> list[int]:
        """Every document's length in `fieldname`, by document number."""
        self.doc_field_length(0, fieldname)
        return self._lengths[fieldname]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


class ArrayFieldWriter(W3FieldWriter):
    """W3's field writer, reading field lengths through `_PreloadedLengths`."""

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        preloaded = _PreloadedLengths(lengths) if lengths else None
        if isinstance(items, GroupedPostings):
            write_grouped(self, schema, preloaded, items)
        else:
            super().add_postings(schema, preloaded, items)


class ArrayCodec(W3Codec):
    """W3 with `ArrayPostingsWriter` blocks of up to 1,024 postings.

    W3's 128-posting blocks let whoosh's matchers skip ahead; our evaluator
    reads whole posting lists, and bigger blocks mean fewer headers to read.
    """

    def __init__(self, blocklimit: int = 1024, compression: int = 3, inlinelimit: int = 1):
        super().__init__(blocklimit, compression, inlinelimit)

    def field_writer(self, storage: Any, segment: Any) -> ArrayFieldWriter:
        return ArrayFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> ArrayPostingsWriter:
        return ArrayPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(
                ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo
            )
        offset, length = terminfo.extent()
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


def split_values(values: Any) -> list[bytes]:
    """A block's raw values (compressed blob, sizes) as one value per posting."""
    blob, sizes = values[0], values[1]
    blob = zlib.decompress(blob)
    ends = list(accumulate(sizes))
    return [blob[start:end] for start, end in zip([0, *ends], ends, strict=False)]


def block_positions(values: Any) -> tuple[bytes, NDArray[np.intp]]:
    """A block's positions (packed 32-bit), and how many each posting has."""
    if isinstance(values, tuple):
        # (compressed positions, byte size of each posting's positions, ...)
        sizes = values[1]
        counts = np.frombuffer(sizes, dtype=sizes.typecode).astype(np.intp) // 4
        return zlib.decompress(values[0]), counts
    # One encoded value per posting (postings of another layout).
    counts = np.fromiter((len(v) // 4 for v in values), dtype=np.intp, count=len(values))
    return b"".join(values), counts
