import json

import pyarrow as pa
import pytest

from aznews import schema


def test_every_column_is_documented_and_required():
    spec = schema.json_schema()
    assert set(spec["required"]) == set(spec["properties"])
    for name, prop in spec["properties"].items():
        assert len(prop["description"]) > 20, name


def test_arrow_schema_features_and_json_schema_agree():
    arrow = schema.arrow_schema()
    feats = schema.features()
    assert arrow.names == list(schema.json_schema()["properties"]) == list(feats)
    # datasets' own conversion of the Features gives the same types, column by column
    for field in feats.arrow_schema:
        assert arrow.field(field.name).type == field.type, field.name
    # and the embedded metadata round-trips to the same Features
    from datasets import Features

    assert Features.from_arrow_schema(arrow) == feats
    assert json.loads(arrow.metadata[b"huggingface"])["info"]["features"] == feats.to_dict()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("authors", pa.list_(pa.string())),
        ("language_score", pa.float32()),
        ("cluster_size", pa.int32()),
    ],
)
def test_types(name, expected):
    assert schema.arrow_schema().field(name).type == expected


def test_nullability_follows_json_types():
    arrow = schema.arrow_schema()
    assert arrow.field("published_at").nullable
    assert arrow.field("original_publisher").nullable
    assert not arrow.field("id").nullable
    assert not arrow.field("text").nullable


def test_undocumented_column_is_refused():
    spec = json.loads(json.dumps(schema.json_schema()))
    spec["properties"]["id"]["description"] = " "
    with pytest.raises(schema.SchemaError, match="'id' is not documented"):
        schema._bare_arrow_schema(spec)


def test_features_file_is_derived_from_this_schema():
    """The committed features file equals what datasets derives now; regenerate it with
    ``python -c 'from aznews.schema import write_features; write_features()'``."""
    saved = json.loads(schema.features_path().read_text(encoding="utf-8"))
    assert saved["schema_sha256"] == schema._schema_digest(), "schema changed: regenerate the features file"
    assert saved["features"] == schema.features().to_dict()


def test_release_schema_needs_no_datasets_import():
    import subprocess
    import sys

    code = "import sys; from aznews.schema import arrow_schema; arrow_schema(); print('datasets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_stale_features_file_is_not_used(tmp_path):
    stale = json.loads(schema.features_path().read_text(encoding="utf-8"))
    stale["schema_sha256"] = "0" * 64
    stale["features"]["id"] = {"dtype": "int8", "_type": "Value"}
    path = tmp_path / schema.FEATURES_FILENAME
    path.write_text(json.dumps(stale), encoding="utf-8")
    assert schema.features_dict(path) == schema.features().to_dict()
