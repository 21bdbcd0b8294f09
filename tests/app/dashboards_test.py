#!/usr/bin/env python3
"""The dashboards as Splunk reads them: Dashboard Studio views (<dashboard version="2"> with a
JSON definition), no custom JavaScript, their tokens defined, drill-downs into the
investigation view, and the searches fixed for the defects of issue 18:

* the overview runs the command once (a ds.search), every panel on it post-processes that
  search (ds.chain), and that search reads sign-ins (so severities agree across panels);
* no filter on EventCode (O365 / Entra rows have none);
* a severity and a detection filter that every findings panel applies;
* the investigation view finds a person by identity key through the identity map, exactly
  (no like()/substring match), and searches that person's events only;
* its timeline is the events in time order, not a count chart.

Rendering and Splunk's validator: dashboards_studio_test.py."""
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import app_paths  # noqa: E402
import person_macros  # noqa: E402
import spl  # noqa: E402
import studio  # noqa: E402
from splunk_conf import read_conf  # noqa: E402

BUILTIN_TOKEN_PREFIXES = ("row.", "click.", "value", "name", "trellis.")


def views():
    return {studio.view_name(p): studio.load(p) for p in studio.view_paths()}


def macros():
    return read_conf(app_paths.conf_path("macros")).stanzas


def defined_tokens(definition):
    toks = set()
    for inp in definition.get("inputs", {}).values():
        tok = inp.get("options", {}).get("token")
        if tok:
            toks.add(tok)
            if inp["type"] == "input.timerange":
                toks.update({tok + ".earliest", tok + ".latest"})
    return toks


def drilldown_urls(definition):
    out = []
    for viz_id, viz in definition["visualizations"].items():
        for h in viz.get("eventHandlers", []):
            if h["type"] == "drilldown.customUrl":
                out.append((viz_id, h["options"]["url"]))
    return out


class DashboardTest(unittest.TestCase):
    def setUp(self):
        self.views = views()

    def test_views_are_dashboard_studio(self):
        self.assertEqual(set(self.views), {"vishing_overview", "vishing_investigation"})
        for name, (root, definition) in self.views.items():
            with self.subTest(view=name):
                self.assertEqual(root.tag, "dashboard")
                self.assertEqual(root.get("version"), "2")
                self.assertTrue((root.findtext("label") or "").strip())
                self.assertEqual(definition["title"], root.findtext("label"))
                # No custom JavaScript: no script/stylesheet attributes, no HTML panels.
                self.assertIsNone(root.get("script"))
                self.assertIsNone(root.get("stylesheet"))
                for viz in definition["visualizations"].values():
                    self.assertTrue(viz["type"].startswith("splunk."), viz["type"])
                self.assertGreaterEqual(len(studio.panel_sources(definition)), 4)

    def test_no_html_or_javascript_in_the_app(self):
        for root, _, files in os.walk(app_paths.APP):
            for f in files:
                self.assertFalse(f.endswith((".js", ".html")), os.path.join(root, f))
        self.assertFalse(os.path.exists(os.path.join(app_paths.DEFAULT, "data", "ui", "html")))

    def test_layout_places_every_visualization_and_input(self):
        for name, (_, d) in self.views.items():
            with self.subTest(view=name):
                placed = set()
                for ld in d["layout"]["layoutDefinitions"].values():
                    placed.update(item["item"] for item in ld["structure"])
                self.assertEqual(placed, set(d["visualizations"]))
                self.assertEqual(set(d["layout"]["globalInputs"]), set(d["inputs"]))

    def test_tokens_are_defined(self):
        for name, (_, d) in self.views.items():
            with self.subTest(view=name):
                toks = defined_tokens(d)
                text = studio.json.dumps(d)
                for tok in [m.group(1) for m in studio.TOKEN.finditer(text)]:
                    if tok.startswith(BUILTIN_TOKEN_PREFIXES):
                        continue
                    self.assertIn(tok, toks, "token $%s$ is never set" % tok)

    def test_searches_use_the_time_picker(self):
        for name, (_, d) in self.views.items():
            with self.subTest(view=name):
                self.assertIn("input.timerange", [i["type"] for i in d["inputs"].values()])
                qp = d["defaults"]["dataSources"]["ds.search"]["options"]["queryParameters"]
                self.assertEqual(qp, {"earliest": "$global_time.earliest$", "latest": "$global_time.latest$"})

    def test_chains_extend_a_search_of_their_view(self):
        for name, (_, d) in self.views.items():
            for ds_id, ds in d["dataSources"].items():
                if ds["type"] == "ds.chain":
                    with self.subTest(view=name, ds=ds_id):
                        self.assertEqual(d["dataSources"][ds["options"]["extend"]]["type"], "ds.search")

    def test_overview_runs_the_command_once_and_post_processes_it(self):
        _, d = self.views["vishing_overview"]
        runs = [ds_id for ds_id, ds in d["dataSources"].items() if "vishingcorrelate" in ds["options"]["query"]]
        self.assertEqual(runs, ["ds_findings"])
        self.assertEqual(d["dataSources"]["ds_findings"]["type"], "ds.search")
        for viz_id, ds_id in studio.panel_sources(d).items():
            if viz_id == "viz_health":
                continue
            with self.subTest(panel=viz_id):
                self.assertEqual(studio.chain(d, ds_id), ["ds_findings", ds_id])

    def test_overview_findings_read_sign_ins(self):
        # Without sign-ins a chain's severity stops at high while the command with them says
        # critical; the one base search reads resets, MFA changes and sign-ins.
        _, d = self.views["vishing_overview"]
        base = spl.expand(d["dataSources"]["ds_findings"]["options"]["query"], macros())
        self.assertIn(spl.expand("`vishing_signin_sources`", macros()), base)
        self.assertIn(spl.expand("`vishing_mfa_sources`", macros()), base)
        self.assertIn(spl.expand("`vishing_reset_sources`", macros()), base)

    def test_no_event_code_filter_after_the_source_macros(self):
        # `where NOT (EventCode==4723 ...)` drops every O365 / Entra row, which have no EventCode.
        for name, (_, d) in self.views.items():
            for ds_id, q in studio.full_queries(d, {"identity": "jdoe"}).items():
                with self.subTest(view=name, ds=ds_id):
                    for seg in spl.pipeline(q)[1:]:
                        self.assertNotIn("EventCode", seg)

    def test_severity_and_detection_filters_apply_to_every_findings_panel(self):
        _, d = self.views["vishing_overview"]
        tokens = {i["options"]["token"]: i for i in d["inputs"].values()}
        self.assertEqual(tokens["severity"]["type"], "input.multiselect")
        self.assertEqual({i["value"] for i in tokens["severity"]["options"]["items"]},
                         {"critical", "high", "medium", "low"})
        self.assertEqual({i["value"] for i in tokens["detection"]["options"]["items"]},
                         {"bulk_reset", "reset_mfa_chain"})
        for ds_id, ds in d["dataSources"].items():
            if ds["type"] == "ds.chain":
                with self.subTest(ds=ds_id):
                    first = spl.pipeline(ds["options"]["query"])[0]
                    self.assertTrue(first.startswith("search severity IN ($severity$) detection IN ($detection$)"), first)

    def test_every_overview_panel_but_health_drills_into_the_investigation(self):
        _, d = self.views["vishing_overview"]
        urls = dict(drilldown_urls(d))
        for viz_id in studio.panel_sources(d):
            if viz_id in ("viz_health",):
                continue
            with self.subTest(panel=viz_id):
                self.assertIn(viz_id, urls)
        investigation = [u for v, u in urls.items() if v != "viz_over_time"]
        self.assertGreaterEqual(len(investigation), 4)
        _, inv = self.views["vishing_investigation"]
        for url in investigation:
            self.assertTrue(url.startswith("/app/vishing_detection/vishing_investigation?form.identity=$row."), url)
            self.assertIn("form.global_time.earliest=$global_time.earliest$", url)
        self.assertIn("identity", defined_tokens(inv))

    def test_tables_show_the_triage_fields(self):
        _, d = self.views["vishing_overview"]
        chains = d["dataSources"]["ds_chains"]["options"]["query"]
        for field in ("MFADetail", "SignInIP", "SignInAfterMFA", "MFAOperation", "ResetOperation", "HighConfidence",
                      "InitiatorIPAddress", "MinutesBetween", "RecoveryKind", "finding_id"):
            self.assertIn(field, chains.split())
        bulk = d["dataSources"]["ds_bulk"]["options"]["query"]
        for field in ("UniqueTargets", "FailedResets", "AffectedAccounts", "SourceIPs", "FirstReset", "LastReset", "RecoveryKinds", "finding_id"):
            self.assertIn(field, bulk.split())
        for q in (chains, bulk):
            self.assertIn("strftime(", q)

    def test_investigation_matches_the_person_exactly_through_the_identity_map(self):
        _, d = self.views["vishing_investigation"]
        m = macros()
        for ds_id, q in studio.full_queries(d).items():
            expanded = spl.expand(q, m)
            with self.subTest(ds=ds_id):
                self.assertNotIn("like(", expanded.lower())
                self.assertNotIn('"%" .', expanded)
                self.assertNotIn('. "%"', expanded)
                self.assertIn("vishing_identity_map", expanded)
        for name in ("vishing_person_key(1)", "vishing_person_events(1)", "vishing_person_findings(1)"):
            self.assertIn("vishing_identity_map", spl.expand(m[name]["definition"], m))
        self.assertIn("vd_p_target==vd_person OR vd_p_initiator==vd_person", m["vishing_person_events(1)"]["definition"])

    def test_investigation_runs_the_command_on_the_persons_events_only(self):
        _, d = self.views["vishing_investigation"]
        q = d["dataSources"]["ds_findings"]["options"]["query"]
        first = spl.pipeline(studio.substitute(q, {"identity": "CONTOSO\\jdoe"}))[0]
        self.assertEqual(first, '`vishing_all_sources` `vishing_person_terms("CONTOSO\\\\jdoe")`')
        self.assertIn("`vishing_person_findings($identity|s$)`", q)

    def test_investigation_timeline_is_events_in_time_order(self):
        _, d = self.views["vishing_investigation"]
        self.assertEqual(d["visualizations"]["viz_timeline"]["type"], "splunk.table")
        q = d["dataSources"]["ds_timeline"]["options"]["query"]
        self.assertTrue(q.startswith("sort 0 _time"), q)
        for seg in spl.pipeline(studio.full_query(d, "ds_timeline")):
            self.assertNotIn(spl.command_name(seg), ("timechart", "stats", "chart"))

    def test_person_match_is_exact(self):
        # The old view's like("%jdoe%") also matched ajdoe2: the person macros compare keys.
        idmap = person_macros.IdentityMap([{"account": "jdoe", "identity": "john.doe"},
                                           {"account": "john.doe@contoso.com", "identity": "john.doe"}])
        rows = [
            {"_raw": "x jdoe x", "sourcetype": "XmlWinEventLog", "EventCode": "4724", "SubjectUserName": "admin1",
             "TargetUserName": "jdoe", "_time": "1"},
            {"_raw": "x ajdoe2 x", "sourcetype": "XmlWinEventLog", "EventCode": "4724", "SubjectUserName": "admin1",
             "TargetUserName": "ajdoe2", "_time": "2"},
            {"_raw": "john.doe@contoso.com", "sourcetype": "ms:entra:signin", "userPrincipalName": "john.doe@contoso.com",
             "ipAddress": "1.2.3.4", "_time": "3"},
        ]
        got = person_macros.person_events(rows, "CONTOSO\\jdoe", idmap)
        self.assertEqual([r["account"] for r in got], ["jdoe", "john.doe@contoso.com"])
        self.assertEqual(person_macros.person_key("John.Doe@Contoso.com", idmap), "john.doe")
        self.assertEqual(person_macros.person_terms("jdoe", idmap), ["john.doe", "jdoe", "john.doe@contoso.com"])

    def test_nav_points_at_shipped_views(self):
        nav = ET.parse(app_paths.NAV).getroot()
        self.assertEqual(nav.tag, "nav")
        names = [v.get("name") for v in nav.iter("view")]
        defaults = [v.get("name") for v in nav.iter("view") if v.get("default") == "true"]
        self.assertEqual(defaults, ["vishing_overview"])
        for n in names:
            self.assertTrue(n in self.views or n == "search", n)


if __name__ == "__main__":
    unittest.main(verbosity=2)
