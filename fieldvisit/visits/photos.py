"""Photos (house, water source, certificates, 整改 evidence) kept beside the database.

A photo file is copied into ``<data dir>/photos/<sha256[:2]>/<sha256>.<ext>``: naming it by
its content means the same picture attached twice is stored once, a sync can tell which
files the other side lacks, and a half-finished copy can never shadow a good one (the
copy goes through ``fieldvisit.files.replacing``). The file is copied before its row is
written, so a crash in between leaves at worst an unreferenced file, never a row without
its file. On a laptop the copy is sealed with the store's key (``Store.files``) and bound
to its name: a picture of a household is never readable off the disk, and a file swapped
for another one is detected when it is read.

Only JPEG and PNG up to 20 MB are accepted, recognised by their first bytes rather than
their name: a cadre's "photo.jpg" may be anything, and these files travel to the county.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from fieldvisit.errors import FieldVisitError
from fieldvisit.sealing import Files, SealedFileError
from fieldvisit.store import Change, Insert, Store
from fieldvisit.store.changes import by_ids
from fieldvisit.store.fields import DIGEST, PHOTO_BYTES
from fieldvisit.store.models import Photo
from fieldvisit.visits.visit import require_draft

MAX_BYTES = PHOTO_BYTES
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
EXTENSIONS = {media_type: ext for _magic, media_type, ext in _MAGIC}
BUNDLE_FOLDER = "photos/"  # where a sync bundle carries photo files, named by hash
_WRITERS = 4


class PhotoError(FieldVisitError):
    """A file that cannot be attached or kept (a bundle's photo refused whole)."""

    reason = "bad-attachment"


@dataclass(frozen=True)
class StoredPhoto:
    sha256: str
    media_type: str
    size: int
    file_name: str


def photo_path(data_dir: Path, sha256: str, media_type: str) -> Path:
    """Where a photo lives: built only from a valid digest and media type, and checked to
    lie inside the photos folder (a row that came in a bundle names both)."""
    if not DIGEST.fullmatch(sha256) or media_type not in EXTENSIONS:
        raise PhotoError(f"照片记录的摘要或类型无效（{sha256[:16]!r}），已拒绝",
                         f"a photo row's digest or type is invalid ({sha256[:16]!r}); refused")
    folder = (Path(data_dir) / "photos").resolve()
    path = (folder / sha256[:2] / f"{sha256}.{EXTENSIONS[media_type]}").resolve()
    if not path.is_relative_to(folder):
        raise PhotoError("照片路径不在照片文件夹内，已拒绝", "a photo path outside the photos "
                         "folder; refused")
    return path


def media_type_of(head: bytes) -> str | None:
    return next((kind for magic, kind, _ext in _MAGIC if head.startswith(magic)), None)


def store_file(files: Files, source: Path) -> StoredPhoto:
    """Check ``source`` and copy it into the photo folder (once per content)."""
    source = Path(source)
    try:
        size = source.stat().st_size
        if not source.is_file():
            raise PhotoError(f"“{source.name}”不是文件", f"'{source.name}' is not a file")
        if size > MAX_BYTES:
            raise PhotoError(
                f"照片“{source.name}”有 {size / 1024 / 1024:.1f} MB，超过 20 MB 的上限，"
                "请压缩后再添加",
                f"the photo '{source.name}' is {size / 1024 / 1024:.1f} MB, over the 20 MB limit")
        digest = hashlib.sha256()
        with open(source, "rb") as handle:
            head = handle.read(16)
            media_type = media_type_of(head)
            if media_type is None:
                raise PhotoError(f"“{source.name}”不是 JPEG 或 PNG 图片",
                                 f"'{source.name}' is not a JPEG or PNG image")
            digest.update(head)
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise PhotoError(f"无法读取“{source.name}”：{error.strerror}",
                         f"cannot read '{source.name}': {error.strerror}") from error
    sha256 = digest.hexdigest()
    target = photo_path(files.folder, sha256, media_type)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        files.copy_in(target, source)
    return StoredPhoto(sha256, media_type, size, source.name)


def read_photo(files: Files, sha256: str, media_type: str) -> bytes:
    """A kept photo's bytes, checked against its digest (a swapped file is refused)."""
    path = photo_path(files.folder, sha256, media_type)
    try:
        data = files.read(path)
    except (OSError, SealedFileError) as error:
        raise PhotoError(f"照片 {sha256[:12]}… 无法读取：{error}",
                         f"the photo {sha256[:12]}… cannot be read: {error}") from error
    if hashlib.sha256(data).hexdigest() != sha256:
        raise PhotoError(f"照片文件 {sha256[:12]}… 与记录不符：它被调换或改动过",
                         f"the photo file {sha256[:12]}… does not match its record: it was "
                         "swapped or altered")
    return data


def store_bytes(files: Files, sha256: str, data: bytes) -> StoredPhoto:
    """Keep a photo that arrived in a sync bundle: it must be the image its name says."""
    media_type = media_type_of(data[:16])
    if (len(data) > MAX_BYTES or media_type is None
            or hashlib.sha256(data).hexdigest() != sha256):
        raise PhotoError(f"同步包中的照片 {sha256[:12]}… 与其内容不符，已拒绝",
                         f"the photo {sha256[:12]}… in the bundle does not match its content")
    target = photo_path(files.folder, sha256, media_type)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        files.write(target, data)
    return StoredPhoto(sha256, media_type, len(data), target.name)


def photo_insert(stored: StoredPhoto, *, visit_id: str | None = None,
                 problem_step_id: str | None = None,
                 question_id: str | None = None) -> Insert:
    """The row for a stored file, to write together with whatever it belongs to."""
    return Insert("photo", {"visit_id": visit_id, "problem_step_id": problem_step_id,
                            "question_id": question_id, "sha256": stored.sha256,
                            "file_name": stored.file_name, "media_type": stored.media_type,
                            "size": stored.size})


def attach(store: Store, source: Path, *, visit_id: str | None = None,
           question_id: str | None = None, problem_step_id: str | None = None) -> str:
    """Copy ``source`` into the data folder and record it; returns the photo id.

    A completed visit is immutable, so photos attach only to drafts.
    """
    if visit_id is not None:
        require_draft(store, visit_id)
    stored = store_file(store.files, source)
    edit = photo_insert(stored, visit_id=visit_id, problem_step_id=problem_step_id,
                        question_id=question_id)
    store.write([edit])
    return edit.id


def photos_of(conn: Connection, *, visit_id: str | None = None,
              problem_step_id: str | None = None) -> list[StoredPhoto]:
    """The photos of a visit or of a ledger step, in the order they were attached."""
    query = select(Photo.sha256, Photo.media_type, Photo.size, Photo.file_name).where(
        Photo.deleted.is_(False))
    if visit_id is not None:
        query = query.where(Photo.visit_id == visit_id)
    if problem_step_id is not None:
        query = query.where(Photo.problem_step_id == problem_step_id)
    return [StoredPhoto(*row) for row in conn.execute(query.order_by(Photo.id))]


def bundle_files(data_dir: Path, conn: Connection, changes: list[Change]) -> dict[str, Path]:
    """The files of the photo rows inserted in ``changes``, as bundle members (a laptop's
    exports, the county's return bundles and enrollment files all carry them); the
    bundle writer reads them through the store's ``files``."""
    ids = [c.entity_id for c in changes if c.entity == "photo" and c.field is None]
    found: dict[str, Path] = {}
    for rows in by_ids(conn, select(Photo.sha256, Photo.media_type), Photo.id, ids):
        for sha, media_type in rows:
            try:
                path = photo_path(data_dir, sha, media_type)
            except PhotoError:
                continue  # a stored row from before the field rules: never a path
            if path.exists():
                found[f"{BUNDLE_FOLDER}{sha}"] = path
    return found


def keep_bundle_files(kept: Files, files: dict[str, bytes]) -> None:
    """Keep a bundle's photos by content hash, each checked against its name, before the
    rows that refer to them are applied (a stray file is harmless; a missing one is not).

    A few at once: each photo waits for its own flush to disk, and hashing and writing
    release the interpreter lock, so a bundle of 1,000 photos is kept in far less time."""
    items = [(name.removeprefix(BUNDLE_FOLDER), data) for name, data in files.items()
             if name.startswith(BUNDLE_FOLDER)]
    if not items:
        return
    pool = ThreadPoolExecutor(max_workers=min(_WRITERS, len(items)))
    try:
        for _stored in pool.map(lambda item: store_bytes(kept, *item), items):
            pass
    finally:
        pool.shutdown(cancel_futures=True)
