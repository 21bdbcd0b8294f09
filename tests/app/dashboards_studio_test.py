#!/usr/bin/env python3
"""The Dashboard Studio views, checked by Splunk's own tools and seen in a real browser.

* Every definition passes Splunk's published validator (@splunk/dashboard-validation with the
  schema @splunk/dashboard-definition builds from the presets), and deliberately broken copies
  do not.
* Every data source's search is run on the bundled demo data (spl_eval: the real command over
  the chunked protocol, the demo events, the person macros in Python): a search that names a
  field the command does not emit fails (MissingField), and every panel's search returns rows.
* Headless Chromium renders each dashboard with Splunk's framework (@splunk/dashboard-core,
  @splunk/visualizations, React 18), its searches answered with those results, and every panel
  must be on screen and show data: table rows or chart marks, no error, no empty result. The
  screenshots are written to BUILD_DIR/dashboards/<view>.png.

  dashboards_studio_test.py --command PATH --driver PATH --node PATH --build-dir DIR
"""
import argparse
import copy
import json
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import app_paths  # noqa: E402
import spl_eval  # noqa: E402
import studio  # noqa: E402
from splunk_conf import read_conf  # noqa: E402

ARGS = None
TOOLS = os.path.join(app_paths.REPO, "tests", "dashboards")
DEMO = os.path.join(app_paths.REPO, "tests", "data", "demo", "demo_events.csv")
# The person the investigation view is rendered for: the demo's critical chain target.
PERSON = "amanda.reyes"
# "Now" for SilentFor in the health panel: an hour after the demo's last event.
NOW = 1748884800 + 3600
EPOCH = re.compile(r"^\d{9,10}(\.\d+)?$")
TIME_COLUMNS = {"Time", "FirstReset", "LastReset", "ResetTime", "MFATime", "First", "Last", "LastEvent"}


def shipped_identity_map():
    """The identity map as the app ships it: a KV store collection without rows."""
    return []


def tokens_for(name, definition):
    toks = studio.default_tokens(definition)
    if name == "vishing_investigation":
        toks["identity"] = PERSON
    return toks


def definition_for_render(name, definition):
    """The definition the browser renders. Splunk's framework runs a ds.chain as a post-process
    of its base's search job (by sid), which needs splunkd; so each ds.chain is handed to the
    harness as a ds.search of its whole search (base | post-process), which is what Splunk's
    post-process returns. Panels, options, layout and inputs are the shipped ones."""
    d = copy.deepcopy(definition)
    for ds_id, ds in d["dataSources"].items():
        if ds["type"] == "ds.chain":
            d["dataSources"][ds_id] = {"type": "ds.search", "name": ds.get("name", ds_id),
                                       "options": {"query": studio.full_query(definition, ds_id)}}
    if name == "vishing_investigation":
        d["inputs"]["input_identity"]["options"]["defaultValue"] = PERSON
    return d


def compute_answers(ctx, definition, toks):
    """{ds id: Table} for every data source, from the demo data."""
    return {ds_id: spl_eval.run(q, ctx) for ds_id, q in studio.full_queries(definition, toks).items()}


def answers_by_query(definition, tables, toks):
    """What the harness looks answers up by: each data source's whole search, tokens substituted."""
    out = {}
    for ds_id, table in tables.items():
        q = studio.full_query(definition, ds_id, toks)
        if q in out:
            raise AssertionError("two data sources with the same query text: %r" % q)
        out[q] = spl_eval.to_answer(table)
    return out


def panel_problems(definition, tables, rendered, toks):
    """Every way a panel fails to show data; [] when each is present and non-empty."""
    problems = []
    requested = {r["query"]: r for r in rendered["requests"]}
    for viz_id, ds_id in studio.panel_sources(definition).items():
        viz = definition["visualizations"][viz_id]
        p = rendered["panels"].get(viz_id, {"found": False})
        q = studio.full_query(definition, ds_id, toks)
        if not tables[ds_id].rows:
            problems.append("%s: its search (%s) returns no rows" % (viz_id, ds_id))
        if not p.get("found"):
            problems.append("%s: not on the page" % viz_id)
            continue
        if p["width"] < 100 or p["height"] < 60:
            problems.append("%s: drawn %dx%d" % (viz_id, p["width"], p["height"]))
        if p.get("error"):
            problems.append("%s: shows an error: %s" % (viz_id, p["error"]))
        if p.get("noResults"):
            problems.append("%s: shows no results" % viz_id)
        if viz["type"] == "splunk.table" and p["tableRows"] < 1:
            problems.append("%s: table without rows" % viz_id)
        if viz["type"] in ("splunk.column", "splunk.bar", "splunk.line", "splunk.area") and p["chartMarks"] < 1:
            problems.append("%s: chart without marks" % viz_id)
        if not requested.get(q, {}).get("answered"):
            problems.append("%s: its search was not asked or not answered" % viz_id)
    return problems


class Studio(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.path.join(ARGS.build_dir, "dashboards")
        os.makedirs(cls.out, exist_ok=True)
        macros = read_conf(app_paths.conf_path("macros")).stanzas
        cls.ctx = spl_eval.Context(DEMO, ARGS.command, ARGS.driver, macros, shipped_identity_map(), NOW)
        cls.views = {studio.view_name(p): studio.load(p)[1] for p in studio.view_paths()}
        cls.tables, cls.answers, cls.errors = {}, {}, {}
        for name, d in cls.views.items():
            toks = tokens_for(name, d)
            try:
                cls.tables[name] = compute_answers(cls.ctx, d, toks)
                cls.answers[name] = answers_by_query(d, cls.tables[name], toks)
            except (spl_eval.MissingField, spl_eval.UnsupportedSpl) as e:
                cls.errors[name] = "%s: %s" % (type(e).__name__, e)
        bundle = os.path.join(cls.out, "bundle")
        subprocess.run([ARGS.node, os.path.join(TOOLS, "build.js"), bundle], check=True, timeout=300)
        broken = copy.deepcopy(cls.views["vishing_overview"])
        broken["visualizations"]["viz_chains"]["type"] = "splunk.tabel"      # unknown visualization type
        broken_layout = copy.deepcopy(cls.views["vishing_investigation"])
        del broken_layout["layout"]["layoutDefinitions"]                      # layout without its grid
        cls.broken = {"broken_type": broken, "broken_layout": broken_layout}
        job = {"bundle": bundle, "chromium": ARGS.chromium,
               "validate": [{"name": n, "definition": d} for n, d in list(cls.views.items()) + list(cls.broken.items())],
               "render": [{"name": n, "definition": definition_for_render(n, d), "answers": cls.answers[n],
                           "screenshot": os.path.join(cls.out, n + ".png")}
                          for n, d in cls.views.items() if n in cls.answers]}
        job_path, result_path = os.path.join(cls.out, "job.json"), os.path.join(cls.out, "result.json")
        with open(job_path, "w") as f:
            json.dump(job, f)
        subprocess.run([ARGS.node, os.path.join(TOOLS, "browser.js"), job_path, result_path], check=True, timeout=600)
        with open(result_path) as f:
            cls.result = json.load(f)

    def test_tuning_lookups_leave_the_demo_alone(self):
        # spl_eval passes the demo events through `vishing_tuning` unchanged and reads the
        # identity map as empty; that is exact because the app ships its tuning lookups as KV
        # store collections with no rows (the examples are in the README), and the demo rows
        # carry no _indextime for vc_arrival.
        self.assertFalse(os.path.isdir(app_paths.LOOKUPS) and os.listdir(app_paths.LOOKUPS))
        collections = read_conf(os.path.join(app_paths.DEFAULT, "collections.conf")).stanzas
        for name in ("vishing_identity_map", "vishing_helpdesk_accounts", "vishing_allowlisted_initiators",
                     "vishing_maintenance_windows"):
            self.assertIn(name, collections)
        self.assertFalse(any("_indextime" in r for r in self.ctx.demo_rows))

    def test_both_views_are_dashboard_studio(self):
        self.assertEqual(set(self.views), {"vishing_overview", "vishing_investigation"})

    def test_validator_passes_every_dashboard(self):
        for name in self.views:
            with self.subTest(view=name):
                self.assertEqual(self.result["validate"][name], [], json.dumps(self.result["validate"][name])[:2000])

    def test_validator_rejects_broken_copies(self):
        errs = self.result["validate"]["broken_type"]
        self.assertTrue(errs)
        self.assertTrue(any(e.get("instancePath") == "/visualizations/viz_chains/type" for e in errs), errs[:3])
        errs = self.result["validate"]["broken_layout"]
        self.assertTrue(any("layoutDefinitions" in json.dumps(e) for e in errs), errs[:3])

    def test_searches_name_only_fields_their_input_has(self):
        # The field check: a column, filter or aggregation naming a field the command does
        # not emit (on the real demo run) fails here with the field's name.
        self.assertEqual(self.errors, {}, "\n".join(self.errors.values()))
        runs = self.ctx.command_runs
        self.assertTrue(runs, "the command never ran")
        for args, cols, n in runs:
            self.assertIn("detection", cols)

    def test_every_panel_search_returns_rows(self):
        for name, d in self.views.items():
            for viz_id, ds_id in studio.panel_sources(d).items():
                with self.subTest(view=name, panel=viz_id):
                    self.assertTrue(self.tables[name][ds_id].rows, "%s (%s) returns nothing" % (viz_id, ds_id))

    def test_every_panel_renders_with_data(self):
        for name, d in self.views.items():
            with self.subTest(view=name):
                rendered = self.result["render"][name]
                self.assertEqual(rendered["pageErrors"], [])
                self.assertTrue(all(r["answered"] for r in rendered["requests"]),
                                [r for r in rendered["requests"] if not r["answered"]])
                self.assertEqual(panel_problems(d, self.tables[name], rendered, tokens_for(name, d)), [])
                self.assertTrue(os.path.getsize(os.path.join(self.out, name + ".png")) > 10000)

    def test_an_empty_panel_fails_the_check(self):
        d = self.views["vishing_overview"]
        tables = dict(self.tables["vishing_overview"])
        tables["ds_bulk"] = spl_eval.Table(tables["ds_bulk"].fields, [])
        rendered = copy.deepcopy(self.result["render"]["vishing_overview"])
        rendered["panels"]["viz_bulk"]["tableRows"] = 0
        problems = panel_problems(d, tables, rendered, tokens_for("vishing_overview", d))
        self.assertTrue(any(p.startswith("viz_bulk: its search") for p in problems), problems)
        self.assertTrue(any(p.startswith("viz_bulk: table without rows") for p in problems), problems)

    def test_times_are_readable(self):
        for name, d in self.views.items():
            for ds_id in set(studio.panel_sources(d).values()):
                table = self.tables[name][ds_id]
                for col in TIME_COLUMNS & set(table.fields):
                    for r in table.rows:
                        with self.subTest(view=name, ds=ds_id, column=col):
                            self.assertFalse(EPOCH.match(str(r.get(col, ""))), "%s shows epoch %s" % (col, r.get(col)))

    def test_drilldowns_name_a_field_of_their_panel(self):
        for name, d in self.views.items():
            for viz_id, viz in d["visualizations"].items():
                for h in viz.get("eventHandlers", []):
                    url = h["options"]["url"]
                    for field in re.findall(r"\$row\.([A-Za-z_][A-Za-z0-9_]*)\.value\$", url):
                        with self.subTest(view=name, panel=viz_id, field=field):
                            self.assertIn(field, self.tables[name][viz["dataSources"]["primary"]].fields)

    def test_severity_chart_and_chain_table_agree(self):
        # The defect: a chart over resets and MFA changes only topped chains out at high while
        # the chain table (with sign-ins) said critical. Both now post-process one result.
        t = self.tables["vishing_overview"]
        self.assertIn("critical", [r["severity"] for r in t["ds_chains"].rows])
        charted = {}
        for r in t["ds_over_time"].rows:
            for s in ("critical", "high", "medium", "low"):
                charted[s] = charted.get(s, 0) + int(r.get(s, 0))
        found = {}
        for r in t["ds_findings"].rows:
            found[r["severity"]] = found.get(r["severity"], 0) + 1
        self.assertEqual({k: v for k, v in charted.items() if v}, found)

    def test_investigation_shows_the_persons_chain_and_initiator(self):
        t = self.tables["vishing_investigation"]
        kinds = [r["event_kind"] for r in t["ds_timeline"].rows]
        self.assertEqual(set(kinds), {"reset", "mfa", "signin"})
        times = [r["Time"] for r in t["ds_timeline"].rows]
        self.assertEqual(times, sorted(times))
        self.assertEqual([r["touched_by"] for r in t["ds_initiators"].rows], ["hd-mtorres"])
        self.assertEqual([(r["detection"], r["severity"]) for r in t["ds_findings"].rows],
                         [("reset_mfa_chain", "critical")])


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--command", required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--node", default="node")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--build-dir", required=True)
    ARGS, rest = ap.parse_known_args()
    missing = [p for p in (ARGS.command, ARGS.driver, ARGS.chromium) if not os.access(p, os.X_OK)]
    if missing:
        print("dashboards_studio_test: needs %s (build the targets; chromium: tools/install_deps.sh)" % missing)
        return 1
    if not os.path.isdir(os.path.join(TOOLS, "node_modules", "@splunk", "dashboard-core")):
        print("dashboards_studio_test: needs the npm packages: npm ci --prefix tests/dashboards")
        return 1
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    sys.exit(main())
