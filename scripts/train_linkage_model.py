"""Retrain the shipped identity-resolution model (src/sojourn/engine/linkage_model.json) from synthetic persons.

    python scripts/train_linkage_model.py            # write the model
    python scripts/train_linkage_model.py --check    # exit 1 when retraining gives another version

Deterministic: the same code, records and seed give the same parameters, hence the same version
(docs/linkage.md, "Versioning").
"""

from __future__ import annotations

import argparse
import json
import sys

from sojourn.engine.linkage import DEFAULT_MODEL_PATH, load_model, model_version, train
from sojourn.synth.people import synthetic_persons

RECORDS = 20_000
DATA_SEED = 11  # not the seed the tests evaluate on (7): the model is measured on records it has not seen
TRAINING_SEED = 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped model instead of writing")
    parser.add_argument("--records", type=int, default=RECORDS)
    args = parser.parse_args()
    persons, _ = synthetic_persons(args.records, seed=DATA_SEED)
    model = train(persons, seed=TRAINING_SEED)
    model["sojourn"]["trained_on"] |= {"dataset": "sojourn.synth.people.synthetic_persons", "data_seed": DATA_SEED}
    if args.check:
        shipped = model_version(load_model())
        print(f"shipped {shipped}, retrained {model_version(model)}")
        return 0 if shipped == model_version(model) else 1
    DEFAULT_MODEL_PATH.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {DEFAULT_MODEL_PATH} ({model_version(model)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
