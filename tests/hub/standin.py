"""A stand-in for huggingface.co's write API, for tests (no network here).

It answers what the real ``huggingface_hub`` client calls when aznews publishes: repo create,
validate-yaml, repo info, refs, preupload, the LFS batch API with basic uploads, the NDJSON commit
endpoint (with ``parentCommit`` checked), tags and tree listings. Repositories are real git
repositories under ``root/datasets/<org>/<name>`` with LFS objects in ``.git/lfs/objects``, the
layout olah's local-mirror mode serves, so the read side is a real Hub-compatible server.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

LFS_SUFFIXES = (".parquet",)
_POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n"


def _git(repo: Path, *args: str, data: bytes | None = None) -> str:
    env = {"GIT_AUTHOR_NAME": "hub", "GIT_AUTHOR_EMAIL": "hub@localhost", "GIT_COMMITTER_NAME": "hub",
           "GIT_COMMITTER_EMAIL": "hub@localhost", "HOME": str(repo), "PATH": "/usr/bin:/bin"}  # fmt: skip
    out = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=True, env=env)
    return out.stdout.decode().strip()


class HubStandIn:
    """``with HubStandIn(root) as hub: ... hub.url``. ``fail_next_commit`` simulates a server error;
    ``race_next_commit`` lands another writer's commit just before the next one is applied;
    ``answer_next_commit`` applies the next commit, then answers with that status (500), or with
    no answer at all (0: the connection is closed); ``fail_next_tag`` answers a tag with HTTP 500."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = threading.Lock()
        self.commits = 0
        self.fail_next_commit = False
        self.race_next_commit = False
        self.answer_next_commit: int | None = None
        self.fail_next_tag = False
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> HubStandIn:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def repo(self, repo_id: str) -> Path:
        return self.root / "datasets" / repo_id

    # --- git operations -------------------------------------------------------------------
    def create(self, repo_id: str) -> bool:
        path = self.repo(repo_id)
        if path.exists():
            return False
        path.mkdir(parents=True)
        _git(path, "init", "-q", "-b", "main")
        (path / ".gitattributes").write_text("*.parquet filter=lfs diff=lfs merge=lfs -text\n")
        _git(path, "add", ".gitattributes")
        _git(path, "commit", "-q", "-m", "initial commit")
        return True

    def head(self, repo_id: str, rev: str = "main") -> str:
        return _git(self.repo(repo_id), "rev-parse", f"{rev}^{{commit}}")

    def commit(self, repo_id: str, lines: list[dict]) -> tuple[int, dict]:
        path = self.repo(repo_id)
        header = lines[0]["value"]
        with self.lock:
            if self.race_next_commit:
                self.race_next_commit = False
                (path / "NOTES.md").write_text("another writer\n")
                _git(path, "add", "NOTES.md")
                _git(path, "commit", "-q", "-m", "someone else")
            head = self.head(repo_id)
            if header.get("parentCommit") and header["parentCommit"] != head:
                return 412, {
                    "error": f"A commit has happened since parentCommit {header['parentCommit']}: head is {head}"
                }
            if self.fail_next_commit:
                self.fail_next_commit = False
                return 500, {"error": "Internal Error - simulated"}
            for item in lines[1:]:
                value = item["value"]
                target = path / value["path"]
                if item["key"] == "file":
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(base64.b64decode(value["content"]))
                elif item["key"] == "lfsFile":
                    obj = self._lfs_path(path, value["oid"])
                    if not obj.exists():
                        return 400, {"error": f"LFS object {value['oid']} was never uploaded"}
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(_POINTER.format(oid=value["oid"], size=obj.stat().st_size))
                elif item["key"] in ("deletedFile", "deletedFolder"):
                    _git(path, "rm", "-r", "-q", "--ignore-unmatch", value["path"])
            _git(path, "add", "-A")
            _git(path, "commit", "-q", "--allow-empty", "-m", header.get("summary") or "commit")
            self.commits += 1
            oid = self.head(repo_id)
        return 200, {
            "commitOid": oid,
            "commitUrl": f"{self.url}/datasets/{repo_id}/commit/{oid}",
            "pullRequestUrl": None,
        }

    @staticmethod
    def _lfs_path(repo: Path, oid: str) -> Path:
        return repo / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid

    def tree(self, repo_id: str, rev: str) -> list[dict]:
        path = self.repo(repo_id)
        out = []
        for line in _git(path, "ls-tree", "-r", "-l", rev).splitlines():
            meta, name = line.split("\t", 1)
            _, _, sha, size = meta.split()
            entry = {"type": "file", "oid": sha, "size": int(size), "path": name}
            blob = _git(path, "cat-file", "-p", sha) if int(size) < 200 else ""
            if blob.startswith("version https://git-lfs"):
                oid = blob.split("oid sha256:")[1].split()[0]
                real = int(blob.split("size ")[1].split()[0])
                entry.update(size=real, lfs={"oid": oid, "size": real, "pointerSize": int(size)})
            out.append(entry)
        return out

    def refs(self, repo_id: str) -> dict:
        path = self.repo(repo_id)
        branches, tags = [], []
        for line in _git(path, "for-each-ref", "--format=%(refname) %(objectname) %(*objectname)").splitlines():
            ref, obj, peeled = [*line.split(), ""][:3]
            entry = {"name": ref.split("/", 2)[2], "ref": ref, "targetCommit": peeled or obj}
            (branches if ref.startswith("refs/heads/") else tags).append(entry)
        return {"branches": branches, "tags": tags, "converts": []}

    # --- HTTP -----------------------------------------------------------------------------
    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _body(self) -> bytes:
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""  # always drained: keep-alive stays in sync

            def _send(self, status: int, payload: dict | list | None = None) -> None:
                body = json.dumps(payload if payload is not None else {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _repo_id(self, parts: list[str]) -> str:
                return f"{parts[2]}/{parts[3]}"

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                parts = [unquote(p) for p in url.path.strip("/").split("/")]
                hub.requests.append(f"GET {url.path}")
                if parts[:2] == ["api", "datasets"] and len(parts) >= 4:
                    repo_id = self._repo_id(parts)
                    if not hub.repo(repo_id).exists():
                        return self._send(404, {"error": "Repository not found"})
                    rest = parts[4:]
                    if not rest or rest[0] == "revision":
                        rev = rest[1] if len(rest) > 1 else "main"
                        try:
                            sha = hub.head(repo_id, rev)
                        except subprocess.CalledProcessError:
                            return self._send(404, {"error": f"Invalid rev id: {rev}"})
                        siblings = [{"rfilename": f["path"]} for f in hub.tree(repo_id, sha)]
                        return self._send(200, {"id": repo_id, "sha": sha, "siblings": siblings, "private": False})
                    if rest[0] == "refs":
                        return self._send(200, hub.refs(repo_id))
                    if rest[0] == "tree":
                        rev, prefix = rest[1], "/".join(rest[2:])
                        files = [f for f in hub.tree(repo_id, rev) if f["path"].startswith(prefix)]
                        return self._send(200, files)
                self._send(404, {"error": f"not implemented: GET {url.path}"})

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                parts = [unquote(p) for p in url.path.strip("/").split("/")]
                body = self._body()
                hub.requests.append(f"POST {url.path}")
                if url.path == "/api/repos/create":
                    data = json.loads(body)
                    repo_id = f"{data['organization']}/{data['name']}"
                    created = hub.create(repo_id)
                    repo_url = f"{hub.url}/datasets/{repo_id}"
                    return self._send(
                        200 if created else 409,
                        {
                            "url": repo_url,
                            "name": repo_id,
                            "error": None if created else "You already created this dataset repo",
                        },
                    )
                if url.path == "/api/validate-yaml":
                    return self._send(200, {"errors": [], "warnings": []})
                if parts[-4:-2] == ["info", "lfs"] or url.path.endswith("/info/lfs/objects/batch"):
                    repo_id = "/".join(parts[1:3]).removesuffix(".git")
                    objects = []
                    for obj in json.loads(body)["objects"]:
                        entry = {"oid": obj["oid"], "size": obj["size"], "authenticated": True}
                        if not hub._lfs_path(hub.repo(repo_id), obj["oid"]).exists():
                            entry["actions"] = {"upload": {"href": f"{hub.url}/lfs-upload/{repo_id}/{obj['oid']}"}}
                        objects.append(entry)
                    return self._send(200, {"transfer": "basic", "objects": objects})
                if parts[:2] == ["api", "datasets"] and len(parts) >= 6:
                    repo_id, action = self._repo_id(parts), parts[4]
                    if action == "preupload":
                        files = json.loads(body)["files"]
                        modes = [
                            {"path": f["path"], "shouldIgnore": False,
                             "uploadMode": "lfs" if f["path"].endswith(LFS_SUFFIXES) else "regular"}
                            for f in files
                        ]  # fmt: skip
                        return self._send(200, {"files": modes})
                    if action == "commit":
                        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
                        status, payload = hub.commit(repo_id, lines)
                        if status == 200 and (answer := hub.answer_next_commit) is not None:
                            hub.answer_next_commit = None
                            if answer == 0:  # applied, then the connection dies unanswered
                                self.close_connection = True
                                return self.connection.shutdown(socket.SHUT_RDWR)
                            return self._send(answer, {"error": "Internal Error - simulated after the commit"})
                        return self._send(status, payload)
                    if action == "tag":
                        if hub.fail_next_tag:
                            hub.fail_next_tag = False
                            return self._send(500, {"error": "Internal Error - simulated tag failure"})
                        tag = json.loads(body)["tag"]
                        path = hub.repo(repo_id)
                        if tag in [t["name"] for t in hub.refs(repo_id)["tags"]]:
                            return self._send(409, {"error": f"Tag {tag} already exists"})
                        _git(path, "tag", "-a", tag, "-m", f"release {tag}", hub.head(repo_id, parts[5]))
                        return self._send(200, {})
                self._send(404, {"error": f"not implemented: POST {url.path}"})

            def do_PUT(self) -> None:
                url = urlsplit(self.path)
                parts = url.path.strip("/").split("/")
                body = self._body()
                hub.requests.append(f"PUT {url.path}")
                if parts[0] == "lfs-upload":
                    repo_id, oid = "/".join(parts[1:3]), parts[3]
                    if hashlib.sha256(body).hexdigest() != oid:
                        return self._send(400, {"error": "sha256 mismatch"})
                    target = hub._lfs_path(hub.repo(repo_id), oid)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(body)
                    return self._send(200, {})
                self._send(404, {"error": f"not implemented: PUT {url.path}"})

        return Handler
