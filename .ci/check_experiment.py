"""Check the outputs of a `batchbald-experiment` run (CI runs it on the smoke preset's output directory).

Usage: python .ci/check_experiment.py OUTPUT_DIR
Fails (exit 1, one line per problem) unless: results.json is complete and valid, every configured method has a row for
every seed and step up to the budget, every test accuracy is in (0, 1], results.csv has the same rows, and accuracy.png
is a PNG file."""
import csv
import json
import math
import sys
from pathlib import Path


def check(output_dir: Path) -> list[str]:
    problems = []
    try:
        results = json.loads((output_dir / "results.json").read_text())
    except (OSError, json.JSONDecodeError) as e:
        return [f"results.json: cannot be read: {e}"]
    config, records = results.get("config", {}), results.get("records", [])
    if not results.get("complete"):
        problems.append("results.json: the run is not complete")
    for method in config.get("methods", []):
        for seed in config.get("seeds", []):
            mine = [r for r in records if r["method"] == method and r["seed"] == seed]
            if not mine:
                problems.append(f"results.json: no rows for method {method} seed {seed}")
            elif max(r["labels"] for r in mine) != config["budget"]:
                problems.append(f"results.json: {method} seed {seed} stops at {max(r['labels'] for r in mine)} labels, "
                                f"budget {config['budget']}")
    for r in records:
        accuracy = r.get("test_accuracy")
        if not (isinstance(accuracy, (int, float)) and math.isfinite(accuracy) and 0 < accuracy <= 1):
            problems.append(f"results.json: {r.get('method')} seed {r.get('seed')} step {r.get('step')}: "
                            f"test accuracy {accuracy!r} not in (0, 1]")
    try:
        with open(output_dir / "results.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        if [(row["method"], int(row["seed"]), int(row["step"]), float(row["test_accuracy"])) for row in rows] != \
                [(r["method"], r["seed"], r["step"], r["test_accuracy"]) for r in records]:
            problems.append("results.csv: rows differ from results.json's records")
    except (OSError, KeyError, ValueError) as e:
        problems.append(f"results.csv: cannot be read: {e!r}")
    try:
        if (output_dir / "accuracy.png").read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            problems.append("accuracy.png: not a PNG file")
    except OSError as e:
        problems.append(f"accuracy.png: {e}")
    return problems


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    found = check(Path(sys.argv[1]))
    for problem in found:
        print(f"ERROR: {problem}")
    if not found:
        results = json.loads((Path(sys.argv[1]) / "results.json").read_text())
        methods = ", ".join(results["config"]["methods"])
        print(f"OK: {len(results['records'])} steps of {methods}; accuracies in (0, 1]; results.csv matches; accuracy.png is a PNG")
    sys.exit(1 if found else 0)
