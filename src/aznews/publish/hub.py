"""Publishing a local release to the Hugging Face Hub: one commit, then one tag.

The commit carries explicit operations (the release's new data shards, its card and its meta
files) and the ``parent_commit`` read just before, so a concurrent change makes it fail whole
instead of half-applying. No file already on the Hub as it is locally is sent again (data files
carried from earlier releases must be byte-identical; the others are compared by their LFS
sha256 or git blob id). The tag is created with ``exist_ok=False``: a version is published once.

A commit that the Hub applied but answered with an error (HTTP 500, a dropped connection), or
whose tag could not be created, is recognised on the spot or by the next attempt: the branch head
holds this release's ``meta/release.json`` byte for byte. That commit is tagged; nothing is
uploaded again. Every Hub failure is one line (``PublishFailed``): connection, token, repo id,
server error. The token comes from ``HF_TOKEN`` or the huggingface_hub login and is never logged
or put in an error message.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
from huggingface_hub.errors import HfHubHTTPError, HFValidationError, HTTPError

from aznews.datadir import file_digest
from aznews.publish.catalogue import ReleaseExists, manifest_path, read_manifest
from aznews.publish.writer import write_card

log = logging.getLogger(__name__)
REPO_TYPE = "dataset"


class PublishFailed(RuntimeError):
    """Publishing failed; the message is one line saying what happened on the Hub."""


class PublishConflict(PublishFailed):
    """The branch moved while publishing (another writer); nothing was published."""


class ImmutableFileChanged(PublishFailed):
    """A data file already on the Hub differs from the release's copy: data files never change."""


@dataclass(frozen=True)
class PlannedFile:
    path: str
    local: Path
    size: int
    sha256: str
    reason: str  # "new", "updated" (card/meta only), "unchanged" (skipped) or "deleted (takedown)"


def _one_line(exc: BaseException, token: str | None) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    for secret in (token, os.environ.get("HF_TOKEN")):
        text = text.replace(secret, "***") if secret else text
    return text


_STATUS = {
    401: "the Hub refused the token (set HF_TOKEN or run `hf auth login`)",
    403: "the token may not write to this repository",
}


@contextlib.contextmanager
def hub_errors(what: str, token: str | None = None) -> Iterator[None]:
    """Any failure talking to the Hub while doing ``what`` becomes one ``PublishFailed`` line:
    the repo id, the token, a server error or the connection."""
    try:
        yield
    except PublishFailed:
        raise
    except HFValidationError as exc:
        raise PublishFailed(f"{what}: bad repo id ({_one_line(exc, token).split('. ')[0]})") from None
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else None
        why = _STATUS.get(status, f"the Hub answered HTTP {status}")
        raise PublishFailed(f"{what}: {why}: {_one_line(exc, token)[:300]}") from None
    except HTTPError as exc:  # no answer: refused, dropped, timed out
        raise PublishFailed(f"{what}: the Hub could not be reached ({_one_line(exc, token)[:300]})") from None


def git_blob_id(path: Path) -> str:
    """The git object id of a file's bytes, as the Hub lists a regular (non-LFS) file."""
    h = hashlib.sha1(f"blob {path.stat().st_size}\0".encode(), usedforsecurity=False)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _same(entry: object, path: Path, digest: str) -> bool:
    lfs = getattr(entry, "lfs", None)
    return lfs.sha256 == digest if lfs else getattr(entry, "blob_id", None) == git_blob_id(path)


def plan(api: HfApi, repo_id: str, release_dir: Path, manifest: dict, head: str | None) -> list[PlannedFile]:
    """What the commit must contain: every release file not already on the Hub as it is."""
    remote: dict[str, object] = {}  # path -> its tree entry
    if head is not None:
        for entry in api.list_repo_tree(repo_id, revision=head, recursive=True, repo_type=REPO_TYPE):
            if hasattr(entry, "lfs"):  # a file, not a folder
                remote[entry.path] = entry
    planned = []
    local = {p.relative_to(release_dir).as_posix(): p for p in sorted(release_dir.rglob("*")) if p.is_file()}
    for gone in sorted(p for p in remote if p.startswith("data/") and p not in local):
        if not manifest.get("takedowns"):
            raise ImmutableFileChanged(f"{gone} is on the Hub but not in {release_dir}, and no takedown explains it")
        planned.append(PlannedFile(gone, release_dir / gone, 0, "", "deleted (takedown)"))
    for rel, path in local.items():
        digest = file_digest(path)
        known = rel in remote
        if known and _same(remote[rel], path, digest):
            planned.append(PlannedFile(rel, path, path.stat().st_size, digest, "unchanged"))
        elif known and rel.startswith("data/"):
            raise ImmutableFileChanged(f"{rel} on the Hub differs from {path}; released data files never change")
        else:
            planned.append(PlannedFile(rel, path, path.stat().st_size, digest, "updated" if known else "new"))
    return planned


def _applied(api: HfApi, repo_id: str, commit: str | None, release_dir: Path) -> bool:
    """Whether ``commit`` is this release's: it holds its manifest byte for byte (the manifest
    names the version and its build time, so no other commit holds the same bytes)."""
    if commit is None:
        return False
    manifest = manifest_path(release_dir)
    rel = manifest.relative_to(release_dir).as_posix()
    try:
        entries = api.list_repo_tree(repo_id, path_in_repo="meta", revision=commit, repo_type=REPO_TYPE)
        return any(e.path == rel and _same(e, manifest, "") for e in entries)
    except HfHubHTTPError as exc:  # no meta/ folder at that commit
        if exc.response is not None and exc.response.status_code == 404:
            return False
        raise


def publish_to_hub(
    release_dir: Path,
    repo_id: str,
    *,
    token: str | None = None,
    endpoint: str | None = None,
    dry_run: bool = False,
    retries: int = 1,
) -> dict:
    """Publish ``release_dir`` (its name is the version) as one commit plus a tag on ``repo_id``;
    every failure is one ``PublishFailed`` line (or ``ReleaseExists``: the tag is taken)."""
    with hub_errors(f"publishing {release_dir.name} to {repo_id}", token):
        return _publish(release_dir, repo_id, token=token, endpoint=endpoint, dry_run=dry_run, retries=retries)


def _publish(release_dir: Path, repo_id: str, *, token: str | None, endpoint: str | None, dry_run: bool,
             retries: int) -> dict:  # fmt: skip
    import sys

    if not sys.stderr.isatty():  # a log file or a worker's output: no bars, no cursor escapes
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    version = release_dir.name
    api = HfApi(endpoint=endpoint, token=token)
    manifest = read_manifest(release_dir)
    try:
        exists = True
        refs = api.list_repo_refs(repo_id, repo_type=REPO_TYPE)
    except HfHubHTTPError as exc:
        if exc.response is None or exc.response.status_code != 404:
            raise
        exists, refs = False, None
    if refs is not None and version in {t.name for t in refs.tags}:
        raise ReleaseExists(f"{repo_id} already has tag {version}; versions are never overwritten or moved")
    head = next((b.target_commit for b in refs.branches if b.name == "main"), None) if refs else None
    summary = {"repo_id": repo_id, "version": version, "parent_commit": head, "operations": [], "skipped": [],
               "rows": manifest["rows"]}  # fmt: skip
    if not dry_run and _applied(api, repo_id, head, release_dir):  # an earlier attempt's commit, never tagged
        log.warning("%s at %s is this release's commit from an earlier attempt: tagging it", repo_id, head)
        return _tag(api, repo_id, version, head, {**summary, "recovered": True})
    if not dry_run:
        write_card(release_dir, repo_id)  # the card names the repository it is published to
    files = plan(api, repo_id, release_dir, manifest, head)
    ops = [f for f in files if f.reason != "unchanged"]
    summary["operations"] = [{"path": f.path, "bytes": f.size, "reason": f.reason} for f in ops]
    summary["skipped"] = [f.path for f in files if f.reason == "unchanged"]
    if dry_run:
        return summary
    if not exists:
        api.create_repo(repo_id, repo_type=REPO_TYPE, exist_ok=True)
        head = api.repo_info(repo_id, repo_type=REPO_TYPE).sha
    operations: list = [
        CommitOperationDelete(path_in_repo=f.path)
        if f.reason.startswith("deleted")
        else CommitOperationAdd(path_in_repo=f.path, path_or_fileobj=str(f.local))
        for f in ops
    ]
    message = f"aznews {version}: {manifest['new_rows']} new rows, {manifest['rows']} in all"
    attempt = 0
    while True:
        try:
            oid = api.create_commit(
                repo_id, operations, commit_message=message, parent_commit=head, repo_type=REPO_TYPE
            ).oid
            break
        except HTTPError as exc:  # an error status, or no answer at all
            status = exc.response.status_code if isinstance(exc, HfHubHTTPError) and exc.response is not None else None
            # re-read the branch head before anything else: never retry on a stale parent
            current = api.repo_info(repo_id, repo_type=REPO_TYPE).sha
            if current != head and _applied(api, repo_id, current, release_dir):
                log.warning("the commit was applied although the Hub answered %s: tagging %s", status, current)
                oid = current
                break
            if status in (409, 412) or current != head:
                raise PublishConflict(
                    f"{repo_id} changed while publishing {version} (head {current}, expected {head}); "
                    "nothing was published. Re-run to publish on top of the new head."
                ) from None
            attempt += 1
            if attempt > retries or (status is not None and status < 500):
                raise
            log.warning("commit failed (%s); head unchanged, retrying (%d/%d)", status or "no answer", attempt, retries)
    summary["parent_commit"] = head
    return _tag(api, repo_id, version, oid, summary)


def _tag(api: HfApi, repo_id: str, version: str, commit: str, summary: dict) -> dict:
    try:
        api.create_tag(repo_id, tag=version, revision=commit, repo_type=REPO_TYPE, exist_ok=False)
    except HTTPError as exc:
        raise PublishFailed(
            f"release {version} is on {repo_id} as commit {commit}, but its tag could not be created "
            f"({_one_line(exc, None)[:300]}); publish it again: that commit is recognised and tagged, "
            "nothing is sent again"
        ) from None
    return {**summary, "commit": commit}
