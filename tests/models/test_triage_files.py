"""The light check of the built-in model's files: what the parent of ingest workers runs, without numpy."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import zipfile

import pytest

from vigil.models.triage_files import FORMAT, ModelFileError, check


def test_the_shipped_files_pass(model_copy):
    check()
    check(model_copy)


def test_truncated_missing_foreign_or_other_arrays_are_refused_by_name(model_copy):
    d = model_copy
    raw = (d / "triage.npz").read_bytes()
    (d / "triage.npz").write_bytes(raw[: len(raw) - 100])
    with pytest.raises(ModelFileError, match=r"triage\.npz: unreadable, refused \(BadZipFile"):
        check(d)
    with zipfile.ZipFile(d / "triage.npz", "w") as z:
        z.writestr("rows.npy", b"")
    with pytest.raises(ModelFileError, match=r"triage\.npz: expected arrays .*found \['rows\.npy'\]"):
        check(d)
    (d / "triage.npz").unlink()
    with pytest.raises(ModelFileError, match=r"triage\.npz: missing"):
        check(d)
    meta = json.loads((d / "triage.json").read_text())
    (d / "triage.json").write_text(json.dumps(meta | {"heads": ["casualties"]}))
    with pytest.raises(ModelFileError, match=r"triage\.json: heads \['casualties'\] are not"):
        check(d)
    (d / "triage.json").write_text(json.dumps(meta | {"format": FORMAT + 1}))
    with pytest.raises(ModelFileError, match=r"triage\.json: model format 3 .*rebuild it with `make models`"):
        check(d)
    (d / "triage.json").write_text("{")
    with pytest.raises(ModelFileError, match=r"triage\.json: cannot read"):
        check(d)


def test_the_farewell_heads_files_are_checked_too(model_copy):
    d = model_copy
    (d / "farewell.npz").unlink()
    with pytest.raises(ModelFileError, match=r"farewell\.npz: missing"):
        check(d)
    meta = json.loads((d / "farewell.json").read_text())
    (d / "farewell.json").write_text(json.dumps(meta | {"heads": ["plea"]}))
    with pytest.raises(ModelFileError, match=r"farewell\.json: heads \['plea'\] are not this Vigil's \['farewell'\]"):
        check(d)


def test_sending_the_enricher_to_a_worker_loads_neither_numpy_nor_the_weights():
    code = (
        "import pickle, sys\n"
        "from vigil.models.triage_enricher import TriageModelEnricher\n"
        "state = pickle.loads(pickle.dumps(TriageModelEnricher())).__dict__\n"
        "print(state['broken'], state['model'], 'numpy' in sys.modules, 'scipy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["None", "None", "False", "False"], out.stderr


def test_a_broken_file_is_said_in_the_parent_and_the_worker_does_not_load(fresh, capsys, model_copy):
    from vigil.models import triage_enricher

    (model_copy / "triage.npz").write_bytes(b"PK\x03\x04 not really")
    fresh.setenv(triage_enricher.ENV, str(model_copy))
    sent = pickle.loads(pickle.dumps(triage_enricher.TriageModelEnricher()))
    assert sent.broken is not None and "triage.npz: unreadable" in sent.broken
    assert capsys.readouterr().err.count("built-in triage model not used") == 1
