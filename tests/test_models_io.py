"""Plain-data models: save/load round trip, hash check, refusal of tampered/truncated/pickled files, and numpy
inference equal to scikit-learn's predict_proba."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from analyzer.errors import NianbaoError
from analyzer.modelio import load_model, read_manifest, save_model
from analyzer.narrative.linear import LinearTextModel, fit_linear_model, transform_sklearn
from analyzer.resources import model_path

TEXTS = ["全年受理申请7件，均在法定期限内答复。", "进一步加强组织领导，不断提高工作水平。",
         "2023年在门户网站公开信息318条。", "切实保障人民群众的知情权和监督权。",
         "组织业务培训2期，参训56人次。", "工作人员业务能力有待进一步提高。",
         "关停不更新的政务微博账号1个。", "不断拓宽公开渠道，提升公开实效。"]
Y = np.array([0, 1, 0, 1, 0, 1, 0, 1])


def test_round_trip_and_manifest(tmp_path):
    save_model("m", {"a": np.arange(3.0)}, {"labels": ["x"]}, tmp_path)
    arrays, meta = load_model("m", tmp_path)
    assert arrays["a"].tolist() == [0.0, 1.0, 2.0] and meta["labels"] == ["x"]
    files = read_manifest(tmp_path)["files"]
    assert set(files) == {"m.npz", "m.json"} and all(len(h) == 64 for h in files.values())


def test_save_is_byte_stable(tmp_path):
    save_model("m", {"a": np.arange(3.0)}, {"k": 1}, tmp_path / "one")
    save_model("m", {"a": np.arange(3.0)}, {"k": 1}, tmp_path / "two")
    assert (tmp_path / "one" / "m.npz").read_bytes() == (tmp_path / "two" / "m.npz").read_bytes()


@pytest.mark.parametrize("damage", ["tamper_json", "truncate_npz", "delete", "unlisted"])
def test_damaged_model_is_refused(tmp_path, damage):
    save_model("m", {"a": np.arange(3.0)}, {"labels": ["x"]}, tmp_path)
    if damage == "tamper_json":
        (tmp_path / "m.json").write_text(json.dumps({"labels": ["y"]}), encoding="utf-8")
    elif damage == "truncate_npz":
        data = (tmp_path / "m.npz").read_bytes()
        (tmp_path / "m.npz").write_bytes(data[: len(data) // 2])
    elif damage == "delete":
        (tmp_path / "m.npz").unlink()
    else:
        (tmp_path / "manifest.json").write_text(json.dumps({"files": {}}), encoding="utf-8")
    with pytest.raises(NianbaoError) as exc:
        load_model("m", tmp_path)
    assert exc.value.code == "model_invalid"


def test_object_arrays_are_refused_on_save(tmp_path):
    with pytest.raises(ValueError):
        save_model("m", {"a": np.array([{"x": 1}], dtype=object)}, {}, tmp_path)


def test_pickled_npz_is_refused_on_load(tmp_path):
    """Even with a matching hash, an npz holding a pickled object array cannot be loaded (allow_pickle=False)."""
    np.savez(tmp_path / "m.npz", a=np.array([{"x": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "m.json").write_text("{}", encoding="utf-8")
    from analyzer.modelio import sha256_file

    manifest = {"files": {fn: sha256_file(tmp_path / fn) for fn in ("m.npz", "m.json")}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(NianbaoError) as exc:
        load_model("m", tmp_path)
    assert exc.value.code == "model_invalid"


def test_numpy_inference_equals_sklearn(tmp_path):
    model, vec, clfs = fit_linear_model("t", TEXTS * 2, np.concatenate([Y, Y]), ["b"], "boilerplate", seed=0)
    model.save(tmp_path)
    loaded = LinearTextModel.load("t", tmp_path)
    probe = TEXTS + ["本年度未收取信息处理费。", "完全没见过的句子：平台上线3个新栏目"]
    ours = loaded.predict_proba(probe)[:, 0]
    theirs = clfs[0].predict_proba(transform_sklearn(vec, probe, "boilerplate"))[:, 1]
    assert np.allclose(ours, theirs, atol=1e-9)


def test_shipped_models_load_and_match_manifest():
    for name in ("boilerplate", "aspects"):
        m = LinearTextModel.load(name)
        assert m.coef.shape[1] == len(m.vocab) + (9 if name == "boilerplate" else 5)


def test_shipped_model_tampering_is_detected(tmp_path):
    src = model_path("")
    for fn in ("boilerplate.npz", "boilerplate.json", "manifest.json"):
        shutil.copy(src / fn, tmp_path / fn)
    meta = json.loads((tmp_path / "boilerplate.json").read_text(encoding="utf-8"))
    meta["vocabulary"][0] = "改"
    (tmp_path / "boilerplate.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(NianbaoError):
        LinearTextModel.load("boilerplate", tmp_path)
