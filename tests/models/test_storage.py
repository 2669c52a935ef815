import io
import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

from vigil.models import storage
from vigil.models.dataset import load
from vigil.models.train import TrainParams, train

DATA = Path(__file__).parent.parent / "data" / "models"
MARKER: list[str] = []


def _trained():
    ds = load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"])
    return train(ds.texts, ds.labels, TrainParams(folds=0)).classifier


class Boom:
    """Unpickling this writes a file: proof that code from the model file ran."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (Path(self.path), "pwned"))


@pytest.fixture(scope="module")
def clf():
    return _trained()


def test_save_load_round_trip(tmp_path, clf):
    storage.save(tmp_path, "src", clf, {"name": "src"})
    back = storage.load(tmp_path, "src")
    assert back.classes == clf.classes
    texts = ["I can hear sirens outside my house", "praying for Harbourtown"]
    assert np.allclose(back.predict_proba(texts), clf.predict_proba(texts), atol=1e-6)
    assert storage.names(tmp_path) == ["src"]
    assert storage.read_card(tmp_path, "src") == {"name": "src"}
    storage.remove(tmp_path, "src")
    assert storage.names(tmp_path) == []


@pytest.mark.parametrize("name", ["../evil", "a/b", "/abs", ".hidden", "..", "a..b", "", "x" * 65, "a\\b", "é"])
def test_bad_names_refused(tmp_path, clf, name):
    with pytest.raises(storage.ModelError):
        storage.save(tmp_path, name, clf, {})
    assert not (tmp_path.parent / "evil").exists()


def test_pickled_weights_file_is_refused_and_never_unpickled(tmp_path, clf):
    storage.save(tmp_path, "src", clf, {})
    marker = tmp_path / "marker"
    weights = tmp_path / "models" / "src" / storage.WEIGHTS
    weights.write_bytes(pickle.dumps(Boom(str(marker))))
    with pytest.raises(storage.ModelError, match="refused"):
        storage.load(tmp_path, "src")
    assert not marker.exists()


def test_object_array_inside_npz_is_refused_and_never_unpickled(tmp_path, clf):
    storage.save(tmp_path, "src", clf, {})
    marker = tmp_path / "marker"
    weights = tmp_path / "models" / "src" / storage.WEIGHTS
    buf = io.BytesIO()
    np.save(buf, np.array([Boom(str(marker))], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(weights) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["rows.npy"] = buf.getvalue()
    with zipfile.ZipFile(weights, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    with pytest.raises(storage.ModelError):
        storage.load(tmp_path, "src")
    assert not marker.exists()
    assert storage.names(tmp_path) == ["src"]


def test_out_of_range_weights_are_refused(tmp_path, clf):
    storage.save(tmp_path, "src", clf, {})
    weights = tmp_path / "models" / "src" / storage.WEIGHTS
    with np.load(weights) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["rows"] = arrays["rows"] + (1 << 30)
    np.savez(weights, **arrays)
    with pytest.raises(storage.ModelError, match="do not match"):
        storage.load(tmp_path, "src")


def test_a_format_1_model_with_block_features_still_loads(tmp_path):
    from vigil.models.features import FeatureParams

    ds = load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"])
    old = train(ds.texts, ds.labels, TrainParams(folds=0, features=FeatureParams())).classifier
    assert old.idf is None
    storage.save(tmp_path, "old", old, {})
    meta = json.loads((tmp_path / "models" / "old" / storage.MODEL).read_text())
    assert meta["format"] == 1
    del meta["features"]["weighting"]  # as files written before the option existed
    (tmp_path / "models" / "old" / storage.MODEL).write_text(json.dumps(meta))
    back = storage.load(tmp_path, "old")
    texts = ["I can hear sirens outside my house", "praying for Harbourtown"]
    assert np.allclose(back.predict_proba(texts), old.predict_proba(texts), atol=1e-6)


def test_a_newer_format_is_refused_naming_the_file(tmp_path, clf):
    assert clf.idf is not None
    storage.save(tmp_path, "src", clf, {})
    path = tmp_path / "models" / "src" / storage.MODEL
    meta = json.loads(path.read_text())
    assert meta["format"] == storage.FORMAT == 2
    path.write_text(json.dumps(meta | {"format": 4}))
    with pytest.raises(storage.ModelError) as err:
        storage.load(tmp_path, "src")
    assert str(path) in str(err.value) and "format 4" in str(err.value) and "\n" not in str(err.value)


def test_idf_of_the_wrong_shape_is_refused(tmp_path, clf):
    storage.save(tmp_path, "src", clf, {})
    weights = tmp_path / "models" / "src" / storage.WEIGHTS
    with np.load(weights) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["idf"] = arrays["idf"][:100]
    np.savez(weights, **arrays)
    with pytest.raises(storage.ModelError, match="idf does not match"):
        storage.load(tmp_path, "src")
