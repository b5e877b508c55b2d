"""Reading labelled files: format detection, label spaces, VADER banding, XLM-T cleanup."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.data import DataFormatError, detect_format, load_labelled
from nlp.metrics import classification_metrics


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_label_first_tsv_with_header_is_binary_and_maps_one_to_positive(tmp_path: Path) -> None:
    data = load_labelled(_write(tmp_path / "dev.tsv", "label\tcontent\n0\tbad film\n1\tgood film\n"))
    assert data.format == "label-text" and data.binary
    assert data.texts == ["bad film", "good film"] and data.labels == [0, 2]


def test_text_first_tsv_is_detected(tmp_path: Path) -> None:
    data = load_labelled(_write(tmp_path / "uci.txt", "Loved it.  \t1\nCrust is not good.\t0\n"))
    assert data.format == "text-label"
    assert data.texts == ["Loved it.", "Crust is not good."] and data.labels == [2, 0]


def test_three_class_integer_labels_stay_as_they_are(tmp_path: Path) -> None:
    data = load_labelled(_write(tmp_path / "t.tsv", "0\tbad\n1\tmeh\n2\tgood\n"))
    assert not data.binary and data.labels == [0, 1, 2]


def test_label_names_are_accepted(tmp_path: Path) -> None:
    data = load_labelled(_write(tmp_path / "t.tsv", "negative\tbad\nNEU\tmeh\nPositive\tgood\n"))
    assert data.labels == [0, 1, 2] and not data.binary


def test_csv_with_header_is_read_by_column_name(tmp_path: Path) -> None:
    data = load_labelled(_write(tmp_path / "t.csv", 'label,text\n2,"good, really"\n0,bad\n'))
    assert data.format == "csv" and data.texts == ["good, really", "bad"] and data.labels == [2, 0]


def test_vader_ratings_are_banded_into_three_classes(tmp_path: Path) -> None:
    path = _write(tmp_path / "v.txt", "1\t2.5\tgreat\n2\t-0.49\tmeh\n3\t-0.5\tbad\n4\t0.5\tok\n")
    data = load_labelled(path)
    assert data.format == "vader" and data.labels == [2, 1, 0, 2]
    assert load_labelled(path, vader_band=1.0).labels == [2, 1, 1, 1]


def test_xlmt_text_file_is_paired_with_its_labels_file_and_unescaped(tmp_path: Path) -> None:
    _write(tmp_path / "val_labels.txt", "0\n2\n")
    text = _write(tmp_path / "val_text.txt", 'i\\u2019m sad \n"He said \\"""hi\\""" \\u002c ok" \n')
    data = load_labelled(text)
    assert data.format == "xlmt"
    assert data.texts[0] == "i’m sad"
    assert data.texts[1] == 'He said "hi" , ok'
    assert data.labels == [0, 2]


def test_limit_takes_a_seeded_sample_not_the_first_rows(tmp_path: Path) -> None:
    rows = "".join(f"{0 if i < 50 else 2}\ttext {i}\n" for i in range(100))
    path = _write(tmp_path / "sorted.tsv", rows)
    sample = load_labelled(path, limit=20)
    assert len(sample) == 20 and 0 in sample.labels and 2 in sample.labels
    assert load_labelled(path, limit=20).texts == sample.texts


def test_unrecognisable_files_give_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="cannot tell the format"):
        detect_format(_write(tmp_path / "x.txt", "just some text\nwithout labels\n"))
    with pytest.raises(DataFormatError, match="does not exist"):
        load_labelled(tmp_path / "missing.tsv")


def test_metrics_count_neutral_predictions_on_binary_gold_as_errors() -> None:
    m = classification_metrics([0, 0, 2, 2], [0, 1, 2, 2], [0, 2])
    assert m.accuracy == 0.75
    assert m.macro_recall == pytest.approx((0.5 + 1.0) / 2)
    assert m.per_class_f1[0] == pytest.approx(2 / 3)
    assert m.per_class_f1[2] == pytest.approx(1.0)
