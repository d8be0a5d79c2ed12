"""Cheaper ways for a whoosh writer to take a batch of documents, same index.

Two costs of whoosh's `SegmentWriter` that a catch-up batch does not need:

- Its posting pool keeps every posting as a 5-tuple (field, term, docnum,
  weight, value) and sorts them all at commit: about a fifth of indexing's
  time. `TermPool` files each posting under its (field, term) as it arrives
  and sorts only the distinct terms; a document's postings arrive in
  document order, so each term's list is sorted already. It hands the
  field writer exactly the sequence whoosh's pool would, so the segment
  written is the same byte for byte. Past `SPILL` postings (a merge of many
  segments) it hands everything to whoosh's own pool, which sorts on disk.
- `update_document` looks every unique key up through a searcher (a
  postings read per document) even when the term is in no segment, as for
  every new item. `replace_documents` asks the segments' term tables first
  and looks up, exactly as whoosh does, only the keys some segment holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.fields import FieldType
from whoosh.writing import PostingPool, SegmentWriter

Posting = tuple[str, bytes, int, float, bytes | None]
SPILL = 3_000_000  # postings held in memory before whoosh's pool takes over


class TermPool:
    """A posting pool that groups by (field, term) instead of sorting postings."""

    def __init__(self, writer: SegmentWriter) -> None:
        self._writer = writer
        self._fields: dict[str, dict[bytes, list[tuple[int, float, bytes | None]]]] = {}
        self._last_doc = -1
        self._in_order = True
        self._count = 0
        self._plain = False
        self._spilled: PostingPool | None = None
        self.fieldnames: set[str] = set()

    def add(self, item: Posting) -> None:
        if self._spilled is not None:
            self._spilled.add(item)
            return
        fieldname, tbytes, docnum, weight, vbytes = item
        if docnum < 0:
            self._plain = True  # whoosh's spelling hack: leave it to add_postings
        self._saw(docnum, 1)
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        found = terms.get(tbytes)
        if found is None:
            terms[tbytes] = [(docnum, weight, vbytes)]
        else:
            found.append((docnum, weight, vbytes))
        if self._count > SPILL:
            self._spill()

    def add_terms(
        self, fieldname: str, docnum: int, terms: Iterable[Any], boost: float, scorable: bool
    ) -> int:
        """`add` for each (term bytes, frequency, weight, value) of one field of
        one document, as `SegmentWriter.add_document` would; returns the length."""
        if self._spilled is not None:
            return _add_terms_to(self._spilled, fieldname, docnum, terms, boost, scorable)
        table = self._fields.get(fieldname)
        if table is None:
            table = self._fields[fieldname] = {}
        length = added = 0
        for tbytes, freq, weight, vbytes in terms:
            weight *= boost
            if scorable:
                length += freq
            found = table.get(tbytes)
            if found is None:
                table[tbytes] = [(docnum, weight, vbytes)]
            else:
                found.append((docnum, weight, vbytes))
            added += 1
        self._saw(docnum, added)
        if self._count > SPILL:
            self._spill()
        return length

    def _saw(self, docnum: int, count: int) -> None:
        if docnum < self._last_doc:
            self._in_order = False  # e.g. a merged segment's postings, term by term
        self._last_doc = docnum
        self._count += count

    def _spill(self) -> None:
        writer = self._writer
        pool = PostingPool(writer._tempstorage, writer.newsegment)
        for posting in self._postings():
            pool.add(posting)
        self._fields.clear()
        self._spilled = pool

    def _postings(self) -> Iterator[Posting]:
        for fieldname, tbytes, postings in self.grouped():
            for docnum, weight, vbytes in postings:
                yield fieldname, tbytes, docnum, weight, vbytes

    def grouped(self) -> Iterator[tuple[str, bytes, list[tuple[int, float, bytes | None]]]]:
        """(field, term, postings in document order) in the order whoosh sorts them."""
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for tbytes in sorted(terms):
                postings = terms[tbytes]
                if not self._in_order:
                    postings.sort()
                yield fieldname, tbytes, postings

    def iter_postings(self) -> Iterable[Any]:
        if self._spilled is not None:
            return self._spilled.iter_postings()  # type: ignore[no-any-return]
        if self._plain:
            return self._postings()
        return GroupedPostings(self)

    def cleanup(self) -> None:
        self._fields.clear()
        if self._spilled is not None:
            self._spilled.cleanup()


def _add_terms_to(
    pool: PostingPool, fieldname: str, docnum: int, terms: Iterable[Any], boost: float,
    scorable: bool,
) -> int:  # fmt: skip
    length = 0
    for tbytes, freq, weight, vbytes in terms:
        weight *= boost
        if scorable:
            length += freq
        pool.add((fieldname, tbytes, docnum, weight, vbytes))
    return length


class GroupedPostings:
    """What `TermPool.iter_postings` hands the field writer: whoosh's postings
    when iterated, and `grouped()` for a writer that takes a term at a time."""

    def __init__(self, pool: TermPool) -> None:
        self._pool = pool

    def __iter__(self) -> Iterator[Posting]:
        return self._pool._postings()

    def grouped(self) -> Iterator[tuple[str, bytes, list[tuple[int, float, bytes | None]]]]:
        return self._pool.grouped()


def write_grouped(fieldwriter: Any, schema: Any, lengths: Any, postings: GroupedPostings) -> None:
    """`FieldWriter.add_postings` for grouped postings: each term's block(s) are
    filled in one step instead of a call per posting; the same bytes result."""
    lastfn = None
    field_lengths: list[int] = []
    limit = fieldwriter._codec._blocklimit
    for fieldname, tbytes, found in postings.grouped():
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfn = fieldname
            field_lengths = lengths.field_lengths(fieldname) if lengths else []
        fieldwriter.start_term(tbytes)
        writer = fieldwriter._postwriter
        for start in range(0, len(found), limit):
            if start:
                writer._write_block()
            _fill_block(writer, found[start : start + limit], field_lengths)
        fieldwriter.finish_term()
    if lastfn is not None:
        fieldwriter.finish_field()


def _fill_block(
    writer: Any, block: list[tuple[int, float, bytes | None]], field_lengths: list[int]
) -> None:
    """What `add_posting` would leave in `writer`'s buffer after adding `block`."""
    ids = [posting[0] for posting in block]
    weights = [posting[1] for posting in block]
    writer._ids.extend(ids)
    writer._weights.extend(weights)
    top = max(weights)
    writer._maxweight = top if top > 0 else 0
    writer._values = [posting[2] for posting in block if posting[2]]
    count = len(field_lengths)
    found = [n for n in (field_lengths[d] if d < count else 0 for d in ids) if n]
    if found:
        writer._minlength = min(found)
        writer._maxlength = max(found)


def use_term_pool(writer: SegmentWriter) -> SegmentWriter:
    """Give a fresh writer (no document added yet) a `TermPool`."""
    assert not writer._added, "the pool is swapped before any document is added"
    writer.pool.cleanup()
    writer.pool = TermPool(writer)
    return writer


def replace_documents(writer: SegmentWriter, documents: Iterable[dict[str, Any]]) -> None:
    """`writer.update_document` for each document, keyed on its unique ``id``.

    Only ids some segment's term table holds are looked up (whoosh's own
    `document_number`, whose document is deleted); the rest are added.
    """
    searcher = writer.searcher()
    reader = searcher.reader()
    for fields in documents:
        key = fields["id"]
        if ("id", key) in reader:
            docnum = searcher.document_number(id=key)
            if docnum is not None:
                writer.delete_document(docnum)
        add_document(writer, fields)


def add_document(writer: SegmentWriter, fields: dict[str, Any]) -> None:
    """`writer.add_document(**fields)` with the postings handed to its `TermPool`
    a field at a time (whoosh's own method makes a tuple and a call per posting)."""
    pool, schema = writer.pool, writer.schema
    fieldnames = sorted(name for name in fields if not name.startswith("_"))
    writer._check_fields(schema, fieldnames)
    if not isinstance(pool, TermPool) or any(
        schema[name].separate_spelling() or schema[name].vector for name in fieldnames
    ):
        writer.add_document(**fields)
        return
    writer._check_state()
    perdocwriter = writer.perdocwriter
    docnum = writer.docnum
    docboost = writer._doc_boost(fields)
    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                boost = writer._field_boost(fields, fieldname, docboost)
                terms = _index(field, value)
                length = pool.add_terms(fieldname, docnum, terms, boost, field.scorable)
            stored = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
            column = field.column_type
            if column and stored is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(stored))
    except Exception:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1


_TERM_BYTES: dict[str, bytes] = {}


def _index(field: Any, value: Any) -> Iterable[Any]:
    """`field.index(value)`: whoosh's, or for its default method the same
    tuples with each term's UTF-8 bytes remembered instead of encoded again."""
    if type(field).index is not FieldType.index or not field.format:
        return field.index(value)  # type: ignore[no-any-return]
    if not isinstance(value, str | list | tuple):
        raise ValueError(f"{value!r} is not unicode or sequence")
    direct = getattr(field.format, "index_terms", None)
    terms = direct(value, field.analyzer) if direct else None
    if terms is not None:
        return terms  # type: ignore[no-any-return]
    if len(_TERM_BYTES) > 500_000:
        _TERM_BYTES.clear()
    cache = _TERM_BYTES
    found = []
    for term, freq, weight, vbytes in field.format.word_values(value, field.analyzer, mode="index"):
        tbytes = cache.get(term)
        if tbytes is None:
            tbytes = cache[term] = term.encode("utf-8")
        found.append((tbytes, freq, weight, vbytes))
    return found
