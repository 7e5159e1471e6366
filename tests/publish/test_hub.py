"""Publishing to the Hub for real, against a stand-in for its write API (tests/hub/standin.py)
and olah, a real Hub-compatible read server, with the real huggingface_hub and datasets."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from tests.cli import run_aznews
from tests.hub.standin import HubStandIn

REPO = "aznews-org/aznews"
pytestmark = pytest.mark.usefixtures("prefect_harness")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Two cumulative local releases built by the real flow: 2026.11 and 2026.12."""
    from flows.refresh import refresh
    from tests.flows.test_refresh import _new_month_warc

    data = tmp_path_factory.mktemp("hubdata") / "data"
    refresh(version="2026.11", data_dir=str(data))
    new = [str(p) for p in _new_month_warc(tmp_path_factory.mktemp("warc"))]
    from aznews.paths import sample_warc

    refresh(version="2026.12", warc=[str(sample_warc()), *new], data_dir=str(data))
    return data / "releases"


@pytest.fixture(scope="module")
def hub(tmp_path_factory, monkeypatch_module):
    root = tmp_path_factory.mktemp("hub")
    monkeypatch_module.setenv("HF_HUB_DISABLE_XET", "1")  # the stand-in has no Xet; the real Hub keeps it
    monkeypatch_module.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch_module.setenv("HF_TOKEN", "hf_test_secret_token")
    from huggingface_hub import constants

    # read at import time (conftest keeps the suite offline); this module talks to local servers
    monkeypatch_module.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch_module.setattr(constants, "HF_HUB_DISABLE_XET", True)
    with HubStandIn(root) as server:
        yield server


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="module")
def olah(hub, tmp_path_factory):
    port = _free_port()
    work = tmp_path_factory.mktemp("olah")
    config = work / "olah.toml"
    config.write_text(
        f'[basic]\nhost = "127.0.0.1"\nport = {port}\nmirror-netloc = "127.0.0.1:{port}"\n'
        f'mirror-lfs-netloc = "127.0.0.1:{port}"\nrepos-path = "{work / "repos"}"\n'
        f'mirrors-path = ["{hub.root}"]\n\n[accessibility]\noffline = true\n'
    )
    proc = subprocess.Popen([sys.executable, "-m", "olah.server", "-c", str(config)], cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.3)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def _load(endpoint: str, revision: str, cache):
    code = (
        "import datasets, json, sys;"
        f"ds = datasets.load_dataset({REPO!r}, revision={revision!r}, cache_dir={str(cache)!r});"
        "print(json.dumps({s: sorted(ds[s]['id']) for s in ds}));"
        "from aznews.schema import features; assert all(ds[s].features == features() for s in ds)"
    )
    env = {**os.environ, "HF_ENDPOINT": endpoint, "HF_HUB_OFFLINE": "0", "HF_DATASETS_OFFLINE": "0"}
    env.pop("HF_TOKEN", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def test_publish_load_and_versions_stay_immutable(releases, hub, olah, tmp_path, caplog):
    from aznews.publish import ReleaseExists
    from aznews.publish.hub import publish_to_hub

    dry = publish_to_hub(releases / "2026.11", REPO, endpoint=hub.url, dry_run=True)
    assert dry["parent_commit"] is None and any(o["path"].startswith("data/") for o in dry["operations"])
    assert hub.commits == 0 and not hub.repo(REPO).exists()

    first = publish_to_hub(releases / "2026.11", REPO, endpoint=hub.url)
    assert hub.commits == 1
    card = (releases / "2026.11" / "README.md").read_text(encoding="utf-8")  # as committed
    assert f'load_dataset("{REPO}", revision="2026.11")' in card and "<org>" not in card
    v1 = _load(olah, "2026.11", tmp_path / "c1")
    assert sum(len(v) for v in v1.values()) == 8

    second = publish_to_hub(releases / "2026.12", REPO, endpoint=hub.url)
    assert hub.commits == 2 and second["parent_commit"] == first["commit"]
    assert set(second["skipped"]) == {o["path"] for o in first["operations"] if o["path"].startswith("data/")}
    v2 = _load(olah, "2026.12", tmp_path / "c2")
    assert sum(len(v) for v in v2.values()) == 11
    assert _load(olah, "2026.11", tmp_path / "c3") == v1  # the old tag is unchanged
    for split in v1:
        assert set(v1[split]) <= set(v2[split])

    with pytest.raises(ReleaseExists, match=r"already has tag 2026\.11"):
        publish_to_hub(releases / "2026.11", REPO, endpoint=hub.url)
    assert hub.commits == 2
    assert "hf_test_secret_token" not in caplog.text


def test_conflicting_parent_commit_publishes_nothing(releases, hub, tmp_path):
    from huggingface_hub import HfApi

    from aznews.publish.hub import PublishConflict, publish_to_hub

    repo = "aznews-org/race"
    shutil.copytree(releases / "2026.11", tmp_path / "2026.11")
    HfApi(endpoint=hub.url).create_repo(repo, repo_type="dataset")
    before = hub.head(repo)
    hub.race_next_commit = True  # another writer commits between our head read and our commit
    with pytest.raises(PublishConflict, match="nothing was published"):
        publish_to_hub(tmp_path / "2026.11", repo, endpoint=hub.url)
    tree = [f["path"] for f in hub.tree(repo, "main")]
    assert not any(p.startswith("data/") for p in tree) and "NOTES.md" in tree
    assert hub.refs(repo)["tags"] == [] and hub.head(repo) != before


def test_server_error_rereads_head_then_retries_once(releases, hub, tmp_path):
    from aznews.publish.hub import publish_to_hub

    repo = "aznews-org/retry"
    hub.fail_next_commit = True
    before = len(hub.requests)
    result = publish_to_hub(releases / "2026.11", repo, endpoint=hub.url)
    calls = [r for r in hub.requests[before:] if "/commit/" in r or "/revision/" in r or r.endswith("/" + repo)]
    commits = [i for i, r in enumerate(calls) if "/commit/" in r]
    assert len(commits) == 2 and any("/revision/" in r or r.endswith(repo) for r in calls[commits[0] + 1 : commits[1]])
    assert hub.refs(repo)["tags"][0]["name"] == "2026.11" and result["commit"] == hub.head(repo)


def test_cli_dry_run_lists_operations_without_a_token_in_output(releases, hub):
    out = run_aznews(
        None, "publish", "--repo-id", "aznews-org/dry", "--version", "2026.12", "--data-dir", str(releases.parent),
        "--dry-run", env={"HF_ENDPOINT": hub.url, "HF_HUB_DISABLE_XET": "1", "HF_HUB_OFFLINE": "0"}, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "planned: aznews-org/dry @ 2026.12" in out.stdout and "data/train-2026.12" in out.stdout
    assert "hf_test_secret_token" not in out.stdout + out.stderr
    assert not hub.repo("aznews-org/dry").exists()


def _uploads(hub, since: int) -> list[str]:
    return [r for r in hub.requests[since:] if r.startswith("PUT /lfs-upload/")]


@pytest.mark.parametrize("answer", [500, 0], ids=["http-500", "connection-dropped"])
def test_a_commit_applied_but_answered_with_an_error_is_recognised_and_tagged(releases, hub, answer):
    """The Hub applied the commit, then answered 500 (or never answered): the same call sees its
    own manifest at the new head and tags that commit; nothing is committed or uploaded twice."""
    from aznews.publish.hub import publish_to_hub

    repo = f"aznews-org/applied-{answer}"
    commits = hub.commits
    hub.answer_next_commit = answer
    result = publish_to_hub(releases / "2026.11", repo, endpoint=hub.url)
    assert hub.commits == commits + 1 and result["commit"] == hub.head(repo)
    assert [t["name"] for t in hub.refs(repo)["tags"]] == ["2026.11"]


def test_a_commit_whose_tag_failed_is_tagged_by_the_next_attempt_without_sending_anything(releases, hub, tmp_path):
    from aznews.publish.hub import PublishFailed, publish_to_hub

    repo = "aznews-org/untagged"
    shutil.copytree(releases / "2026.11", tmp_path / "2026.11")
    hub.fail_next_tag = True
    with pytest.raises(PublishFailed, match=r"is on aznews-org/untagged as commit \w+, but its tag could not"):
        publish_to_hub(tmp_path / "2026.11", repo, endpoint=hub.url)
    assert hub.refs(repo)["tags"] == []
    commits, since = hub.commits, len(hub.requests)
    again = publish_to_hub(tmp_path / "2026.11", repo, endpoint=hub.url)
    assert again["recovered"] and again["commit"] == hub.head(repo) and hub.commits == commits
    assert _uploads(hub, since) == [] and [t["name"] for t in hub.refs(repo)["tags"]] == ["2026.11"]


def test_no_file_already_on_the_hub_as_it_is_is_planned_again(releases, hub):
    """Regular files (card, manifest, report) by git blob id, LFS files (index, sample, data) by
    sha256: a release planned against a head that holds it sends nothing."""
    from huggingface_hub import HfApi

    from aznews.publish import read_manifest
    from aznews.publish.hub import plan, publish_to_hub

    repo = "aznews-org/unchanged"
    done = publish_to_hub(releases / "2026.11", repo, endpoint=hub.url)
    files = plan(
        HfApi(endpoint=hub.url), repo, releases / "2026.11", read_manifest(releases / "2026.11"), done["commit"]
    )
    assert {f.reason for f in files} == {"unchanged"}
    assert {"README.md", "meta/release.json", "meta/dedup-index.parquet", "sample/train-sample.parquet"} <= {
        f.path for f in files
    }


def test_every_hub_failure_is_one_line(releases, hub):
    env = {"HF_ENDPOINT": hub.url, "HF_HUB_DISABLE_XET": "1", "HF_HUB_OFFLINE": "0"}
    data = str(releases.parent)
    cases = {
        "bad repo id": (["--repo-id", "not a/valid//repo"], env),
        "the Hub could not be reached": (["--repo-id", "aznews-org/x"], {**env, "HF_ENDPOINT": f"http://127.0.0.1:{_free_port()}"}),
    }  # fmt: skip
    for expected, (args, case_env) in cases.items():
        got = run_aznews(None, "publish", *args, "--version", "2026.11", "--data-dir", data, env=case_env, timeout=120)
        lines = [line for line in got.stdout.splitlines() if line.strip()]
        assert got.returncode == 1 and len(lines) == 1 and not got.stderr.strip(), got.stdout + got.stderr
        assert lines[0].startswith("publish failed: ") and expected in lines[0], lines[0]
        assert "hf_test_secret_token" not in got.stdout
