from fastapi.testclient import TestClient

PAGES = ["/learn", "/about", "/options", "/values", "/quiz", "/offer", "/summary"]


def test_every_page_renders(client: TestClient) -> None:
    for path in PAGES:
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:500])


def test_every_page_renders_with_profile(profiled: TestClient) -> None:
    for path in PAGES:
        r = profiled.get(path)
        assert r.status_code == 200, (path, r.text[:500])


def test_cached_pages_are_gzipped_when_asked(profiled: TestClient) -> None:
    import gzip

    plain = profiled.get("/options", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    raw = profiled.get("/options", headers={"accept-encoding": "gzip"}, extensions={})
    assert raw.headers["content-encoding"] == "gzip" and raw.headers["vary"] == "Accept-Encoding"
    assert raw.text == plain.text  # httpx decodes; same page
    assert len(gzip.compress(plain.content)) < len(plain.content) / 4  # repetitive HTML


def test_headline_is_the_best_matching_strongest_figure(app: object) -> None:
    from msstem.decision import assess, parse_profile
    from msstem.reports.options import build_options

    view = build_options(assess(parse_profile({"ms_course": "RRMS", "edss": 3.5, "age": 34})))
    ahsct = view["columns"][0]
    trm = next(g for g in ahsct["harms"] if g["outcome"] == "treatment_related_death")
    rank = {"matches": 0, "partly": 1, "does_not_match": 2}
    head = trm["headline"]
    for other in trm["others"]:
        assert rank[head["applicability"]] <= rank[other["applicability"]]
    assert head["verified"]


def test_serve_command_is_registered() -> None:
    from typer.testing import CliRunner

    from msstem.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output


def test_nodelay_protocol_sets_tcp_nodelay() -> None:
    import contextlib
    import socket

    from msstem.web.serving import NoDelayHttpToolsProtocol

    class Transport:
        def __init__(self, sock: socket.socket) -> None:
            self.sock = sock

        def get_extra_info(self, name: str, default: object = None) -> object:
            return self.sock if name == "socket" else default

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
    try:
        proto = NoDelayHttpToolsProtocol.__new__(NoDelayHttpToolsProtocol)
        # The base class then fails for want of a server; NODELAY is set before it runs.
        with contextlib.suppress(AttributeError):
            proto.connection_made(Transport(sock))  # type: ignore[arg-type]
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        sock.close()


def test_settings_from_environment(monkeypatch: object) -> None:
    import pytest as _pytest

    from msstem.web import WebSettings

    mp: _pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    mp.setenv("MSSTEM_PORT", "9001")
    mp.setenv("MSSTEM_SECRET_KEY", "k" * 32)
    mp.setenv("MSSTEM_MAX_BODY_BYTES", "2048")
    s = WebSettings()
    assert (s.port, s.max_body_bytes) == (9001, 2048)
    assert s.signing_key() == b"k" * 32
    mp.setenv("MSSTEM_SECRET_KEY", "short")
    with _pytest.raises(ValueError, match="at least 16"):
        WebSettings()
    mp.delenv("MSSTEM_SECRET_KEY")
    a, b = WebSettings().signing_key(), WebSettings().signing_key()
    assert a != b and len(a) == 32  # random per process when unset


def test_store_round_trip_and_hashing(tmp_path: object) -> None:
    import sqlite3
    from pathlib import Path

    import pytest as _pytest

    from msstem.errors import NotFoundError
    from msstem.web.storage import SummaryStore

    db = Path(str(tmp_path)) / "sub" / "s.sqlite3"
    store = SummaryStore(f"sqlite:///{db}")
    with _pytest.raises(NotFoundError):
        store.load("A" * 43)
    assert not db.exists()  # reading never creates the database
    token = store.save({"title": "x"})
    assert len(token) == 43 and store.load(token)[0] == {"title": "x"}
    rows = sqlite3.connect(db).execute("select token_sha256 from saved_summaries").fetchall()
    assert rows and token not in str(rows)  # only the hash is stored
    store.delete(token)
    with _pytest.raises(NotFoundError):
        store.delete(token)


def test_update_policy_and_staleness_warning(client: TestClient) -> None:
    from datetime import date, timedelta

    from msstem.evidence import load_evidence
    from msstem.web.learn import STALE_AFTER_DAYS, build_learn, is_stale

    curated = date(2026, 1, 1)
    assert not is_stale(curated, curated + timedelta(days=STALE_AFTER_DAYS))
    assert is_stale(curated, curated + timedelta(days=STALE_AFTER_DAYS + 1))
    eb = load_evidence()
    later = eb.evidence_date + timedelta(days=STALE_AFTER_DAYS + 30)
    assert build_learn(eb, today=later)["stale"] is True
    html = client.get("/learn").text
    assert "Update policy" in html and "Funding and conflicts of interest" in html
    assert eb.evidence_date.isoformat() in html
