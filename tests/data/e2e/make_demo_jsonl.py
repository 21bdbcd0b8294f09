#!/usr/bin/env python3
"""Builds demo_events.jsonl (JSON lines) from ../demo/demo_events.csv, for the --replay test.

Events whose _raw is JSON (Entra audits and sign-ins, O365 records) become their _raw, one
object per line: what a Graph / Management Activity API export holds. Windows events (_raw is
XML) become lines of Splunk's own JSON export, {"preview":false,"offset":N,"result":{...}},
carrying the event's non-empty fields (multivalue ones as lists) and the XML _raw.
Order is kept (newest first). Deterministic: run it again and the file is byte-identical.
"""
import csv
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "demo", "demo_events.csv")
OUT = os.path.join(HERE, "demo_events.jsonl")


def main():
    lines = []
    with open(SRC, newline="") as f:
        for offset, row in enumerate(csv.DictReader(f)):
            raw = row["_raw"]
            if raw.lstrip().startswith("{"):
                lines.append(json.dumps(json.loads(raw), separators=(",", ":")))
                continue
            result = {}
            for name, value in row.items():
                if name.startswith("__mv_") or value == "":
                    continue
                result[name] = value.split("\n") if "\n" in value and name != "_raw" else value
            lines.append(json.dumps({"preview": False, "offset": offset, "result": result},
                                    separators=(",", ":")))
    with open(OUT, "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
