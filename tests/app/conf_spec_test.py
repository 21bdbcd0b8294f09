#!/usr/bin/env python3
"""Every .conf the app ships parses cleanly and uses only settings its Splunk spec defines.

Specs are the copies in tests/data/app/specs/ (Splunk 10.2.3) plus the app's own
README/inputs.conf.spec for the entra_audit scheme. An unknown stanza or key fails.
"""
import glob
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import app_paths  # noqa: E402
from splunk_conf import parse_conf, parse_spec, read_conf, read_spec, Spec  # noqa: E402

# AppInspect's check_ignored_parameters_v2_command accepts only these on a chunked command.
CHUNKED_KEYS = {"chunked", "filename", "is_risky", "maxwait", "maxchunksize", "python.version"}
# Modular-input stanzas also take the generic per-input settings splunkd applies to every
# scheme ('disabled', 'interval'; Splunk documents them per input type, and notes that a
# modular input's spec need not list them).
MODINPUT_GENERIC = ["disabled", "interval"]
# default.meta.spec documents its settings with example stanzas ([], [views],
# [views/index_status]); any object stanza takes the same settings.
ANY_STANZA_SPECS = {"default.meta"}


def shipped_confs():
    out = {os.path.basename(p)[:-len(".conf")]: p for p in glob.glob(os.path.join(app_paths.DEFAULT, "*.conf"))}
    out["default.meta"] = os.path.join(app_paths.APP, "metadata", "default.meta")
    return out


def load_spec(name):
    path = os.path.join(app_paths.SPECS, name + ".spec" if name == "default.meta" else name + ".conf.spec")
    if not os.path.exists(path):
        return None
    spec = read_spec(path)
    if name == "inputs":
        spec.merge(read_spec(app_paths.README_SPEC))
    return spec


def modinput_schemes():
    with open(app_paths.README_SPEC, encoding="utf-8") as f:
        return re.findall(r"^\[([0-9A-Za-z][0-9A-Za-z_-]*)://", f.read(), re.M)


def check_conf(name, conf, spec):
    """Returns a list of problems: unknown stanzas and keys."""
    problems = list(conf.problems)
    schemes = set(modinput_schemes()) if name == "inputs" else set()
    all_keys = spec.global_keys + [k for _, keys in spec.sections for k in keys]
    for stanza, kv in conf.stanzas.items():
        allowed = list(spec.global_keys)
        if name in ANY_STANZA_SPECS:
            allowed = all_keys
        elif stanza == "default":
            allowed = all_keys
        else:
            lookup_name = stanza
            if name == "inputs" and stanza in schemes:
                # [<scheme>] is the default stanza of a modular-input scheme (inputs.conf.spec,
                # 'run_introspection'): it takes what [<scheme>://<name>] takes.
                lookup_name = stanza + "://default"
            hits = spec.sections_for(lookup_name)
            if spec.sections and not hits:
                problems.append("%s.conf: stanza [%s] matches no stanza of the spec" % (name, stanza))
                continue
            if hits:
                allowed = allowed + hits[0][1]
            if name == "inputs" and lookup_name.split("://")[0] in schemes:
                allowed = allowed + spec.banners.get("Modular Inputs", []) + MODINPUT_GENERIC
        for key in kv:
            if not Spec.key_allowed(key, allowed):
                problems.append("%s.conf line %d: [%s] %s is not a setting of the spec"
                                % (name, conf.lines.get((stanza, key), 0), stanza, key))
    return problems


class ParserTest(unittest.TestCase):
    """The parser itself: the conf rules the app relies on."""

    def test_continuation_comment_and_stanzas(self):
        c = parse_conf("top = 1\n# comment = no\n[a]\nk = x \\\n  y\n  # indented comment\n[b]\nk=v = w\n")
        self.assertEqual(c.stanzas["default"], {"top": "1"})
        self.assertEqual(c.stanzas["a"], {"k": "x \n  y"})
        self.assertEqual(c.stanzas["b"], {"k": "v = w"})
        self.assertEqual(c.problems, [])

    def test_problems_are_reported(self):
        c = parse_conf("[a]\nk = 1\nk = 2\njunk line\n[a]\n")
        self.assertEqual(len(c.problems), 3, c.problems)

    def test_spec_patterns(self):
        spec = parse_spec("top = <x>\n[<name>]\naction.<a>.<b> = <v>\nexample<n> = <s>\n[lit]\nonly = <x>\n")
        self.assertTrue(Spec.key_allowed("action.risk.param._risk", spec.sections_for("x")[0][1]))
        self.assertTrue(Spec.key_allowed("example12", spec.sections_for("x")[0][1]))
        self.assertFalse(Spec.key_allowed("actionx", spec.sections_for("x")[0][1]))
        self.assertEqual(spec.sections_for("lit")[0][0], "lit")  # literal beats <name>
        self.assertEqual(spec.global_keys, ["top"])

    def test_unknown_key_fails(self):
        spec = parse_spec("[<stanza>]\ndefinition = <string>\n")
        problems = check_conf("macros", parse_conf("[m]\ndefinition = x\ndefinitoin = y\n"), spec)
        self.assertEqual(len(problems), 1)
        self.assertIn("definitoin", problems[0])


class ShippedConfTest(unittest.TestCase):
    def test_every_conf_has_a_spec_and_only_known_keys(self):
        confs = shipped_confs()
        for expected in ("app", "commands", "searchbnf", "macros", "props", "transforms", "inputs",
                         "savedsearches", "collections", "default.meta"):
            self.assertIn(expected, confs)
        for name, path in sorted(confs.items()):
            with self.subTest(conf=name):
                spec = load_spec(name)
                self.assertIsNotNone(spec, "no spec copied for %s" % name)
                conf = read_conf(path)
                self.assertTrue(conf.stanzas, "%s has no settings" % path)
                self.assertEqual(check_conf(name, conf, spec), [])

    def test_app_conf(self):
        app = read_conf(app_paths.conf_path("app")).stanzas
        self.assertEqual(app["package"]["id"], "vishing_detection")
        self.assertRegex(app["launcher"]["version"], r"^\d+\.\d+\.\d+$")
        self.assertRegex(app["install"]["build"], r"^[1-9]\d*$")
        self.assertTrue(5 <= len(app["ui"]["label"]) <= 80)
        self.assertNotIn("triggers", app)
        self.assertLessEqual(len(app["launcher"]["description"]), 300)

    def test_chunked_command_keys(self):
        cmds = read_conf(app_paths.conf_path("commands")).stanzas
        self.assertEqual(cmds["vishingcorrelate"]["chunked"], "true")
        self.assertEqual(cmds["vishingcorrelate"]["filename"], "vishingcorrelate")
        for name, kv in cmds.items():
            for key in kv:
                self.assertTrue(key in CHUNKED_KEYS or re.fullmatch(r"command\.arg\.\d+", key),
                                "[%s] %s fails AppInspect on a chunked command" % (name, key))

    def test_inputs_match_scheme_spec(self):
        self.assertEqual(modinput_schemes(), ["entra_audit"])
        spec_keys = read_spec(app_paths.README_SPEC).sections[0][1]
        self.assertEqual(set(spec_keys), {"tenant_id", "client_id", "log", "cloud", "activities",
                                          "lag_minutes", "start_date", "proxy_url", "ca_file",
                                          "authority_url", "graph_url"})
        inputs = read_conf(app_paths.conf_path("inputs")).stanzas
        self.assertEqual(inputs["entra_audit"]["disabled"], "1")
        self.assertRegex(inputs["entra_audit"]["interval"], r"^\d+$")
        for kv in inputs.values():
            for key in kv:
                self.assertNotIn("secret", key.lower(), "secrets belong in storage/passwords")

    def test_props_for_the_input_sourcetypes(self):
        props = read_conf(app_paths.conf_path("props")).stanzas
        for st, field in (("ms:entra:audit", "activityDateTime"), ("ms:entra:signin", "createdDateTime")):
            kv = props[st]
            self.assertEqual(kv["KV_MODE"], "json")
            self.assertEqual(kv["SHOULD_LINEMERGE"], "false")
            self.assertIn(field, kv["TIME_PREFIX"])
            self.assertGreaterEqual(int(kv["TRUNCATE"]), 100000)

    def test_saved_searches(self):
        ss = read_conf(app_paths.conf_path("savedsearches")).stanzas
        alerts = {n: kv for n, kv in ss.items() if kv.get("alert.suppress") == "1"}
        self.assertEqual(len(ss), 4)
        self.assertEqual(len(alerts), 3)
        offsets = set()
        for name, kv in ss.items():
            with self.subTest(search=name):
                self.assertTrue(kv.get("description"))
                self.assertEqual(kv["enableSched"], "1")
                cron = kv["cron_schedule"].split()
                self.assertEqual(len(cron), 5)
                self.assertNotIn(cron[0], ("*", "*/1", "*/2", "*/3", "*/4"))
                self.assertFalse(kv["dispatch.earliest_time"].startswith("rt"))
                self.assertIn("dispatch.latest_time", kv)
                self.assertNotIn("index=", kv["search"], "searches use the source macros, not indexes")
                self.assertIn("vishingcorrelate", kv["search"])
                self.assertFalse(kv.get("action.email.to"))
                self.assertEqual(kv.get("realtime_schedule"), "0", "continuous scheduling: no period skipped")
        baseline = [kv for n, kv in ss.items() if n not in alerts]
        self.assertIn("outputlookup vishing_known_ips", baseline[0]["search"])
        self.assertEqual(baseline[0]["dispatch.earliest_time"], "-30d@d")
        for name, kv in alerts.items():
            with self.subTest(alert=name):
                # Every 15 minutes, each at its own offset, reporting what arrived since the last run.
                m = re.fullmatch(r"(\d+)-59/15", kv["cron_schedule"].split()[0])
                self.assertIsNotNone(m, kv["cron_schedule"])
                offsets.add(m.group(1))
                self.assertIn("report_since=-15m", kv["search"])
                self.assertRegex(kv["search"], r"\| `vishing_\w+_filter`\s*$")
                # Alert condition and per-result throttling on finding_id and severity.
                self.assertTrue(("counttype" in kv and "relation" in kv and "quantity" in kv)
                                or "alert_condition" in kv)
                self.assertEqual(kv["alert.digest_mode"], "0")
                self.assertEqual(kv["alert.suppress.fields"], "finding_id,severity")
                for f in kv["alert.suppress.fields"].split(","):
                    self.assertIn(f.strip(), app_paths.COMMAND_OUTPUT_FIELDS)
                # ES annotations: the vishing techniques, and analytic stories.
                ann = json.loads(kv["action.correlationsearch.annotations"])
                for t in ("T1598.004", "T1656", "T1566.004"):
                    self.assertIn(t, ann["mitre_attack"])
                self.assertTrue(ann["analytic_story"])
                # Risk for the person (the identity key) and the other party; scores from the
                # row's risk_score, never a second table of numbers; threat objects are never the
                # help desk's own address.
                self.assertEqual(kv["action.risk"], "1")
                risk = json.loads(kv["action.risk.param._risk"])
                objects = [r["risk_object_field"] for r in risk if "risk_object_field" in r]
                self.assertEqual(objects[0], "risk_object")
                self.assertTrue(set(objects[1:]) <= {"user", "src_user"} and objects[1:])
                for r in risk:
                    self.assertNotIn("risk_score", r)
                    self.assertNotEqual(r.get("threat_object_field"), "src")
                    for k in ("risk_object_field", "threat_object_field"):
                        if k in r:
                            self.assertIn(r[k], app_paths.COMMAND_OUTPUT_FIELDS)
                for tok in re.findall(r"\$(\w+)\$", kv["action.risk.param._risk_message"]):
                    self.assertIn(tok, app_paths.COMMAND_OUTPUT_FIELDS)
        self.assertEqual(len(offsets), 3, "the alerts' crons are offset from each other")
        full = [kv for kv in alerts.values() if "SignInAfterMFA" in kv["search"]]
        self.assertEqual(len(full), 1)
        kv = full[0]
        self.assertEqual(kv["action.notable"], "1")
        self.assertEqual(kv["action.notable.param.security_domain"], "identity")
        self.assertEqual(kv["action.notable.param.severity"], "critical")
        self.assertIn("vishing_", kv["action.notable.param.drilldown_search"])
        for f in kv["action.notable.param.nes_fields"].split(","):
            self.assertIn(f.strip(), app_paths.COMMAND_OUTPUT_FIELDS)
        threats = {r.get("threat_object_field") for r in json.loads(kv["action.risk.param._risk"])}
        self.assertTrue({"SignInIP", "MFADetail"} <= threats)

    def test_look_back_covers_the_windows_and_the_ingest_delay(self):
        """earliest_time reaches back over the windows each search's command uses, plus the
        ingest delay the alerts are designed for and one 15-minute period: the run that sees the
        last leg of a finding arrive must still see its first. A reset or MFA change may come
        from Office 365 (up to 12 h late); the new-IP sign-in is Entra's (up to 15 min)."""
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        o365, entra, period = 12 * 3600, 15 * 60, 15 * 60
        def secs(d):
            return int(d[:-1]) * unit[d[-1]]
        for name, kv in read_conf(app_paths.conf_path("savedsearches")).stanzas.items():
            if kv.get("alert.suppress") != "1":
                continue
            m = re.fullmatch(r"-(\d+)([mhd])(@\w+)?", kv["dispatch.earliest_time"])
            self.assertIsNotNone(m, kv["dispatch.earliest_time"])
            lookback = int(m.group(1)) * unit[m.group(2)]
            args = dict(re.findall(r"\b(mfa_window|signin_window|window)=(\d+[smhd])", kv["search"]))
            mfa = secs(args.get("mfa_window", app_paths.COMMAND_ARGS["mfa_window"]))
            need = max(secs(args.get("window", app_paths.COMMAND_ARGS["window"])), mfa) + o365
            if "SignInAfterMFA" in kv["search"]:
                need = max(need, mfa + secs(args.get("signin_window", app_paths.COMMAND_ARGS["signin_window"])) + entra)
            self.assertGreater(lookback, need + period, name)
            self.assertGreater(secs(kv["alert.suppress.period"]), lookback, name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
