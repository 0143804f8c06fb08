"""`train_all`: rebuilds the models from data/labels + a corpus folder, deterministically, with held-out metrics."""

from __future__ import annotations

import json
import time

import pytest

from analyzer.modelio import read_manifest
from analyzer.train import train_all

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def trained(corpus_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("models")
    t0 = time.perf_counter()
    metrics = train_all(corpus_dir, out, seed=0)
    return out, metrics, time.perf_counter() - t0


def test_held_out_metrics_meet_targets(trained):
    _, m, _ = trained
    bp = m["boilerplate"]["test@0.5"]["boilerplate"]
    assert m["boilerplate"]["test_size"] >= 200
    assert bp["f1"] >= 0.80
    assert m["boilerplate"]["test@0.8"]["boilerplate"]["precision"] >= 0.9  # the default finding threshold
    assert m["aspects"]["coverage"]["missing"]["precision"] >= 0.75  # 14 missing aspects in the test reports
    assert m["aspects"]["coverage"]["f1_macro"] >= 0.85


def test_aspect_metrics_at_part_sentence_and_report_level(trained):
    """Regression floors, not the issue's 0.85 target (not reached at part level: see models/MODEL_CARD.md)."""
    _, m, _ = trained
    asp = m["aspects"]
    parts = asp["parts"]
    assert parts["parts"] >= 60 and parts["reports"] == 13
    assert parts["with_headings"]["f1_macro"] >= 0.78
    assert parts["no_headings"]["f1_macro"] >= 0.75  # recognised from the content, not the heading
    assert asp["test_macro_f1"] >= 0.68  # sentence level
    # thresholds come from grouped CV on the training units and are folded into the intercepts
    assert set(asp["thresholds"]) == {"proactive", "requests", "management", "platforms", "supervision"}
    assert all(0.2 <= t <= 0.8 for t in asp["thresholds"].values())
    assert asp["cv"]["units"] >= 20 and asp["cv"]["parts"] >= 150
    assert not set(asp["test_units"]) & {"pingtan_gov_office", "pingtan"}


def test_test_units_contribute_no_training_data(trained):
    _, m, _ = trained
    assert "wangcun_town" in m["boilerplate"]["test_units"]  # the seed is held out


def test_training_is_deterministic_and_fast(trained, corpus_dir, tmp_path):
    out, _, seconds = trained
    assert seconds < 300
    train_all(corpus_dir, tmp_path, seed=0)
    a, b = read_manifest(out)["files"], read_manifest(tmp_path)["files"]
    assert a == b


def test_committed_models_are_what_train_produces(trained):
    """models/ is reproducible: retraining from the committed labels gives byte-identical artifacts."""
    from analyzer.resources import model_path

    out, _, _ = trained
    assert read_manifest(out)["files"] == read_manifest(model_path("manifest.json").parent)["files"]


def test_model_card_reports_the_measured_numbers(trained):
    out, m, _ = trained
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"{m['boilerplate']['test@0.5']['boilerplate']['f1']:.3f}" in card
    assert "split by issuing unit" in card
    assert json.loads((out / "metrics.json").read_text(encoding="utf-8"))["boilerplate"] == m["boilerplate"]


def test_retrain_on_a_user_folder_skips_missing_labelled_files(corpus_dir, tmp_path):
    import shutil

    folder = tmp_path / "mine"
    folder.mkdir()
    for p in sorted(corpus_dir.glob("0[5-9]*.txt"))[:12]:
        shutil.copy(p, folder / p.name)
    m = train_all(folder, tmp_path / "models", seed=0)
    assert m["boilerplate"]["hand_labels_dropped"] > 0
    assert (tmp_path / "models" / "boilerplate.npz").exists()


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    from analyzer.errors import NianbaoError

    with pytest.raises(NianbaoError) as exc:
        train_all(tmp_path / "nope", tmp_path / "models")
    assert exc.value.code == "not_found"
    with pytest.raises(NianbaoError):
        train_all(tmp_path, tmp_path / "models")  # exists but holds no .txt reports
