#!/usr/bin/env python3
"""The tuning lookups change vishingcorrelate's results.

Pre-normalized vc_* rows, as the app's searches hand them to the command, go through the real
binary over the chunked protocol (the project's vd_scp_drive, map phase then reporting phase)
twice: as they are, and with the tuning columns the vishing_tuning macro sets from the lookups
(tuning.py, fed with the lookup files in tests/data/app/lookups/, which have the shipped files'
columns). Every scenario must produce its finding without the lookups - otherwise the test
proves nothing - and:
  * an allow-listed initiator's bulk finding is gone,
  * a burst inside a maintenance window (the initiator's own, or a '*' window) is suppressed
    while the same initiator's burst outside it is still reported,
  * a listed help-desk account is flagged (one reset becomes a finding),
  * an identity-map pair (AD jdoe / Entra john.doe@contoso.com) is joined into a chain that
    identity=localpart alone misses,
  * an allow-listed initiator's reset still starts its chain (issue 16),
  * maintenance windows are evaluated per row: two windows sharing an end close both, and an
    unparseable time fails instead of allow-listing for ever (issue 16),
  * the tuning keys of classic WinEventLog rows (Account_Name, src_user / user) are the ones
    the command reads (issue 16).

  lookup_effect_test.py --command PATH/vishingcorrelate --driver PATH/vd_scp_drive
"""
import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import app_paths  # noqa: E402
import tuning  # noqa: E402
from splunk_conf import read_conf  # noqa: E402
from tuning import Tuning  # noqa: E402

LOOKUPS = os.path.join(app_paths.REPO, "tests", "data", "app", "lookups")
COLUMNS = ["_time", "vc_time", "vc_kind", "vc_source", "vc_operation", "vc_initiator", "vc_initiator_ip",
           "vc_initiator_app", "vc_target", "vc_result", "vc_correlation_id", "vc_event_id", "vc_detail",
           "vc_signin_ip", "vc_identity_initiator", "vc_identity_target", "vc_helpdesk", "vc_allowlisted"]
ARGS = None


def iso(text):
    import datetime as dt
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z").timestamp()


class Rows:
    def __init__(self):
        self.rows = []

    def add(self, when, kind, source, operation, initiator, target):
        n = len(self.rows) + 1
        t = "%.3f" % when
        self.rows.append({"_time": t, "vc_time": t, "vc_kind": kind, "vc_source": source,
                          "vc_operation": operation, "vc_initiator": initiator, "vc_target": target,
                          "vc_result": "success", "vc_correlation_id": "corr-%d" % n,
                          "vc_event_id": "evt-%d" % n})

    def burst(self, start, initiator, targets, step_min=5, source="entra", op="Reset user password"):
        for i, target in enumerate(targets):
            self.add(iso(start) + i * step_min * 60, "reset", source, op, initiator, target)


def scenario():
    r = Rows()
    # Allow-listed provisioning account: 4 accounts in 15 minutes.
    r.burst("2024-03-04T14:00:00+0000", "svc-idm-sync@contoso.com", ["new%d@contoso.com" % i for i in range(1, 5)])
    # Maintenance window 18:00-20:00 for svc-pwdrotate: 5 resets inside, 3 resets at 21:00 outside.
    r.burst("2024-03-04T18:10:00+0000", "svc-pwdrotate", ["svc-app%d" % i for i in range(1, 6)], source="ad",
            op="4724")
    r.burst("2024-03-04T21:00:00+0000", "svc-pwdrotate", ["svc-db%d" % i for i in range(1, 4)], source="ad",
            op="4724")
    # '*' window 2024-03-05 00:00-02:00 (incident-response rotation) for any initiator.
    r.burst("2024-03-05T01:00:00+0000", "ir.lead@contoso.com", ["user%d@contoso.com" % i for i in range(1, 7)])
    # Help-desk operator whose name matches no pattern: one reset.
    r.burst("2024-03-05T10:00:00+0000", "hd.operator7@contoso.com", ["caller@contoso.com"])
    # AD reset of CONTOSO\jdoe, then Entra MFA registration for john.doe@contoso.com 12 minutes later.
    r.add(iso("2024-03-06T09:00:00+0000"), "reset", "ad", "4724", "CONTOSO\\ad.admin", "CONTOSO\\jdoe")
    r.add(iso("2024-03-06T09:12:00+0000"), "mfa", "entra", "User registered security info",
          "john.doe@contoso.com", "john.doe@contoso.com")
    # Allow-listed provisioning account resets an account whose MFA changes 12 minutes later.
    r.add(iso("2024-03-07T09:00:00+0000"), "reset", "entra", "Reset user password", "svc-idm-sync@contoso.com",
          "mallory@contoso.com")
    r.add(iso("2024-03-07T09:12:00+0000"), "mfa", "entra", "User registered security info",
          "mallory@contoso.com", "mallory@contoso.com")
    return r.rows


def to_csv(rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({c: row.get(c, "") for c in COLUMNS})
    return buf.getvalue()


def run_command(rows, args="mode=all"):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(to_csv(rows))
        path = f.name
    try:
        out = subprocess.run([ARGS.driver, "--emulate-preop", "--args", args, "--timeout", "60", path, "--",
                              ARGS.command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             timeout=120)
    finally:
        os.unlink(path)
    if out.returncode != 0:
        raise AssertionError("vd_scp_drive exit %d:\n%s" % (out.returncode, out.stderr[-3000:]))
    return list(csv.DictReader(io.StringIO(out.stdout)))


def mv(value):
    return [v for v in (value or "").split("\n") if v]


class LookupEffectTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        rows = scenario()
        cls.tuned_rows = [Tuning(LOOKUPS).apply(r) for r in rows]
        cls.plain = run_command(rows)
        cls.tuned = run_command(cls.tuned_rows)

    def setUp(self):
        needs_command = self._testMethodName not in ("test_lookup_files_have_the_shipped_columns",
                                                     "test_tuning_sets_the_columns",
                                                     "test_maintenance_windows_are_evaluated_per_row")
        if needs_command and not self.plain:
            self.fail("waits for the vishingcorrelate analytics: the command returned no finding at all "
                      "for scenarios that must produce findings even without the lookups")

    def bulk(self, results, initiator):
        return [r for r in results if r.get("detection") == "bulk_reset" and r.get("src_user") == initiator]

    def chains(self, results, target_spelling):
        return [r for r in results if r.get("detection") == "reset_mfa_chain"
                and target_spelling in mv(r.get("user")) + [r.get("TargetUser")]]

    def test_lookup_files_have_the_shipped_columns(self):
        transforms = read_conf(app_paths.conf_path("transforms")).stanzas
        for name in os.listdir(LOOKUPS):
            with open(os.path.join(LOOKUPS, name), newline="") as a:
                fields = [f.strip() for f in transforms[name[:-4]]["fields_list"].split(",")]
                self.assertEqual(next(csv.reader(a)), [f for f in fields if f != "_key"], name)

    def test_tuning_sets_the_columns(self):
        by_init = {}
        for r in self.tuned_rows:
            by_init.setdefault(r["vc_initiator"], []).append(r)
        self.assertTrue(all(r.get("vc_allowlisted") == "true" for r in by_init["svc-idm-sync@contoso.com"]))
        inside = [r.get("vc_allowlisted") == "true" for r in by_init["svc-pwdrotate"]]
        self.assertEqual(inside, [True] * 5 + [False] * 3)
        self.assertTrue(all(r.get("vc_allowlisted") == "true" for r in by_init["ir.lead@contoso.com"]))
        self.assertEqual(by_init["hd.operator7@contoso.com"][0].get("vc_helpdesk"), "true")
        self.assertEqual({r.get("vc_identity_target") for r in self.tuned_rows
                          if r["vc_target"] in ("CONTOSO\\jdoe", "john.doe@contoso.com")}, {"john.doe"})

    def test_allowlisted_initiator_finding_is_gone(self):
        found = self.bulk(self.plain, "svc-idm-sync@contoso.com")
        self.assertEqual(len(found), 1, "scenario must trigger without the lookups: %s" % self.plain)
        self.assertEqual(found[0]["UniqueTargets"], "4")
        self.assertEqual(self.bulk(self.tuned, "svc-idm-sync@contoso.com"), [])

    def test_maintenance_window_burst_is_suppressed(self):
        plain = self.bulk(self.plain, "svc-pwdrotate")
        self.assertEqual(sorted(r["UniqueTargets"] for r in plain), ["3", "5"])
        tuned = self.bulk(self.tuned, "svc-pwdrotate")
        self.assertEqual(len(tuned), 1, tuned)
        self.assertEqual(tuned[0]["UniqueTargets"], "3")            # the burst outside the window
        self.assertGreaterEqual(float(tuned[0]["FirstReset"]), iso("2024-03-04T21:00:00+0000"))
        self.assertEqual(len(self.bulk(self.plain, "ir.lead@contoso.com")), 1)
        self.assertEqual(self.bulk(self.tuned, "ir.lead@contoso.com"), [])   # the '*' window

    def test_listed_helpdesk_account_is_flagged(self):
        self.assertEqual(self.bulk(self.plain, "hd.operator7@contoso.com"), [],
                         "one reset by an unknown account is no finding")
        tuned = self.bulk(self.tuned, "hd.operator7@contoso.com")
        self.assertEqual(len(tuned), 1, self.tuned)
        self.assertEqual(tuned[0]["severity"], "medium")
        self.assertEqual(tuned[0]["UniqueTargets"], "1")

    def test_identity_map_joins_what_localpart_misses(self):
        self.assertEqual(self.chains(self.plain, "CONTOSO\\jdoe"), [],
                         "identity=localpart must not join jdoe and john.doe")
        tuned = self.chains(self.tuned, "CONTOSO\\jdoe")
        self.assertEqual(len(tuned), 1, self.tuned)
        self.assertEqual(tuned[0]["MinutesBetween"], "12")
        self.assertEqual(tuned[0]["HighConfidence"], "true")
        self.assertEqual(tuned[0]["MFAOperation"], "User registered security info")

    def test_allowlisted_initiator_still_starts_its_chain(self):
        for results in (self.plain, self.tuned):
            found = self.chains(results, "mallory@contoso.com")
            self.assertEqual(len(found), 1, results)
            self.assertEqual(found[0]["severity"], "high")
        self.assertTrue(all(r.get("vc_allowlisted") == "true" for r in self.tuned_rows
                            if r["vc_initiator"] == "svc-idm-sync@contoso.com"))

    def test_maintenance_windows_are_evaluated_per_row(self):
        t = lambda s: "%.0f" % iso(s)
        with tempfile.TemporaryDirectory() as d:
            for name in os.listdir(LOOKUPS):
                with open(os.path.join(LOOKUPS, name), newline="") as src, \
                        open(os.path.join(d, name), "w", newline="") as dst:
                    dst.write(next(iter([src.readline()])))  # the header only
            path = os.path.join(d, "vishing_maintenance_windows.csv")
            with open(path, "a", newline="") as f:
                # Two windows with the same end: Splunk would collapse the repeated end of a
                # multi-match lookup, and started-minus-ended counting then kept one open.
                f.write("svc-a,2024-03-04T08:00:00+0000,2024-03-04T10:00:00+0000,one\n")
                f.write("svc-a,2024-03-04T09:00:00+0000,2024-03-04T10:00:00+0000,two\n")
            tn = Tuning(d)
            row = lambda when: {"vc_kind": "reset", "vc_initiator": "svc-a", "vc_target": "x", "vc_time": t(when)}
            self.assertEqual(tn.apply(row("2024-03-04T09:30:00+0000")).get("vc_allowlisted"), "true")
            self.assertNotEqual(tn.apply(row("2024-03-04T11:00:00+0000")).get("vc_allowlisted"), "true")
            self.assertNotEqual(tn.apply(row("2024-03-04T07:00:00+0000")).get("vc_allowlisted"), "true")
            with open(path, "a", newline="") as f:
                f.write("svc-b,2024-03-04T08:00:00+0000,next tuesday,never closes\n")
            with self.assertRaises(tuning.MaintenanceWindowError):
                Tuning(d)
        # The macro builds the same per-window test and names the failure.
        macros = read_conf(app_paths.conf_path("macros")).stanzas
        cond = macros["vishing_maintenance_condition"]["definition"]
        self.assertIn("vishing_maintenance_windows_has_an_unparseable_row()", cond)
        self.assertIn('"vd_time>=" . vd_s . " AND vd_time<=" . vd_e', cond)
        self.assertIn("`vishing_maintenance_condition`", macros["vishing_allowlist_lookup"]["definition"])

    def test_windows_tuning_keys_are_the_ones_the_command_reads(self):
        shapes = [
            {"sourcetype": "XmlWinEventLog", "EventCode": "4724", "SubjectUserName": "hd-op1",
             "SubjectDomainName": "CONTOSO", "TargetUserName": "JDoe", "TargetDomainName": "CONTOSO"},
            {"sourcetype": "WinEventLog", "source": "WinEventLog:Security", "EventCode": "4724",
             "src_user": "hd-op1", "src_nt_domain": "CONTOSO", "user": "JDoe", "dest_nt_domain": "CONTOSO"},
            {"sourcetype": "WinEventLog:Security", "EventCode": "4724", "Account_Name": "hd-op1\nJDoe",
             "Account_Domain": "CONTOSO\nCONTOSO"},
        ]
        for shape in shapes:
            with self.subTest(shape=shape["sourcetype"] + " " + ",".join(sorted(shape))):
                row = dict(shape, _time="1709546400")
                self.assertEqual(tuning.identity_keys(row), ("hd-op1", "jdoe"))
                cols = sorted(row)
                buf = io.StringIO()
                w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
                w.writeheader()
                w.writerow(row)
                with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
                    f.write(buf.getvalue())
                    path = f.name
                try:
                    out = subprocess.run([ARGS.driver, "--emulate-preop", "--args", "mode=bulk min_targets=1",
                                          "--timeout", "60", path, "--", ARGS.command], stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True, timeout=120)
                finally:
                    os.unlink(path)
                self.assertEqual(out.returncode, 0, out.stderr)
                found = list(csv.DictReader(io.StringIO(out.stdout)))
                self.assertEqual(len(found), 1, out.stdout + out.stderr)
                # risk_object is the command's identity key of the initiator.
                self.assertEqual(found[0]["risk_object"], "hd-op1")
                self.assertEqual(mv(found[0]["user"])[0].split("\\")[-1].lower(), "jdoe")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--command", required=True, help="vishingcorrelate executable")
    ap.add_argument("--driver", required=True, help="vd_scp_drive executable")
    ARGS, rest = ap.parse_known_args()
    for p in (ARGS.command, ARGS.driver):
        if not os.access(p, os.X_OK):
            print("lookup_effect_test: waits for %s (build the vishingcorrelate and vd_scp_drive targets)" % p)
            return 1
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    sys.exit(main())
