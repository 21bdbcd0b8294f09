"""The vishing_tuning macro (default/macros.conf) in Python, for pre-normalized vc_* rows: what
its 'lookup' and 'eval' steps set in vc_identity_initiator, vc_identity_target, vc_helpdesk
and vc_allowlisted. Keep it in step with the macros; references_test checks that the macros
use these lookups and columns.

Splunk semantics mirrored: keys are lower-cased with any DOMAIN\\ prefix removed
(vishing_identity_keys, also for raw Windows rows: identity_keys()); lookups match
case-insensitively (case_sensitive_match = false). Maintenance windows are not a multi-match
lookup (Splunk collapses repeated values of a multivalue lookup output, so start and end could
not be paired): vishing_maintenance_condition builds one eval expression from the whole
lookup, testing each window's start and end together, and a row whose time does not parse
makes the search fail (MaintenanceWindowError here).
"""
import csv
import datetime as dt
import os
import re


def _key(value):
    if not value:
        return None
    return re.sub(r"^[^\\]*\\", "", value).lower()


def _read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _lookup(rows, column, value):
    if value is None:
        return []
    return [r for r in rows if r[column].lower() == value.lower()]


def _distinct(values):
    out = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


class MaintenanceWindowError(Exception):
    """The search error vishing_maintenance_condition produces for an unparseable row."""


def _epoch(text):
    """coalesce(tonumber(x), strptime(x, "%Y-%m-%dT%H:%M:%S%z")); None when neither parses."""
    text = (text or "").strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z").timestamp()
    except ValueError:
        return None


def maintenance_windows(rows):
    """[(initiator key or '*', start, end)] as vishing_maintenance_condition builds them."""
    out = []
    for w in rows:
        s, e = _epoch(w.get("start")), _epoch(w.get("end"))
        who = _key((w.get("initiator") or "").strip()) or ""
        if s is None or e is None or e < s or not who or '"' in who or "\\" in who:
            raise MaintenanceWindowError(
                "vishing_maintenance_windows_has_an_unparseable_row: %r" % (w,))
        out.append((who, s, e))
    return out


def _mv(value):
    return [v for v in (value or "").split("\n") if v] if isinstance(value, str) else list(value or [])


def identity_keys(row):
    """vishing_identity_keys on a raw (or vc_*) row: (initiator key, target key)."""
    kind = (row.get("vc_kind") or "").lower() or (
        "signin" if row.get("Operation") in ("UserLoggedIn", "UserLoginFailed")
        or row.get("category") == "SignInLogs" or re.search(r"(?i)signin", row.get("sourcetype") or "")
        else "change")
    windows = bool(re.search(r"(?i)wineventlog", row.get("sourcetype") or ""))
    names = _mv(row.get("Account_Name"))

    def first(*values):
        return next((v for v in values if v), None)
    if kind in ("signin", "known_ip"):
        initiator = None
        target = first(row.get("vc_target"), row.get("userPrincipalName"),
                       row.get("properties.userPrincipalName"), row.get("UserId"))
    else:
        initiator = first(row.get("vc_initiator"), row.get("vc_initiator_app"), row.get("SubjectUserName"),
                          first(row.get("src_user"), names[0] if len(names) == 2 else None) if windows else None,
                          row.get("initiatedBy.user.userPrincipalName"), row.get("initiatedBy.app.displayName"),
                          row.get("UserId"))
        target = first(row.get("vc_target"), row.get("TargetUserName"),
                       first(row.get("user"), names[1] if len(names) == 2 else None) if windows else None,
                       row.get("ObjectId"), (_mv(row.get("targetResources{}.userPrincipalName")) or [None])[0])
    return _key(initiator), _key(target)


class Tuning:
    def __init__(self, lookup_dir):
        p = lambda n: os.path.join(lookup_dir, n + ".csv")
        self.helpdesk = _read(p("vishing_helpdesk_accounts"))
        self.allowlist = _read(p("vishing_allowlisted_initiators"))
        self.identity = _read(p("vishing_identity_map"))
        self.windows = maintenance_windows(_read(p("vishing_maintenance_windows")))

    def apply(self, row):
        """Returns a copy of a vc_* row with the tuning columns set as the macro sets them."""
        row = dict(row)
        initiator, target = identity_keys(row)
        t = float(row.get("vc_time") or row["_time"])

        # vishing_identity_lookup
        for col, key in (("vc_identity_initiator", initiator), ("vc_identity_target", target)):
            hit = _lookup(self.identity, "account", key)
            if not row.get(col) and hit:
                row[col] = hit[0]["identity"]
        # vishing_helpdesk_lookup
        hit = _lookup(self.helpdesk, "account", initiator)
        if (row.get("vc_helpdesk") or "").lower() == "true" or (hit and hit[0]["helpdesk"].lower() == "true"):
            row["vc_helpdesk"] = "true"
        # vishing_allowlist_lookup: the allow-list, then the maintenance condition
        allow = _lookup(self.allowlist, "initiator", initiator)
        active = any((who == "*" or who == initiator) and s <= t <= e for who, s, e in self.windows)
        if (row.get("vc_allowlisted") or "").lower() == "true" or allow or active:
            row["vc_allowlisted"] = "true"
        return row
