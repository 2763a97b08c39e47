"""The cached, validated evidence base: same records, rebuilt on change, silent fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from msstem.evidence import cache, loader

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "msstem" / "evidence" / "data"
EXAMPLE = ROOT / "examples" / "profile.json"
load_uncached = loader.load_evidence.__wrapped__  # skip the in-process functools cache


def _records(eb: loader.EvidenceBase) -> tuple[object, ...]:
    return (eb.source_list, eb.fact_list, eb.meta, eb.trials, eb.guidelines, eb.definitions,
            eb.faq, eb.dmts, dict(eb.locations), dict(eb.criterion_lines), eb.criteria())


def test_key_follows_the_data() -> None:
    files = {"a.yaml": b"x: 1\n", "meta.yaml": b"m"}
    assert cache.key_for(files) == cache.key_for(dict(files))
    assert cache.key_for(files) != cache.key_for({**files, "a.yaml": b"x: 2\n"})
    assert cache.key_for(files) != cache.key_for({"b.yaml": b"x: 1\n", "meta.yaml": b"m"})


def test_cached_load_equals_a_fresh_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    fresh = load_uncached(DATA)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    first = load_uncached(DATA)
    assert len(list((tmp_path / "cache").glob("evidence-*.pickle"))) == 1

    def no_parsing(files: object) -> None:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(loader, "_build", no_parsing)
    cached = load_uncached(DATA)
    assert _records(cached) == _records(first) == _records(fresh)
    assert cached.criterion("beat-ms", "age-max").line == fresh.criterion("beat-ms", "age-max").line


def test_edited_data_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    copy = tmp_path / "data"
    copy.mkdir()
    for file in DATA.glob("*.yaml"):
        (copy / file.name).write_bytes(file.read_bytes())
    assert load_uncached(copy).criterion("net-ms", "age-max").criterion.value == 55
    trials = copy / "trials.yaml"
    line = load_uncached(copy).criterion("net-ms", "age-max").line
    assert line is not None
    lines = trials.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace("55", "57")
    trials.write_text("".join(lines), encoding="utf-8")
    assert load_uncached(copy).criterion("net-ms", "age-max").criterion.value == 57


def test_unwritable_cache_folder_falls_back_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    assert cache.write("k", {"x": 1}) is False
    assert cache.read("k") is None
    assert load_uncached(DATA).criterion("beat-ms", "age-max").criterion.value == 55


def test_bad_or_foreign_cache_files_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    assert cache.write("abc", {"x": 1})
    path = tmp_path / "evidence-abc.pickle"
    assert cache.read("abc") == {"x": 1}
    os.chmod(path, 0o666)  # others could have written it: never unpickled
    assert cache.read("abc") is None
    os.chmod(path, 0o600)
    path.write_bytes(b"truncated")
    assert cache.read("abc") is None
    assert cache.read("other-key") is None
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert cache.cache_dir() is None and cache.write("abc", {"x": 1}) is False


def test_cache_folder_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "msstem"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "msstem"


def _assess(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from msstem.cli import main; main()", "assess", str(EXAMPLE),
         "--format", "json"],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )


def test_assess_with_no_writable_home_gives_the_same_report(tmp_path: Path) -> None:
    """A service account: read-only install, unwritable HOME, no cache settings at all."""
    base = {k: v for k, v in os.environ.items()
            if k not in (cache.CACHE_ENV, "XDG_CACHE_HOME", "HOME")}
    blocker = tmp_path / "a-file"
    blocker.write_text("HOME points below a file, so nothing can be created there")
    no_home = _assess(base | {"HOME": str(blocker / "home")})
    warm = base | {cache.CACHE_ENV: str(tmp_path / "cache")}
    _assess(warm)
    cached = _assess(warm)
    assert no_home.returncode == 0 and cached.returncode == 0, no_home.stderr
    assert no_home.stderr == "" and cached.stderr == ""
    assert json.loads(no_home.stdout) == json.loads(cached.stdout)
    assert no_home.stdout == cached.stdout
