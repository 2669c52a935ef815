from __future__ import annotations

import hashlib

from vigil.sources.digest import file_sha256, source_digest


def test_a_file_and_a_folder_digest(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    a = tmp_path / "d" / "a.json"
    a.write_bytes(b"x" * 3_000_000)
    (tmp_path / "d" / "sub" / "b.txt").write_bytes(b"hello")
    assert file_sha256(a) == hashlib.sha256(b"x" * 3_000_000).hexdigest()
    assert source_digest(a) == (file_sha256(a), 3_000_000)
    want = hashlib.sha256(b"a.json\x00" + b"x" * 3_000_000 + b"sub/b.txt\x00hello").hexdigest()
    assert source_digest(tmp_path / "d") == (want, 3_000_005)
