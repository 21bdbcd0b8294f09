#!/usr/bin/env python3
"""The scheduler simulation: the app's alerts as Splunk's scheduler runs them, over 7 days.

Everything about the alerts is read from default/savedsearches.conf and default/macros.conf:
each alerting search's cron schedule, look-back (dispatch.earliest_time / latest_time), the
vishingcorrelate arguments (macros expanded, so helpdesk_regex is the macro's), which source
macros feed it, its result filter (the `where` after the command and its *_filter macro),
and its throttle (alert.suppress.fields / period); the daily known-address baseline search's
schedule and range likewise. The world (sim_world.py) is the generator's benign background
plus planted stories, each event with an ingest delay of its source.

Each scheduled run at S is played as splunkd would: events with earliest <= _time < latest
(latest = S) that have arrived (_indextime <= S); the SPL before the command modelled as
tests/app/ models it (source macros select kinds; `vishing_changed_account_signins` keeps the
sign-ins of accounts with an MFA change in the slice; `vishing_known_ip_rows` appends the
lookup as it stood at S; `vishing_tuning` through tuning.py with tests/data/app/sim_lookups/,
which allow-list hd-mtorres, and vc_arrival = _indextime); the real vishingcorrelate runs
through vd_scp_drive (map phase, then the reporting phase, getinfo carrying the run's
latest_time); the result filter and the throttle are applied.

Prints, per planted story, the alerts raised (search role, severity, when) and the minutes from
the decisive event's arrival to its alert, and the benign background's alerts per day. Asserts:
every expected alert of every story is raised (0 lost), none more than once per severity of a
search, the first within one schedule interval of the decisive arrival, and no alert a story
forbids.

  scheduler_sim_test.py --command PATH/vishingcorrelate --driver PATH/vd_scp_drive [--days 7]
"""
import argparse
import bisect
import csv
import io
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import app_paths  # noqa: E402
import sim_world  # noqa: E402
import spl  # noqa: E402
from splunk_conf import read_conf  # noqa: E402
from tuning import Tuning  # noqa: E402

SIM_LOOKUPS = os.path.join(app_paths.REPO, "tests", "data", "app", "sim_lookups")
ARGS = None
UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


# ---- the conf, read as the scheduler reads it ---------------------------------------------------

def cron_minutes(field):
    """Minutes of the hour a cron minute field fires at: n, a-b, a-b/c, */c, lists."""
    out = set()
    for part in field.split(","):
        m = re.fullmatch(r"(\*|\d+(?:-\d+)?)(?:/(\d+))?", part)
        if not m:
            raise ValueError("cron minute field %r not modelled" % field)
        lo, hi = (0, 59) if m.group(1) == "*" else (
            (int(m.group(1).split("-")[0]), int(m.group(1).split("-")[-1])) if "-" in m.group(1)
            else (int(m.group(1)), int(m.group(1)) if m.group(2) is None else 59))
        out.update(range(lo, hi + 1, int(m.group(2) or 1)))
    return sorted(out)


def cron_times(cron, start, end):
    """Every firing instant in [start, end) of a 'M H * * *' cron (H: * or a number)."""
    f = cron.split()
    if len(f) != 5 or f[2:] != ["*", "*", "*"]:
        raise ValueError("cron %r not modelled" % cron)
    minutes = cron_minutes(f[0])
    hours = range(24) if f[1] == "*" else [int(f[1])]
    out = []
    day = start - start % 86400
    while day < end:
        for h in hours:
            for mi in minutes:
                t = day + h * 3600 + mi * 60
                if start <= t < end:
                    out.append(t)
        day += 86400
    return out


def relative(spec, now):
    """dispatch time: now, -<n><unit>, with an optional @m / @h / @d snap."""
    if spec == "now":
        return now
    m = re.fullmatch(r"-(\d+)([smhd])(?:@([smhd]))?", spec)
    if not m:
        raise ValueError("time %r not modelled" % spec)
    t = now - int(m.group(1)) * UNIT[m.group(2)]
    if m.group(3):
        t -= t % UNIT[m.group(3)]
    return t


def where_predicate(segment):
    """The `where` after the command: ANDed field=="v" and in(field, "a", ...) tests."""
    expr = segment[len("where"):].strip()
    tests = []
    for part in re.split(r"\s+AND\s+", expr):
        m = re.fullmatch(r'(\w+)=="([^"]*)"', part.strip())
        if m:
            tests.append(lambda r, f=m.group(1), v=m.group(2): r.get(f) == v)
            continue
        m = re.fullmatch(r'in\((\w+),\s*(.+)\)', part.strip())
        if m:
            values = re.findall(r'"([^"]*)"', m.group(2))
            tests.append(lambda r, f=m.group(1), vs=tuple(values): r.get(f) in vs)
            continue
        raise ValueError("where clause %r not modelled" % part)
    return lambda r: all(t(r) for t in tests)


class Alert:
    def __init__(self, name, kv, macros):
        self.name = name
        self.cron = kv["cron_schedule"]
        self.earliest, self.latest = kv["dispatch.earliest_time"], kv["dispatch.latest_time"]
        self.throttle_fields = [f.strip() for f in kv["alert.suppress.fields"].split(",")]
        p = re.fullmatch(r"(\d+)([smhd])", kv["alert.suppress.period"])
        self.throttle_period = int(p.group(1)) * UNIT[p.group(2)]
        minutes = cron_minutes(self.cron.split()[0])
        self.interval = 60 * (minutes[1] - minutes[0]) if len(minutes) > 1 else 3600
        raw_segments = spl.pipeline(kv["search"])
        # The source macros the base search calls, through macros that call them.
        self.sources, todo = set(), [name for name, _ in spl.macro_calls(raw_segments[0])]
        while todo:
            name = todo.pop()
            if name not in self.sources:
                self.sources.add(name)
                todo += [n for n, _ in spl.macro_calls(macros.get(name, {}).get("definition", ""))]
        self.appends_known_ips = any(s.strip() == "`vishing_known_ip_rows`" for s in raw_segments)
        segs = spl.pipeline(spl.expand(kv["search"], macros))
        k = next(i for i, s in enumerate(segs) if spl.command_name(s) == "vishingcorrelate")
        self.command_args = segs[k].split(None, 1)[1]
        self.filters = []
        for s in segs[k + 1:]:
            if spl.command_name(s) == "where":
                self.filters.append(where_predicate(s))
            elif s.strip() != "search *":
                raise ValueError("%s: result command %r not modelled" % (name, s))
        text = kv["search"]
        self.role = ("full" if "SignInAfterMFA" in text else
                     "bulk" if 'detection=="bulk_reset"' in text else "chain")

    def keep(self, row):
        return all(f(row) for f in self.filters)


def read_alerts():
    macros = read_conf(app_paths.conf_path("macros")).stanzas
    stanzas = read_conf(app_paths.conf_path("savedsearches")).stanzas
    alerts = [Alert(n, kv, macros) for n, kv in stanzas.items()
              if n != "default" and kv.get("alert.suppress") == "1"]
    baseline = [kv for n, kv in stanzas.items() if "outputlookup vishing_known_ips" in kv.get("search", "")]
    return alerts, baseline[0] if baseline else None


# ---- one scheduled run ----------------------------------------------------------------------------

def cell(v):
    return "%.3f" % v if isinstance(v, float) else (v or "")


def to_csv(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(sim_world.COLUMNS)
    for r in rows:
        w.writerow([cell(r.get(c)) for c in sim_world.COLUMNS])
    return buf.getvalue()


def run_command(rows, args, earliest, latest):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(to_csv(rows))
        path = f.name
    try:
        out = subprocess.run([ARGS.driver, "--emulate-preop", "--args", args, "--timeout", "60",
                              "--earliest-time", "%d" % earliest, "--latest-time", "%d" % latest,
                              path, "--", ARGS.command, ], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, timeout=120)
    finally:
        os.unlink(path)
    if out.returncode != 0:
        raise AssertionError("vd_scp_drive exit %d:\n%s" % (out.returncode, out.stderr[-3000:]))
    return list(csv.DictReader(io.StringIO(out.stdout)))


class Simulation:
    def __init__(self, days, seed=7):
        self.alerts, self.baseline_conf = read_alerts()
        self.tuning = Tuning(SIM_LOOKUPS)
        # The world: 10 days of background (3 of history before the replay), stories on days 1-6.
        self.end = 1748822400.0 + 0  # 2025-06-02 00:00 UTC, a Monday (the generator's default end)
        self.start = self.end - days * 86400
        w = sim_world.World(seed)
        w.background(self.start - 3 * 86400, self.end)
        self.stories = sim_world.plant(w, self.start + 86400)
        rows = []
        for e in w.events:
            r = self.tuning.apply({**{k: v for k, v in e.items() if k.startswith("vc_")},
                                   "_time": e.t, "vc_time": e.t})
            r["vc_arrival"] = e.arrival  # vishing_tuning: vc_arrival = coalesce(vc_arrival, _indextime)
            r["_t"], r["_indextime"], r["story"] = e.t, e.arrival, e.get("story")
            rows.append(r)
        rows.sort(key=lambda r: r["_t"])
        self.rows = rows
        self.times = [r["_t"] for r in rows]
        self.known = {}  # (user, ip) -> first_seen: the vishing_known_ips lookup
        self.known_built = []

    def slice(self, earliest, latest, now):
        lo, hi = bisect.bisect_left(self.times, earliest), bisect.bisect_left(self.times, latest)
        return [r for r in self.rows[lo:hi] if r["_indextime"] <= now]

    def build_baseline(self, now):
        kv = self.baseline_conf
        for r in self.slice(relative(kv["dispatch.earliest_time"], now), relative(kv["dispatch.latest_time"], now), now):
            if r["vc_kind"] == "signin" and r["vc_result"] == "success" and r["vc_signin_ip"]:
                key = (r["vc_target"], r["vc_signin_ip"])
                self.known[key] = min(self.known.get(key, r["_t"]), r["_t"])
        self.known_built.append(now)

    def inputs(self, alert, now):
        earliest, latest = relative(alert.earliest, now), relative(alert.latest, now)
        rows = self.slice(earliest, latest, now)
        kinds = set()
        if "vishing_reset_sources" in alert.sources:
            kinds.add("reset")
        if "vishing_mfa_sources" in alert.sources:
            kinds.add("mfa")
        picked = [r for r in rows if r["vc_kind"] in kinds]
        if "vishing_signin_sources" in alert.sources:
            picked += [r for r in rows if r["vc_kind"] == "signin"]
        elif "vishing_changed_account_signins" in alert.sources:
            changed = {r["vc_target"] for r in rows if r["vc_kind"] == "mfa"}
            picked += [r for r in rows if r["vc_kind"] == "signin" and r["vc_target"] in changed]
        if alert.appends_known_ips:
            for (user, ip), first in sorted(self.known.items()):
                picked.append(self.tuning.apply({"vc_kind": "known_ip", "vc_target": user, "vc_signin_ip": ip,
                                                 "vc_time": first, "_time": ""}))
        return picked, earliest, latest

    def run(self):
        runs = []
        for alert in self.alerts:
            for t in cron_times(alert.cron, self.start, self.end):
                runs.append((t, alert))
        if self.baseline_conf:
            for t in cron_times(self.baseline_conf["cron_schedule"], self.start - 3 * 86400, self.end):
                runs.append((t, None))
        runs.sort(key=lambda x: (x[0], x[1] is not None))
        self.alerts_raised = []  # (time, alert, row)
        throttle = {a.name: {} for a in self.alerts}
        self.invocations = 0
        started = time.time()
        # Runs of one instant are independent (the baseline builds first); their commands run
        # two at a time.
        pool = ThreadPoolExecutor(max_workers=2)
        i = 0
        while i < len(runs):
            j = i
            while j < len(runs) and runs[j][0] == runs[i][0]:
                j += 1
            batch = runs[i:j]
            i = j
            for t, alert in batch:
                if alert is None:
                    self.build_baseline(t)
            jobs = []
            for t, alert in batch:
                if alert is None:
                    continue
                rows, earliest, latest = self.inputs(alert, t)
                jobs.append((t, alert, pool.submit(run_command, rows, alert.command_args, earliest, latest)))
            for t, alert, job in jobs:
                self.invocations += 1
                for row in job.result():
                    if not alert.keep(row):
                        continue
                    key = tuple(row.get(f) for f in alert.throttle_fields)
                    last = throttle[alert.name].get(key)
                    if last is not None and t - last < alert.throttle_period:
                        continue
                    throttle[alert.name][key] = t
                    self.alerts_raised.append((t, alert, row))
        pool.shutdown()
        self.seconds = time.time() - started


def who(row):
    return ("bulk" if row.get("detection") == "bulk_reset" else "chain", row.get("risk_object"))


class SchedulerSimulationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Simulation(ARGS.days)
        cls.sim.run()
        cls.report = cls.print_report()

    @classmethod
    def print_report(cls):
        sim = cls.sim
        story_of = {}
        for s in sim.stories:
            story_of.setdefault(s.match, []).append(s)
        per_story = {s.sid: [] for s in sim.stories}
        benign = []
        for t, alert, row in sim.alerts_raised:
            hits = story_of.get(who(row))
            if hits:
                for s in hits:
                    per_story[s.sid].append((t, alert, row))
            else:
                benign.append((t, alert, row))
        lines = ["", "Scheduler simulation: %d days, %d events, %d scheduled runs of %d alerts "
                 "(+ daily baseline), %.0f s" % (ARGS.days, len(sim.rows), sim.invocations, len(sim.alerts), sim.seconds)]
        for a in sim.alerts:
            lines.append("  %-5s %-55s cron %-16s look-back %-7s throttle %s for %ds" % (
                a.role, a.name, a.cron, a.earliest, ",".join(a.throttle_fields), a.throttle_period))
        lines.append("")
        lines.append("%-34s %-6s %-9s %-17s %-9s %s" % ("story", "search", "severity", "alert (UTC)",
                                                      "min after", "expected"))
        for s in sim.stories:
            got = per_story[s.sid]
            if not got:
                lines.append("%-34s %-6s %-9s %-17s %-9s %s" % (s.sid, "-", "-", "(none)", "-",
                             ", ".join("%s/%s" % k for k in sorted(s.expect)) or "no alert"))
            for t, alert, row in got:
                dec = s.expect.get((alert.role, row["severity"]))
                lines.append("%-34s %-6s %-9s %-17s %-9s %s" % (
                    s.sid, alert.role, row["severity"], time.strftime("%a %H:%M", time.gmtime(t)),
                    "%.1f" % ((t - dec) / 60) if dec else "-",
                    ", ".join("%s/%s" % k for k in sorted(s.expect)) or "no alert"))
        days = ARGS.days
        by = {}
        for t, alert, row in benign:
            by.setdefault((alert.role, row["severity"]), 0)
            by[(alert.role, row["severity"])] += 1
        lines.append("")
        lines.append("benign background: %d alerts in %d days = %.1f per day (%s)" % (
            len(benign), days, len(benign) / days,
            ", ".join("%s/%s %d" % (k[0], k[1], v) for k, v in sorted(by.items())) or "none"))
        print("\n".join(lines))
        sys.stdout.flush()
        return per_story, benign

    def test_every_planted_story_alerts_once_per_severity_and_in_time(self):
        per_story, _ = self.report
        for s in self.sim.stories:
            with self.subTest(story=s.sid):
                got = per_story[s.sid]
                seen = {}
                for t, alert, row in got:
                    key = (alert.role, row["severity"])
                    seen.setdefault(key, []).append(t)
                for key, decisive in s.expect.items():
                    self.assertIn(key, seen, "%s: no %s alert (lost)" % (s.sid, "/".join(key)))
                    first = min(seen[key])
                    interval = next(a.interval for a in self.sim.alerts if a.role == key[0])
                    self.assertGreaterEqual(first, decisive, "%s: alert before its decisive event arrived" % s.sid)
                    self.assertLessEqual(first - decisive, interval,
                                         "%s %s: %.1f min after the decisive arrival" % (s.sid, key, (first - decisive) / 60))
                for key, times in seen.items():
                    self.assertEqual(len(times), 1, "%s: %s alerted %d times" % (s.sid, "/".join(key), len(times)))
                    self.assertNotIn(key[0], s.forbid_roles, "%s: forbidden %s alert" % (s.sid, key[0]))

    def test_background_alerts_are_reported_and_each_once(self):
        _, benign = self.report
        keys = [(alert.name, tuple(row.get(f) for f in alert.throttle_fields)) for _, alert, row in benign]
        self.assertEqual(len(keys), len(set(keys)), "a background finding alerted twice at one severity")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--command", required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--days", type=int, default=7)
    ARGS, rest = ap.parse_known_args()
    for p in (ARGS.command, ARGS.driver):
        if not os.access(p, os.X_OK):
            print("scheduler_sim_test: waits for %s (build the vishingcorrelate and vd_scp_drive targets)" % p)
            return 1
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    sys.exit(main())
