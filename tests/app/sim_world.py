"""The world the scheduler simulation replays: deterministic identity events with per-source
ingest delays, in the command's normalized vc_* form (the recognizers that turn raw events
into these rows are tested elsewhere; this world exercises scheduling, windows, arrival,
throttling and tuning).

The background follows the benign mix of tools/gen_events.py (its World and incident()):
admin resets on AD, Entra (two records per portal reset, sometimes mirrored into O365) and
O365, self-service and failed resets, app-initiated resets, computer-account resets, MFA
changes without a reset and the occasional benign reset -> MFA registration, with the same
diurnal/weekly weighting. Added here: interactive sign-ins (each user from a home address,
sometimes a second device's address, rarely a travel address), and the planted stories
(PLANTED below) whose alerts the simulation checks.

Ingest delays (seconds from _time to _indextime), the figures the app's alerts are designed
for (see the app README, "Ingest delay"):
  ad     Windows Security through a universal forwarder: ~1 min (30-90 s)
  entra  Entra ID audit and sign-in logs via Graph: 2-15 min
  okta   Okta System Log: ~1 min (no Okta events in this world yet)
  o365   Office 365 Management Activity API: 15 min to 12 h, long tail (15 min plus a
         log-normal with a median of about 1 h, capped at 12 h)
"""
import hashlib
import math
import random
import time

DOMAIN = "contoso.com"
MIN, HOUR, DAY = 60.0, 3600.0, 86400.0

FIRST = ("james mary robert patricia john jennifer michael linda david elizabeth william barbara "
         "richard susan joseph jessica thomas sarah charles karen christopher lisa daniel nancy").split()
LAST = ("smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez "
        "gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white").split()
MFA_ACTIVITIES = [("User registered security info", 55), ("User updated security info", 15),
                  ("User changed default security info", 15), ("User deleted security info", 10),
                  ("User registered all required security info", 5)]

COLUMNS = ["_time", "vc_time", "vc_kind", "vc_source", "vc_operation", "vc_initiator", "vc_initiator_ip",
           "vc_initiator_app", "vc_target", "vc_result", "vc_correlation_id", "vc_event_id", "vc_detail",
           "vc_signin_ip", "vc_identity_initiator", "vc_identity_target", "vc_helpdesk", "vc_allowlisted",
           "vc_arrival"]


def delay(source, rng):
    if source in ("ad", "okta"):
        return rng.uniform(30, 90)
    if source == "entra":
        return rng.uniform(2 * MIN, 15 * MIN)
    if source == "o365":
        return 15 * MIN + min(12 * HOUR - 15 * MIN, rng.lognormvariate(math.log(HOUR), 1.0))
    raise ValueError(source)


class Event(dict):
    """One event: the vc_* cells plus _time / _indextime (floats) for the simulation."""

    @property
    def t(self):
        return self["_t"]

    @property
    def arrival(self):
        return self["_indextime"]


class World:
    def __init__(self, seed, n_users=400, n_admins=40):
        self.rng = random.Random(seed)
        self.delay_rng = random.Random(seed + 1)
        self.n_users, self.n_admins = n_users, n_admins
        self.events = []
        self.seq = 0

    # ---- identities (the generator's pools, smaller) ----------------------------------------
    def user(self, i):
        f, l = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        sam = "%s%s%d" % (f[0], l, i)
        local = "%s.%s%d" % (f, l, i) if i % 7 == 3 else sam
        return sam, "%s@%s" % (local, DOMAIN)

    def admin(self, j):
        f, l = FIRST[(j * 7) % len(FIRST)], LAST[(j * 3) % len(LAST)]
        prefix = "hd-" if j % 17 == 5 else ("servicedesk" if j % 53 == 11 else "adm-")
        sam = "%s%s%s%d" % (prefix, f[0], l, j)
        return sam, "%s@%s" % (sam, DOMAIN)

    def _ip(self, tag):
        h = int.from_bytes(hashlib.blake2b(tag.encode(), digest_size=4).digest(), "big")
        return "%d.%d.%d.%d" % (24 + h % 170, (h >> 8) % 256, (h >> 16) % 256, 1 + (h >> 24) % 254)

    def user_ip(self, i):
        return self._ip("u%d" % i)

    def mobile_ip(self, i):
        return self._ip("m%d" % i)

    def admin_ip(self, j):
        return "198.51.100.%d" % (10 + j % 40) if j % 5 else "10.20.%d.%d" % (j % 200, 1 + j % 250)

    def pick_user(self):
        r = self.rng.random()
        return int(self.n_users * r * r)

    def pick_admin(self):
        r = self.rng.random()
        return int(self.n_admins * r ** 1.5)

    # ---- events -------------------------------------------------------------------------------
    def add(self, t, kind, source, operation, initiator="", target="", ip="", app="", result="success",
            corr="", detail="", signin_ip="", arrival_delay=None, story=None):
        self.seq += 1
        arrival = t + (delay(source, self.delay_rng) if arrival_delay is None else arrival_delay)
        e = Event({"_t": t, "_indextime": arrival, "vc_kind": kind, "vc_source": source,
                   "vc_operation": operation, "vc_initiator": initiator, "vc_initiator_ip": ip,
                   "vc_initiator_app": app, "vc_target": target, "vc_result": result,
                   "vc_correlation_id": corr, "vc_event_id": "ev-%d" % self.seq, "vc_detail": detail,
                   "vc_signin_ip": signin_ip, "story": story})
        self.events.append(e)
        return e

    def ad_reset(self, t, subj, target, **kw):
        return self.add(t, "reset", "ad", "4724", subj, target, **kw)

    def entra_reset(self, t, admin_upn, admin_ip, target, result="success", **kw):
        corr = "corr-%d" % (self.seq + 1)
        a = self.add(t, "reset", "entra", "Reset password (by admin)", admin_upn, target, ip=admin_ip,
                     result=result, corr=corr, **kw)
        kw.pop("arrival_delay", None)
        self.add(t + 0.35, "reset", "entra", "Reset user password", admin_upn, target, ip=admin_ip,
                 result=result, corr=corr, arrival_delay=a.arrival - a.t, **kw)
        return a

    def o365_reset(self, t, actor, target, **kw):
        return self.add(float(int(t)), "reset", "o365", "Reset user password.", actor, target, **kw)

    def entra_mfa(self, t, target, activity="User registered security info", ip="", **kw):
        return self.add(t, "mfa", "entra", activity, target, target, ip=ip, detail="Authenticator App", **kw)

    def o365_mfa(self, t, target, **kw):
        return self.add(float(int(t)), "mfa", "o365", "Update user.", target, target,
                        detail="StrongAuthenticationMethod", **kw)

    def signin(self, t, upn, ip, result="success", **kw):
        return self.add(t, "signin", "entra", "Sign-in activity", "", upn, result=result, signin_ip=ip, **kw)

    # ---- background ---------------------------------------------------------------------------
    def incident(self, t0, end):
        rng = self.rng
        x = rng.random()
        a = self.pick_admin()
        asam, aupn = self.admin(a)
        u = self.pick_user()
        usam, uupn = self.user(u)
        follow = lambda dt: min(t0 + dt, end - 0.001)
        if x < 0.30:
            self.ad_reset(t0, "CONTOSO\\" + asam, "CONTOSO\\" + usam)
            if rng.random() < 0.06:
                self.entra_mfa(follow(rng.uniform(300, 7200)), uupn, ip=self.user_ip(u))
        elif x < 0.45:
            self.entra_reset(t0, aupn, self.admin_ip(a), uupn)
            if rng.random() < 0.2:
                self.o365_reset(t0 + rng.uniform(1, 4), aupn, uupn)
            if rng.random() < 0.08:
                self.entra_mfa(follow(rng.uniform(120, 10800)), uupn, ip=self.user_ip(u))
        elif x < 0.57:
            self.o365_reset(t0, aupn, uupn)
        elif x < 0.66:
            ok = "success" if rng.random() < 0.9 else "failure"
            self.add(t0, "reset", "entra", "Reset password (self-service)", uupn, uupn, result=ok)
        elif x < 0.92:
            act = rng.choices([a_ for a_, _ in MFA_ACTIVITIES], [w_ for _, w_ in MFA_ACTIVITIES])[0]
            self.entra_mfa(t0, uupn, act, ip=self.user_ip(u))
        elif x < 0.95:
            self.entra_reset(t0, aupn, self.admin_ip(a), uupn, result="failure")
        elif x < 0.98:
            app = rng.choice(("Microsoft Entra Connect", "Password Reset Automation"))
            self.add(t0, "reset", "entra", "Reset user password", "", uupn, app=app)
        else:
            self.ad_reset(t0, "CONTOSO\\" + asam, "WS-%05d$" % u)

    def background(self, start, end, incidents_per_busy_hour=6.0):
        t = start
        while t < end:
            g = time.gmtime(t)
            busy = 8 <= g.tm_hour < 18
            w = (0.08 if busy else 0.05) if g.tm_wday >= 5 else (1.0 if busy else 0.12)
            n = self.rng.random() * 2 * incidents_per_busy_hour * w
            for _ in range(int(n) + (1 if self.rng.random() < n - int(n) else 0)):
                self.incident(t + self.rng.random() * HOUR, end)
            t += HOUR
        # Sign-ins: every user on working days, from home; sometimes a second device; rarely travel.
        day = start - start % DAY
        while day < end:
            if time.gmtime(day).tm_wday < 5:
                for u in range(self.n_users):
                    _, upn = self.user(u)
                    for _ in range(self.rng.choice((1, 1, 2, 3))):
                        t = day + 8 * HOUR + self.rng.random() * 10 * HOUR
                        r = self.rng.random()
                        ip = self.user_ip(u) if r < 0.9 else self.mobile_ip(u) if r < 0.99 else \
                            self._ip("t%d" % self.rng.randrange(10 ** 6))
                        if start <= t < end:
                            self.signin(t, upn, ip, result="success" if self.rng.random() < 0.97 else "failure")
            day += DAY


# ---- planted stories ---------------------------------------------------------------------------
# Each story: its events, the alerts it must raise {(role, severity)}, and for each the decisive
# event (the arrival that completes it). Roles: "bulk", "chain", "full" (the new-IP full chain),
# told apart by the saved searches' own result filters. Names never collide with the background
# (background users end in a number and background admins are adm-, hd- or servicedesk + number).

def person(spelling):
    """The command's identity key under identity=localpart (its risk_object): DOMAIN\\ and
    @suffix removed, lower case."""
    return spelling.split("\\")[-1].split("@")[0].lower()


class Story:
    """`match`: (kind, spelling) of the finding's person: ("bulk", initiator) or ("chain", target);
    findings are matched on the command's risk_object, that person's identity key."""

    def __init__(self, sid, what, match):
        self.sid, self.what, self.match = sid, what, (match[0], person(match[1]))
        self.expect = {}  # (role, severity) -> decisive arrival (epoch)
        self.forbid_roles = set()

    def must(self, role, severity, decisive_arrival):
        self.expect[(role, severity)] = decisive_arrival


def kth_arrival(events, k):
    return sorted(e.arrival for e in events)[k - 1]


def plant(w, day0):
    """Planted stories from day0 (00:00 UTC of a weekday) on. Returns [Story]."""
    stories = []
    H, M = HOUR, MIN

    def history(upn, ip, first, days=5):
        # An account's ordinary sign-ins from one address on the days before `first`.
        for d in range(1, days + 1):
            w.signin(first - d * DAY + 2 * H, upn, ip)

    # 1. A help-desk account resets 6 accounts in 40 minutes (AD): high at 3, critical at 5.
    hd = "helpdesk07"
    tg = ["amanda.reyes", "brian.cho", "carla.novak", "derek.hale", "elena.park", "frank.oduya"]
    offs = [10 * H + 41 * M + 5, 10 * H + 47 * M + 40, 10 * H + 55 * M + 12, 11 * H + 3 * M + 30,
            11 * H + 12 * M + 48, 11 * H + 20 * M + 55]
    evs = [w.ad_reset(day0 + o, "CONTOSO\\" + hd, "CONTOSO\\" + u, story=1) for o, u in zip(offs, tg)]
    s = Story("bulk_helpdesk_6_in_40min", "AD: helpdesk07 resets 6 accounts in 40 min", ("bulk", "CONTOSO\\" + hd))
    s.must("bulk", "high", kth_arrival(evs, 3))
    s.must("bulk", "critical", kth_arrival(evs, 5))
    stories.append(s)

    # 2. A cloud admin (no help-desk name), 5 targets in 25 min, each Entra reset 2 records.
    adm = "it.ops.admin@" + DOMAIN
    evs = [w.entra_reset(day0 + 14 * H + 5 * M + k * 6 * M, adm, "203.0.113.77",
                         u + "@" + DOMAIN, story=2)
           for k, u in enumerate(["gina.moss", "hugo.lind", "ivy.chen", "jack.bauer", "kara.stone"])]
    s = Story("bulk_cloud_admin_5_targets", "Entra: 5 targets in 25 min, 10 records", ("bulk", adm))
    s.must("bulk", "high", kth_arrival(evs, 3))
    s.must("bulk", "critical", kth_arrival(evs, 5))
    stories.append(s)

    # 3. Entra reset -> MFA 12 min -> sign-in from a new address 40 min later.
    day1 = day0 + DAY
    tgt = "grace.liu@" + DOMAIN
    r = day1 + 16 * H
    history(tgt, "24.5.6.7", r)
    a = w.entra_reset(r, "helpdesk.ops@" + DOMAIN, "198.51.100.9", tgt, story=3)
    m = w.entra_mfa(r + 12 * M, tgt, ip="185.220.101.45", story=3)
    si = w.signin(r + 52 * M, tgt, "185.220.101.45", story=3)
    s = Story("full_chain_entra", "Entra reset, MFA 12 min later, new-IP sign-in", ("chain", tgt))
    s.must("chain", "high", max(a.arrival, m.arrival))
    s.must("full", "critical", max(a.arrival, m.arrival, si.arrival))
    stories.append(s)

    # 4. The issue's case: an allow-listed help desk (hd-mtorres, tests' lookups) resets jdoe in
    #    AD, Entra MFA for jdoe@contoso.com 12 min later, sign-in from a new address.
    tgt = "jdoe@" + DOMAIN
    r = day1 + 15 * H + 10 * M
    history(tgt, "24.9.9.9", r)
    a = w.ad_reset(r, "CONTOSO\\hd-mtorres", "CONTOSO\\jdoe", story=4)
    m = w.entra_mfa(r + 12 * M, tgt, ip="102.67.2.90", story=4)
    si = w.signin(r + 35 * M, tgt, "102.67.2.90", story=4)
    s = Story("allowlisted_helpdesk_chain", "allow-listed hd-mtorres: AD reset, Entra MFA, new IP",
              ("chain", "CONTOSO\\jdoe"))
    s.must("chain", "high", max(a.arrival, m.arrival))
    s.must("full", "critical", max(a.arrival, m.arrival, si.arrival))
    stories.append(s)

    # 5. O365 reset -> Entra MFA 3.5 h later; the O365 record arrives 6 h late (after the MFA).
    tgt = "henry.adams@" + DOMAIN
    r = day0 + 2 * DAY + 9 * H
    a = w.o365_reset(r, "helpdesk.ops@" + DOMAIN, tgt, arrival_delay=6 * H, story=5)
    m = w.entra_mfa(r + 3.5 * H, tgt, ip="45.83.64.11", story=5)
    s = Story("late_o365_reset", "O365 reset 6 h late, Entra MFA 3.5 h after it", ("chain", tgt))
    s.must("chain", "medium", max(a.arrival, m.arrival))
    stories.append(s)

    # 6. AD reset -> O365 "Update user." MFA 20 min later that arrives 9 h late.
    r = day0 + 2 * DAY + 11 * H
    a = w.ad_reset(r, "CONTOSO\\adm-wbrown3", "CONTOSO\\ken.ito", story=6)
    m = w.o365_mfa(r + 20 * M, "ken.ito@" + DOMAIN, arrival_delay=9 * H, story=6)
    s = Story("late_o365_mfa", "AD reset, O365 MFA change 20 min later arriving 9 h late",
              ("chain", "CONTOSO\\ken.ito"))
    s.must("chain", "high", max(a.arrival, m.arrival))
    stories.append(s)

    # 7. A bulk incident raised to critical by its chain: 3 resets in 20 min, one target's MFA
    #    10 min after its reset.
    adm = "cloud.admin2@" + DOMAIN
    t0 = day0 + 3 * DAY + 10 * H
    evs = [w.entra_reset(t0 + k * 10 * M, adm, "203.0.113.80", u + "@" + DOMAIN, story=7)
           for k, u in enumerate(["lena.fox", "milo.hart", "nora.quinn"])]
    m = w.entra_mfa(t0 + 30 * M, "nora.quinn@" + DOMAIN, ip="91.200.1.1", story=7)
    s = Story("bulk_raised_by_chain", "3 resets, then the last target's MFA: bulk high, then critical",
              ("bulk", adm))
    s.must("bulk", "high", kth_arrival(evs, 3))
    s.must("bulk", "critical", max(kth_arrival(evs, 3), m.arrival))
    stories.append(s)
    s7c = Story("bulk_raised_by_chain/chain", "the chain of story 7", ("chain", "nora.quinn@" + DOMAIN))
    s7c.must("chain", "high", max(evs[2].arrival, m.arrival))
    stories.append(s7c)

    # 8. One routine ticket by a help-desk-named account: reset, MFA 10 min later. The chain
    #    alerts (high); no critical bulk_reset "1 target" beside it.
    tgt = "olga.berg@" + DOMAIN
    r = day0 + 3 * DAY + 13 * H
    a = w.entra_reset(r, "helpdesk.sam@" + DOMAIN, "198.51.100.33", tgt, story=8)
    m = w.entra_mfa(r + 10 * M, tgt, story=8)
    s = Story("one_ticket_helpdesk", "help-desk-named: 1 reset, MFA 10 min later", ("chain", tgt))
    s.must("chain", "high", max(a.arrival, m.arrival))
    stories.append(s)
    sb = Story("one_ticket_helpdesk/bulk", "no bulk alert for it", ("bulk", "helpdesk.sam@" + DOMAIN))
    sb.forbid_roles.add("bulk")
    stories.append(sb)

    # 9. The baseline comes from the known-address lookup: the account signed in from X 70 h
    #    before the reset (outside the full chain's look-back) and from Y a day before it; after
    #    the MFA change it signs in from X again. The window alone would call X new (critical,
    #    and only in runs that no longer see the 70-hour-old sign-in: the verdict flipped as the
    #    window rolled); with the lookup X is known: a chain (high), never a new-IP full chain.
    tgt = "pia.roth@" + DOMAIN
    r = day0 + 4 * DAY + 10 * H
    w.signin(r - 70 * H, tgt, "81.2.69.160", story=9)
    w.signin(r - 24 * H, tgt, "81.2.69.161", story=9)
    a = w.entra_reset(r, "adm-kjones9@" + DOMAIN, "198.51.100.19", tgt, story=9)
    m = w.entra_mfa(r + 15 * M, tgt, story=9)
    w.signin(r + 30 * M, tgt, "81.2.69.160", story=9)
    s = Story("known_ip_from_lookup", "X seen 70 h before the reset, Y a day before; X after the MFA",
              ("chain", tgt))
    s.must("chain", "high", max(a.arrival, m.arrival))
    s.forbid_roles.add("full")
    stories.append(s)

    # 10. Reset -> MFA 5 h later (outside the window) and MFA before a reset: nothing.
    tgt = "irene.walsh@" + DOMAIN
    r = day0 + 5 * DAY + 9 * H
    w.entra_reset(r, "adm-oconnor@" + DOMAIN, "198.51.100.21", tgt, story=10)
    w.entra_mfa(r + 5 * H, tgt, story=10)
    tgt2 = "kevin.ng@" + DOMAIN
    w.entra_mfa(r - 20 * M + 2 * DAY, tgt2, story=10)
    w.entra_reset(r + 2 * DAY, "adm-oconnor@" + DOMAIN, "198.51.100.21", tgt2, story=10)
    for t_ in (tgt, tgt2):
        s = Story("no_match/" + t_.split("@")[0], "5 h gap / MFA before the reset", ("chain", t_))
        s.forbid_roles.update(("chain", "full"))
        stories.append(s)
    return stories
