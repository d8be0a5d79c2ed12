"""Index files read in place, through a memory map, never copied whole.

whoosh maps a segment's compound file and then hands each of its parts (the
postings, the term table, the stored fields, each column) to its readers as
a `BytesIO` of that part: a copy, in the process's own memory, of every part
a search ever opens. A worker so holds most of the index twice (its copies,
and the mapped pages it copied them from): 2.2 GB at a million items, for a
1 GB index, and again in every worker.

Here a part is a window on the map: a read copies only the bytes read, and
the mapped pages are the kernel's page cache, shared by every process that
reads the same index and given back under memory pressure.
"""

from __future__ import annotations

import mmap
import os
from array import array
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.system import IS_LITTLE

__all__ = ["MappedStorage"]


class _Window:
    """A read-only file on bytes `start` to `end` of a map (what `BytesIO` offers)."""

    def __init__(self, data: mmap.mmap, start: int, end: int) -> None:
        self._data, self._start, self._end = data, start, end
        self._pos = start
        self.closed = False

    def read(self, size: int | None = -1) -> bytes:
        stop = self._end if size is None or size < 0 else min(self._end, self._pos + size)
        stop = max(stop, self._pos)
        found = self._data[self._pos : stop]
        self._pos = stop
        return found

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        found = self.read(len(view))
        view[: len(found)] = found
        return len(found)

    def readline(self, size: int | None = -1) -> bytes:
        newline = self._data.find(b"\n", self._pos, self._end)
        stop = self._end if newline < 0 else newline + 1
        if size is not None and size >= 0:
            stop = min(stop, self._pos + size)
        return self.read(stop - self._pos)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: self._start, os.SEEK_CUR: self._pos, os.SEEK_END: self._end}[whence]
        self._pos = max(self._start, base + offset)
        return self._pos - self._start

    def tell(self) -> int:
        return self._pos - self._start

    def close(self) -> None:
        self.closed = True


class MappedFile(StructFile):
    """whoosh's structured file over a window of a map; parts are windows too."""

    def __init__(self, data: mmap.mmap, start: int, end: int, name: str | None = None) -> None:
        super().__init__(_Window(data, start, end), name=name)
        self._data, self._start, self._end = data, start, end

    def subset(self, position: int, length: int, name: str | None = None) -> MappedFile:
        start = self._start + position
        return MappedFile(self._data, start, start + length, name=name or self._name)

    def get(self, position: int, length: int) -> bytes:
        start = self._start + position
        return self._data[start : min(start + length, self._end)]

    def get_array(self, position: int, typecode: str, length: int) -> Any:
        found = array(typecode)
        found.frombytes(self.get(position, length * found.itemsize))
        if IS_LITTLE:
            found.byteswap()
        return found

    def close(self) -> None:
        # The map is shared with the other parts of the file: it is unmapped
        # when the last of them is gone, not when one is closed.
        if self.is_closed:  # type: ignore[has-type]
            return
        self.is_closed = True
        if self.onclose:
            self.onclose(self)


class MappedStorage(FileStorage):
    """A folder whose files are opened as maps for reading.

    `supports_mmap` is False so that whoosh's compound storage asks the file
    for its parts (`MappedFile.subset`) instead of copying them out of its
    own map. With `writable`, new files are written as whoosh writes them
    (a writer reads the segments it keeps through maps too: whoosh's own
    storage copies their postings and term tables for every writer, about
    a second per catch-up at a million items).
    """

    supports_mmap = False

    def __init__(self, folder: str, writable: bool = False) -> None:
        super().__init__(folder, supports_mmap=False, readonly=not writable)

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        with open(self._fpath(name), "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if not size:  # an empty file cannot be mapped
                return StructFile(open(self._fpath(name), "rb"), name=name, **kwargs)
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        found = MappedFile(data, 0, size, name=name)
        found.onclose = kwargs.get("onclose")
        return found
