"""Stages as file-to-file functions: batching never changes the output."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from aznews import stages
from aznews.dedup.stage import run_dedup
from aznews.ledger import StageResult


@pytest.fixture(scope="module")
def whole(sample_warc, tmp_path_factory):
    """The sample extracted as one batch, deduplicated with signatures computed inline."""
    work = tmp_path_factory.mktemp("whole")
    ex = stages.run_extract([sample_warc], work / "extracted.parquet", records_per_batch=1000)
    dd = _dedup(ex.path, work)
    return ex, dd


def _dedup(extracted, work, signature_files=None):
    return run_dedup(
        extracted, work / "deduped.parquet", version="2026.11", state_dir=work / "state",
        releases_dir=work / "releases", signature_files=signature_files,
    )  # fmt: skip


@pytest.mark.parametrize("size", [1, 4, 7])
def test_batches_of_any_size_give_the_same_records_and_ledger(whole, sample_warc, tmp_path, size):
    ex, dd = whole
    batched = stages.run_extract([sample_warc], tmp_path / "extracted.parquet", records_per_batch=size, sign=True)
    assert len(list((tmp_path / "parts").glob("extracted-*.parquet"))) == -(-15 // size)
    assert pq.read_table(batched.path).equals(pq.read_table(ex.path))
    assert batched.ledger.to_dict() == ex.ledger.to_dict() and batched.notes == ex.notes
    signed = _dedup(batched.path, tmp_path, sorted((tmp_path / "parts").glob("minhash-*.parquet")))
    assert pq.read_table(signed.path).equals(pq.read_table(dd.path))
    assert pq.read_table(tmp_path / "dedup-index.parquet").equals(pq.read_table(ex.path.parent / "dedup-index.parquet"))
    assert signed.ledger.to_dict() == dd.ledger.to_dict()


def test_a_corrupt_warc_tail_is_one_drop_and_the_rest_is_kept(sample_warc, tmp_path):
    cut = tmp_path / "cut.warc.gz"
    data = sample_warc.read_bytes()
    cut.write_bytes(data[: len(data) - 2000])
    res = stages.run_extract([cut], tmp_path / "extracted.parquet", records_per_batch=4)
    unreadable = [d for d in res.ledger.drops if d.rule == "warc_unreadable"]
    assert len(unreadable) == 1 and unreadable[0].url.startswith("cut.warc.gz@")
    assert pq.read_metadata(res.path).num_rows >= 10


def test_a_part_appears_only_when_complete(sample_warc, tmp_path):
    from aznews.fetch.warc import plan_slices

    batch = plan_slices([sample_warc], 15)[0]
    out = tmp_path / "parts" / "extracted-00000.parquet"
    res = stages.extract_batch(batch, out)
    assert out.exists() and not list(out.parent.glob("*.partial"))
    assert StageResult.from_dict(res.to_dict()).ledger.to_dict() == res.ledger.to_dict()


def _batch_in_a_daemonic_thread(warc: str, out: str, queue) -> None:
    """What a daemonic Dask worker does: extract a batch on a thread that is not the main one."""
    import threading

    from aznews.stages import extract_batch, plan_extract

    batches, _, _ = plan_extract([Path(warc)], 500)
    got = {}
    thread = threading.Thread(target=lambda: got.update(extract_batch(batches[0], Path(out)).notes))
    thread.start()
    thread.join()
    queue.put(dict(got))


def test_a_worker_that_cannot_keep_the_page_deadline_says_so(sample_warc, tmp_path):
    """A daemonic process may not start the helper that keeps the per-page deadline off the main
    thread: its batch is extracted without it, and the batch's notes count those pages, which the
    run turns into a warning (aznews.ledger.RUN_WARNINGS)."""
    import multiprocessing as mp

    from aznews.ledger import NO_DEADLINE, RUN_WARNINGS, describe_note

    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_batch_in_a_daemonic_thread, args=(str(sample_warc), str(tmp_path / "p.parquet"), queue),
                       daemon=True)  # fmt: skip
    proc.start()
    notes = queue.get(timeout=300)
    proc.join(60)
    assert notes.get(NO_DEADLINE) == 15, notes  # every record of the sample's one batch
    assert NO_DEADLINE in RUN_WARNINGS and "DASK_DISTRIBUTED__WORKER__DAEMON=False" in describe_note(NO_DEADLINE, 15)


def test_damaged_state_and_release_files_are_named_with_the_way_back(tmp_path):
    """A cut Parquet part, a cut manifest and a garbage SQLite state each fail naming the file."""
    from aznews.errors import DamagedFile
    from aznews.fetch.ccnews import CcNewsLedger
    from aznews.fetch.state import CrawlState
    from aznews.parquet import open_parquet
    from aznews.publish import read_manifest

    part = tmp_path / "extracted-00001.parquet"
    part.write_bytes(b"PAR1 cut short")
    with pytest.raises(DamagedFile, match=f"{part}: damaged Parquet file"):
        open_parquet(part)
    release = tmp_path / "2026.11"
    (release / "meta").mkdir(parents=True)
    (release / "meta" / "release.json").write_text('{"version": "2026.11", "files": [{"path": ', encoding="utf-8")
    with pytest.raises(DamagedFile, match=r"release\.json: damaged release manifest .* restore the release"):
        read_manifest(release)
    for cls, name in ((CrawlState, "crawl.sqlite"), (CcNewsLedger, "ccnews.sqlite")):
        (tmp_path / name).write_bytes(b"this is not a database" * 100)
        with pytest.raises(DamagedFile, match=f"{name}: not a readable SQLite database .* move it aside"):
            cls(tmp_path / name)
