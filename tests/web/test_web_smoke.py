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
