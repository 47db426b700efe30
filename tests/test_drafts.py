"""Typed drafts kept in files outlive the kiosk process; each shop's database keeps its own."""

from kiosk import drafts


def test_two_shops_on_one_machine_keep_their_drafts_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    typed = {("ReceptionScreen", "search"): "李四"}
    drafts.save(f"sqlite:///{tmp_path / 'demo.sqlite'}", "front-desk", 1, typed)
    # Employee 1 of the other shop, on the same terminal, gets nothing of the first shop's customer.
    assert drafts.load(f"sqlite:///{tmp_path / 'shop.sqlite'}", "front-desk", 1) == {}
    assert drafts.load(f"sqlite:///{tmp_path / 'demo.sqlite'}", "front-desk", 1) == typed
    drafts.save(f"sqlite:///{tmp_path / 'demo.sqlite'}", "front-desk", 1, {})  # all given back: the file goes
    assert drafts.load(f"sqlite:///{tmp_path / 'demo.sqlite'}", "front-desk", 1) == {}
    assert not list((tmp_path / "data").rglob("*.json"))
