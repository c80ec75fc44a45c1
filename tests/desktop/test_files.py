"""Importing dropped files: hashing, types, thumbnails, naming, duplicates, refusals, and all or
nothing."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from desktop.progress import Cancelled, Progress
from desktop.services import files as importer
from desktop.services.changes import Actor, EditRefused
from desktop.services.files import ImportDefaults, ImportRefused
from desktop.services.workspace import Workspace
from desktop.store import records
from desktop.store.db import Store
from desktop.store.files import BlobFiles, FileStoreError
from desktop.store.models import Asset, BlobCache
from tests.desktop.conftest import CAMPAIGN, NOW

DEFAULTS = ImportDefaults(market="de", markets=("de", "fr"), brand="acme", language="de-DE")
TODAY = date(2026, 11, 22)


def make_image(
    path: Path, size: tuple[int, int] = (800, 600), *, fmt: str = "JPEG", **save
) -> Path:
    image = Image.new("RGB", size, (200, 40, 40))
    for x in range(0, size[0], 40):
        for y in range(0, size[1], 40):
            image.putpixel((x, y), (x % 255, y % 255, 90))
    image.save(path, fmt, **save)
    return path


def asset_count(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Asset)) or 0)


def blob_files(store: Store) -> list[Path]:
    return sorted(p for p in (store.data_dir).rglob("*") if p.is_file() and "blobs" in p.parts)


def prepare(store: Store, paths: list[Path], **kw) -> importer.ImportPlan:
    return importer.prepare_import(
        store, BlobFiles(store.data_dir), paths, defaults=kw.pop("defaults", DEFAULTS), today=TODAY
    )


def test_a_drop_is_hashed_copied_thumbnailed_and_created_as_one_undo_step(
    store: Store, ws: Workspace, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    a = make_image(drop / "acme_de_20261124_winter-sale_hero.jpg", (1600, 900))
    b = make_image(drop / "Beach shot.png", (700, 900), fmt="PNG")
    before = asset_count(store)
    plan = prepare(store, [a, b])
    assert not plan.refused and not plan.duplicates and len(plan.items) == 2
    first = plan.items[0]
    assert first.sha256 == hashlib.sha256(a.read_bytes()).hexdigest()
    assert first.data["name"] == "acme_de_20261124_winter-sale_hero"
    assert (first.data["kind"], first.data["mime"]) == ("image", "image/jpeg")
    assert (first.data["width"], first.data["height"]) == (1600, 900)
    assert plan.items[1].data["mime"] == "image/png"
    files = BlobFiles(store.data_dir)
    assert files.blob_path(first.sha256).read_bytes() == a.read_bytes()
    with Image.open(files.thumb_path(first.sha256)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 512
    result = importer.commit_import(ws, files, plan)
    assert asset_count(store) == before + 2
    assert len(result.changeset.changes) == 2 and result.changeset.label == "Import 2 files"
    with store.read() as session:
        cached = session.get(BlobCache, first.sha256)
        assert cached is not None and cached.state == "full" and cached.path
        assert cached.thumbnail_path
    ws.undo()
    with store.read() as session:
        assert all(r["deleted"] for r in records.load(session, "asset", result.asset_ids).values())


def test_names_follow_the_convention_with_the_leads_market_and_defaults(
    store: Store, tmp_path: Path
) -> None:
    plain = make_image(tmp_path / "IMG_2041 sunset.jpg")
    other_market = make_image(tmp_path / "acme_us_20261124_winter-sale_hero.jpg", (300, 300))
    with_campaign = make_image(tmp_path / "Winter Trails close-up.jpg", (310, 300))
    defaults = ImportDefaults(market="fr", markets=("de", "fr"), brand="acme")
    plan = prepare(store, [plain, other_market, with_campaign], defaults=defaults)
    names = [item.data["name"] for item in plan.items]
    assert names[0] == "acme_fr_20261122_import_img-2041-sunset"
    # A lead cannot add another market's asset: the name's market becomes the lead's.
    assert names[1] == "acme_fr_20261124_winter-sale_hero"
    assert plan.items[1].data["market"] == "fr"
    assert plan.items[2].data["campaign_id"] == CAMPAIGN
    assert names[2] == "acme_fr_20261122_winter-trails_close-up"


def test_a_name_already_taken_gets_a_numbered_variant(
    store: Store, ws: Workspace, tmp_path: Path
) -> None:
    one = make_image(tmp_path / "acme_de_20261124_winter-sale_hero.jpg", (400, 400))
    importer.commit_import(ws, BlobFiles(store.data_dir), prepare(store, [one]))
    (tmp_path / "b").mkdir()
    again = make_image(tmp_path / "b" / "acme_de_20261124_winter-sale_hero.jpg", (401, 400))
    plan = prepare(store, [again])
    assert plan.items[0].data["name"] == "acme_de_20261124_winter-sale_hero-2"


def test_duplicates_by_hash_are_recognised_not_imported_again(
    store: Store, ws: Workspace, tmp_path: Path
) -> None:
    original = make_image(tmp_path / "one.jpg")
    importer.commit_import(ws, BlobFiles(store.data_dir), prepare(store, [original]))
    copy = tmp_path / "renamed copy.jpg"
    copy.write_bytes(original.read_bytes())
    twin_a = make_image(tmp_path / "twin a.jpg", (500, 500))
    twin_b = tmp_path / "twin b.jpg"
    twin_b.write_bytes(twin_a.read_bytes())
    plan = prepare(store, [copy, twin_a, twin_b])
    assert [Path(i.path).name for i in plan.items] == ["twin a.jpg"]
    lines = [d.line() for d in plan.duplicates]
    assert lines[0].startswith(
        "renamed copy.jpg: already in the bank as acme_de_20261122_import_one"
    )
    assert lines[1] == "twin b.jpg: the same file as twin a.jpg"


def test_refused_files_are_listed_with_plain_reasons(store: Store, tmp_path: Path) -> None:
    good = make_image(tmp_path / "good.jpg")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    text = tmp_path / "notes.jpg"
    text.write_text("this is not a picture")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(make_image(tmp_path / "src.jpg").read_bytes()[:400])
    gone = tmp_path / "gone.jpg"
    plan = prepare(store, [good, empty, text, broken, gone])
    assert [Path(i.path).name for i in plan.items] == ["good.jpg"]
    reasons = {Path(r.path).name: r.reason for r in plan.refused}
    assert reasons["empty.jpg"] == "it is empty"
    assert reasons["notes.jpg"].startswith("it is not an image, video or PDF")
    assert "cannot be read" in reasons["broken.jpg"]
    assert reasons["gone.jpg"].startswith("it is no longer there")


def test_a_drop_with_nothing_importable_is_refused_and_leaves_no_file(
    store: Store, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    text = tmp_path / "readme.jpg"
    text.write_text("hello")
    with pytest.raises(ImportRefused, match=r"Nothing was imported: empty\.png: it is empty"):
        prepare(store, [empty, text])
    assert blob_files(store) == []


def test_a_folder_of_too_many_files_is_refused_before_reading_them(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "shoot"
    folder.mkdir()
    for n in range(importer.MAX_FILES + 1):
        (folder / f"{n:04d}.jpg").write_bytes(b"x")
    with pytest.raises(ImportRefused, match="more than 500 files"):
        prepare(store, [folder])


def test_folders_are_walked_and_hidden_files_skipped(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "shoot"
    (folder / "sub").mkdir(parents=True)
    make_image(folder / "a.jpg", (300, 200))
    make_image(folder / "sub" / "b.jpg", (200, 300))
    (folder / ".DS_Store").write_bytes(b"junk")
    assert [p.name for p in importer.expand_paths([folder])] == ["a.jpg", "b.jpg"]


def test_exif_orientation_is_honoured_in_size_and_thumbnail(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown rotated a quarter turn: portrait
    make_image(path, (800, 400), exif=exif.tobytes())
    plan = prepare(store, [path])
    item = plan.items[0]
    assert (item.data["width"], item.data["height"]) == (400, 800)
    with Image.open(BlobFiles(store.data_dir).thumb_path(item.sha256)) as thumb:
        assert thumb.size[1] > thumb.size[0]


def test_other_file_types_are_recognised_by_content(tmp_path: Path) -> None:
    pdf = tmp_path / "brief.bin"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 100)
    png_named_jpg = make_image(tmp_path / "really.jpg", fmt="PNG")
    assert importer.probe_file(pdf).type.mime == "application/pdf"
    assert importer.probe_file(png_named_jpg).type.mime == "image/png"
    mp4 = tmp_path / "clip.mp4"
    mp4.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    assert importer.probe_file(mp4).type.kind == "video"
    with pytest.raises(FileStoreError, match="not a regular file"):
        importer.probe_file(tmp_path)


def test_a_refused_commit_creates_nothing_and_removes_the_copied_files(
    store: Store, tmp_path: Path
) -> None:
    path = make_image(tmp_path / "x.jpg")
    plan = prepare(store, [path])
    before = asset_count(store)
    outsider = Workspace(
        store, actor=Actor(user_id="u", role="section_lead", markets=("us",)), clock=lambda: NOW
    )
    with pytest.raises(EditRefused, match="own markets"):
        importer.commit_import(outsider, BlobFiles(store.data_dir), plan)
    assert asset_count(store) == before
    assert blob_files(store) == []
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(BlobCache)) == 0


def test_cancel_stops_the_import_and_removes_what_it_copied(store: Store, tmp_path: Path) -> None:
    paths = [make_image(tmp_path / f"{n}.jpg", (300 + n, 300)) for n in range(3)]
    progress = Progress()
    calls = {"n": 0}
    original = progress.check

    def check() -> None:
        calls["n"] += 1
        if calls["n"] > 6:
            progress.cancel()
        original()

    progress.check = check  # type: ignore[method-assign]
    with pytest.raises(Cancelled):
        importer.prepare_import(
            store, BlobFiles(store.data_dir), paths, defaults=DEFAULTS, progress=progress
        )
    assert blob_files(store) == []


def test_a_file_for_an_adaptation_is_stored_without_creating_an_asset(
    store: Store, tmp_path: Path
) -> None:
    path = make_image(tmp_path / "crop.jpg", (640, 480))
    before = asset_count(store)
    fields = importer.import_file_blob(store, BlobFiles(store.data_dir), path)
    assert fields["width"] == 640 and fields["mime"] == "image/jpeg"
    assert asset_count(store) == before
    with store.read() as session:
        assert session.get(BlobCache, fields["sha256"]).state == "full"


def test_sniff_knows_the_bank_types() -> None:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "GIF")
    assert importer.sniff(out.getvalue()).mime == "image/gif"
    assert importer.sniff(b"RIFF\x00\x00\x00\x00AVI LIST") is not None
    assert importer.sniff(b"hello world") is None
