"""Publishing a local release to the Hugging Face Hub: one commit, then one tag.

The commit carries explicit operations (the release's new data shards, its card and its meta
files) and the ``parent_commit`` read just before, so a concurrent change makes it fail whole
instead of half-applying. Data files already on the Hub (carried from earlier releases) must be
byte-identical and are not uploaded again. The tag is created with ``exist_ok=False``: a version
is published once. The token comes from ``HF_TOKEN`` or the huggingface_hub login and is never
logged or put in an error message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
from huggingface_hub.errors import HfHubHTTPError

from aznews.datadir import file_digest
from aznews.publish.release import ReleaseExists, read_manifest, write_card

log = logging.getLogger(__name__)
REPO_TYPE = "dataset"


class PublishConflict(RuntimeError):
    """The branch moved while publishing (another writer); nothing was published."""


class ImmutableFileChanged(RuntimeError):
    """A data file already on the Hub differs from the release's copy: data files never change."""


@dataclass(frozen=True)
class PlannedFile:
    path: str
    local: Path
    size: int
    sha256: str
    reason: str  # "new", "updated" (card/meta only), "unchanged" (skipped) or "deleted (takedown)"


def _safe(exc: Exception, token: str | None) -> str:
    text = str(exc)
    return text.replace(token, "***") if token else text


def plan(api: HfApi, repo_id: str, release_dir: Path, manifest: dict, head: str | None) -> list[PlannedFile]:
    """What the commit must contain: every release file not already on the Hub as it is."""
    remote: dict[str, str | None] = {}  # path -> LFS sha256 (None for a regular file)
    if head is not None:
        for entry in api.list_repo_tree(repo_id, revision=head, recursive=True, repo_type=REPO_TYPE):
            if hasattr(entry, "lfs"):  # a file, not a folder
                remote[entry.path] = entry.lfs.sha256 if entry.lfs else None
    planned = []
    local = {p.relative_to(release_dir).as_posix(): p for p in sorted(release_dir.rglob("*")) if p.is_file()}
    for gone in sorted(p for p in remote if p.startswith("data/") and p not in local):
        if not manifest.get("takedowns"):
            raise ImmutableFileChanged(f"{gone} is on the Hub but not in {release_dir}, and no takedown explains it")
        planned.append(PlannedFile(gone, release_dir / gone, 0, "", "deleted (takedown)"))
    for rel, path in local.items():
        digest = file_digest(path)
        known = rel in remote
        if rel.startswith("data/") and known:
            if remote[rel] != digest:
                raise ImmutableFileChanged(f"{rel} on the Hub differs from {path}; released data files never change")
            planned.append(PlannedFile(rel, path, path.stat().st_size, digest, "unchanged"))
            continue
        planned.append(PlannedFile(rel, path, path.stat().st_size, digest, "updated" if known else "new"))
    return planned


def publish_to_hub(
    release_dir: Path,
    repo_id: str,
    *,
    token: str | None = None,
    endpoint: str | None = None,
    dry_run: bool = False,
    retries: int = 1,
) -> dict:
    """Publish ``release_dir`` (its name is the version) as one commit plus a tag on ``repo_id``."""
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
            raise RuntimeError(f"cannot read {repo_id}: {_safe(exc, token)}") from None
        exists, refs = False, None
    if refs is not None and version in {t.name for t in refs.tags}:
        raise ReleaseExists(f"{repo_id} already has tag {version}; versions are never overwritten or moved")
    head = next((b.target_commit for b in refs.branches if b.name == "main"), None) if refs else None
    if not dry_run:
        write_card(release_dir, repo_id)  # the card names the repository it is published to
    files = plan(api, repo_id, release_dir, manifest, head)
    ops = [f for f in files if f.reason != "unchanged"]
    summary = {
        "repo_id": repo_id,
        "version": version,
        "parent_commit": head,
        "operations": [{"path": f.path, "bytes": f.size, "reason": f.reason} for f in ops],
        "skipped": [f.path for f in files if f.reason == "unchanged"],
        "rows": manifest["rows"],
    }
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
            commit = api.create_commit(
                repo_id, operations, commit_message=message, parent_commit=head, repo_type=REPO_TYPE
            )
            break
        except HfHubHTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            # re-read the branch head before anything else: never retry on a stale parent
            current = api.repo_info(repo_id, repo_type=REPO_TYPE).sha
            if status in (409, 412) or current != head:
                raise PublishConflict(
                    f"{repo_id} changed while publishing {version} (head {current}, expected {head}); "
                    "nothing was published. Re-run to publish on top of the new head."
                ) from None
            attempt += 1
            if attempt > retries or status is None or status < 500:
                raise RuntimeError(f"publishing {version} to {repo_id} failed: {_safe(exc, token)}") from None
            log.warning("commit failed with HTTP %s; head unchanged, retrying (%d/%d)", status, attempt, retries)
    api.create_tag(repo_id, tag=version, revision=commit.oid, repo_type=REPO_TYPE, exist_ok=False)
    summary["commit"] = commit.oid
    summary["parent_commit"] = head
    return summary
