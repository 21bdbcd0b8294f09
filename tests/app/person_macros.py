"""The dashboards' person macros of default/macros.conf in Python (vishing_identity_keys,
vishing_event_kind, vishing_person_key, vishing_person_terms, vishing_person_events,
vishing_person_findings), for events as splunkd hands them to a search (field names of
Splunk's extraction, multivalue fields as lists). Keep it in step with the macros, as tuning.py
is kept with vishing_tuning; dashboards_render_test runs the dashboards' searches through it.

Splunk semantics mirrored: coalesce() takes the first non-null value; lookups match
case-insensitively (the identity map has case_sensitive_match = false, max_matches = 1);
a quoted search term matches an event whose _raw contains it, case-insensitively.
"""
import re


def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def coalesce(*values):
    for v in values:
        if v not in (None, "", []):
            return v
    return None


def _strip_domain(value):
    return None if value is None else re.sub(r"^[^\\]*\\", "", value)


def identity_keys(row):
    """vishing_identity_keys (for rows without vc_* columns: raw Windows, O365, Entra)."""
    g = row.get
    op, cat, st = g("Operation"), g("category"), g("sourcetype") or ""
    signin = op in ("UserLoggedIn", "UserLoginFailed") or cat == "SignInLogs" or re.search("(?i)signin", st)
    windows = re.search("(?i)wineventlog", st) is not None
    pair = g("Account_Name") if isinstance(g("Account_Name"), list) and len(g("Account_Name")) == 2 else None
    if signin:
        initiator = None
        target = coalesce(g("userPrincipalName"), g("properties.userPrincipalName"), g("UserId"))
    else:
        initiator = coalesce(g("SubjectUserName"),
                             coalesce(g("src_user"), pair and pair[0]) if windows else None,
                             g("initiatedBy.user.userPrincipalName"),
                             g("properties.initiatedBy.user.userPrincipalName"), g("initiatedBy.app.displayName"),
                             g("properties.initiatedBy.app.displayName"), g("UserId"))
        target = coalesce(g("TargetUserName"),
                          coalesce(g("user"), pair and pair[1]) if windows else None,
                          g("ObjectId"), _first(g("targetResources{}.userPrincipalName")),
                          _first(g("properties.targetResources{}.userPrincipalName")))
    initiator, target = _first(initiator), _first(target)
    return {"vd_initiator_raw": initiator, "vd_target_raw": target,
            "vd_initiator_key": None if initiator is None else _strip_domain(initiator).lower(),
            "vd_target_key": None if target is None else _strip_domain(target).lower()}


def event_kind(row):
    """vishing_event_kind: (event_kind, source_family)."""
    g = row.get
    op = coalesce(g("activityDisplayName"), g("properties.activityDisplayName"), g("OperationName"),
                  g("operationName"), g("Operation")) or ""
    st = g("sourcetype") or ""
    names = g("ModifiedProperties{}.Name") or ""
    names = "\n".join(names) if isinstance(names, list) else names
    if g("Operation") == "UserLoggedIn" or g("category") == "SignInLogs" or re.search("(?i)signin", st):
        kind = "signin"
    elif re.search("(?i)security info|temporary access pass|strong authentication", op) or \
            "StrongAuthentication" in names:
        kind = "mfa"
    elif g("EventCode") == "4724" or re.search("(?i)reset|password", op):
        kind = "reset"
    else:
        kind = "other"
    family = "ad" if re.search("(?i)wineventlog", st) else "o365" if st == "o365:management:activity" else "entra"
    return kind, family


class IdentityMap:
    def __init__(self, rows):
        self.rows = rows

    def identity(self, account):
        if account is None:
            return None
        for r in self.rows:
            if r["account"].lower() == account.lower():
                return r["identity"]          # max_matches = 1
        return None


def person_key(identity, idmap):
    """vishing_person_key"""
    key = _strip_domain(identity.strip()).lower()
    return (idmap.identity(key) or re.sub("@.*", "", key)).lower()


def person_terms(identity, idmap):
    """vishing_person_terms: the quoted terms (without quotes)."""
    person = person_key(identity, idmap)
    accounts = [r["account"] for r in idmap.rows if r["identity"].lower() == person] + [identity]
    terms = []
    for a in accounts:
        for t in (person, _strip_domain(a.strip()).lower()):
            if t not in terms:
                terms.append(t)
    return terms


def matches_terms(row, terms):
    raw = (row.get("_raw") or "").lower()
    return any(t.lower() in raw for t in terms)


def _person_of(key, idmap):
    if key is None:
        return None
    return (idmap.identity(key) or re.sub("@.*", "", key)).lower()


def person_events(rows, identity, idmap):
    """vishing_person_events over the rows the index holds."""
    person = person_key(identity, idmap)
    terms = person_terms(identity, idmap)
    out = []
    for row in rows:
        if not matches_terms(row, terms):
            continue
        kind, family = event_kind(row)
        keys = identity_keys(row)
        p_init, p_target = _person_of(keys["vd_initiator_key"], idmap), _person_of(keys["vd_target_key"], idmap)
        if kind == "other" or person not in (p_init, p_target):
            continue
        g = row.get
        r = dict(row)
        r.update({
            "event_kind": kind, "source_family": family,
            "role": "target" if p_target == person else "initiator",
            "initiator": keys["vd_initiator_raw"], "account": keys["vd_target_raw"],
            "touched_by": keys["vd_initiator_raw"] if p_target == person and p_init is not None and p_init != person
            else None,
            "operation": coalesce(g("activityDisplayName"), g("properties.activityDisplayName"), g("OperationName"),
                                  g("operationName"), g("Operation"), g("EventCode")),
            "ip": coalesce(g("ipAddress"), g("properties.ipAddress"), g("initiatedBy.user.ipAddress"),
                           g("properties.initiatedBy.user.ipAddress"), g("callerIpAddress"), g("ClientIP")),
            "outcome": coalesce(g("result"), g("properties.result"), g("Result"), g("ResultStatus"),
                                g("status.errorCode"), g("Keywords")),
        })
        out.append(r)
    return out


def person_findings(rows, identity, idmap):
    """vishing_person_findings over the command's result rows."""
    person = person_key(identity, idmap)
    out = []
    for row in rows:
        accounts = []
        for f in ("src_user", "user", "risk_object"):
            v = row.get(f)
            accounts += v if isinstance(v, list) else [v] if v else []
        keys = [_strip_domain(a).lower() for a in accounts]
        people = [idmap.identity(k).lower() for k in keys if idmap.identity(k)] + [re.sub("@.*", "", k) for k in keys]
        if person in people:
            out.append(row)
    return out
