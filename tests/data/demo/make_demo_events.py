#!/usr/bin/env python3
"""Builds the demo scenario: identity events in their native shapes (Windows Security XML,
O365 management activity JSON, Entra directoryAudit / sign-in JSON as Graph, Event Hub and
Splunk add-ons deliver them), flattened the way Splunk's search-time JSON/XML extraction names
fields, and written as the CSV body splunkd hands a search command (newest first, splunkd's
quoting). Deterministic: the committed demo_events.csv is this script's output.

    python3 make_demo_events.py > demo_events.csv
"""
import csv
import io
import json
import re
import sys
from datetime import datetime, timezone

BASE = datetime(2025, 6, 2, 9, 0, 0, tzinfo=timezone.utc).timestamp()  # Monday 09:00 UTC


def at(minutes, seconds=0.0):
    return BASE + minutes * 60 + seconds


def iso(t, digits=7):
    d = datetime.fromtimestamp(t, tz=timezone.utc)
    frac = ("%.7f" % (t % 1))[2:2 + digits]
    return d.strftime("%Y-%m-%dT%H:%M:%S") + "." + frac + "Z"


rows = []  # (epoch, {field: value or [values]})


def flatten(obj, prefix="", out=None):
    """Splunk's JSON extraction: keys joined with '.', arrays add '{}', nulls dropped,
    arrays of scalars become multivalue fields."""
    if out is None:
        out = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            flatten(v, prefix + "." + k if prefix else k, out)
    elif isinstance(obj, list):
        for v in obj:
            flatten(v, prefix + "{}", out)
    elif obj is not None:
        val = obj if isinstance(obj, str) else json.dumps(obj)
        out.setdefault(prefix, []).append(val)
    return out


def add_json(t, sourcetype, source, record):
    fields = flatten(record)
    fields["_raw"] = [json.dumps(record, separators=(", ", ": "))]
    fields["sourcetype"] = [sourcetype]
    fields["source"] = [source]
    rows.append((t, fields))


def win_4724(t, subject, target, domain="CONTOSO", success=True, code=4724, record_id=0):
    keywords = "0x8020000000000000" if success else "0x8010000000000000"
    system_time = iso(t, 7)
    raw = ("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
           "<Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/>"
           f"<EventID>{code}</EventID><Version>0</Version><Level>0</Level><Task>13824</Task><Opcode>0</Opcode>"
           f"<Keywords>{keywords}</Keywords><TimeCreated SystemTime='{system_time}'/>"
           f"<EventRecordID>{record_id}</EventRecordID><Correlation/><Execution ProcessID='612' ThreadID='6844'/>"
           "<Channel>Security</Channel><Computer>dc01.contoso.local</Computer><Security/></System><EventData>"
           f"<Data Name='TargetUserName'>{target}</Data><Data Name='TargetDomainName'>{domain}</Data>"
           f"<Data Name='TargetSid'>S-1-5-21-1004336348-1177238915-682003330-{1000 + record_id % 5000}</Data>"
           "<Data Name='SubjectUserSid'>S-1-5-21-1004336348-1177238915-682003330-1105</Data>"
           f"<Data Name='SubjectUserName'>{subject}</Data><Data Name='SubjectDomainName'>{domain}</Data>"
           "<Data Name='SubjectLogonId'>0x592d1</Data></EventData></Event>")
    fields = {"_raw": [raw], "sourcetype": ["XmlWinEventLog"],
              "source": ["XmlWinEventLog:Security"], "EventCode": [str(code)],
              "SubjectUserName": [subject], "SubjectDomainName": [domain],
              "TargetUserName": [target], "TargetDomainName": [domain],
              "Keywords": [keywords], "RecordNumber": [str(record_id)]}
    rows.append((t, fields))


def entra_audit(t, activity, initiator, target, ip="", app="", corr="", rid="", result="success",
                detail=""):
    initiated = {"app": {"displayName": app, "servicePrincipalId": "9b1c0b8c"}} if app else \
        {"user": {"id": "11111111-2222-3333-4444-555555555555", "displayName": None,
                  "userPrincipalName": initiator, "ipAddress": ip}}
    record = {"id": rid, "category": "UserManagement", "correlationId": corr, "result": result,
              "resultReason": detail, "activityDisplayName": activity,
              "activityDateTime": iso(t), "loggedByService": "Core Directory",
              "operationType": "Update", "initiatedBy": initiated,
              "targetResources": [{"id": "0f6b1d2c-" + target.split("@")[0].replace(".", ""),
                                   "displayName": None, "type": "User",
                                   "userPrincipalName": target, "modifiedProperties": []}],
              "additionalDetails": []}
    add_json(t, "ms:entra:audit", "entra_audit://contoso", record)


def o365(t, operation, actor, target, result="Success", props=None, ip=""):
    record = {"CreationTime": iso(t, 0)[:19], "Id": "o365-%d" % int(t * 10),
              "Operation": operation, "OrganizationId": "99825d50-9544-4061-8e46-68923805cbf2",
              "RecordType": 8, "ResultStatus": result, "UserKey": actor, "UserType": 0,
              "Workload": "AzureActiveDirectory", "ClientIP": ip, "ObjectId": target,
              "UserId": actor, "AzureActiveDirectoryEventType": 1,
              "ModifiedProperties": props or [],
              "Actor": [{"ID": actor, "Type": 5}], "SupportTicketId": "",
              "Target": [{"ID": "User_57e4bd36", "Type": 2}, {"ID": target, "Type": 5}]}
    add_json(t, "o365:management:activity", "o365", record)


def signin(t, upn, ip, error_code=0):
    record = {"id": "si-%d" % int(t), "createdDateTime": iso(t), "userPrincipalName": upn,
              "appDisplayName": "Office 365 Exchange Online", "ipAddress": ip,
              "clientAppUsed": "Browser", "status": {"errorCode": error_code}}
    add_json(t, "ms:entra:signin", "entra_audit://contoso_signin", record)


# --- Scenario 1: a help-desk operator, likely the vishing victim's call taker, resets six
# accounts in 40 minutes straddling 10:00 (fixed hourly bins would split it 3 + 3).
for i, (m, user) in enumerate([(41, "amanda.reyes"), (47, "brian.cho"), (55, "carla.novak"),
                               (62, "derek.hale"), (71, "elena.park"), (80, "frank.oduya")]):
    win_4724(at(m), "hd-mtorres", user, record_id=276700 + i)
    # AD writes a 4738 (PasswordLastSet) companion in the same millisecond: not a second reset.
    win_4724(at(m), "hd-mtorres", user, code=4738, record_id=276800 + i)

# ...and one of them (amanda.reyes) gets an attacker MFA method 12 minutes later, then a
# sign-in from that new address; her usual sign-ins come from the office range.
for d in (1, 2, 3):
    signin(at(-60 * 24 * d + 30), "amanda.reyes@contoso.com", "10.20.30.41")
entra_audit(at(53), "User registered security info", "amanda.reyes@contoso.com",
            "amanda.reyes@contoso.com", ip="185.220.101.45", corr="7d1e2f10-aaaa-4bbb-8ccc-000000000001",
            rid="IAMUX_7d1e2f10_0001", detail="User registered Authenticator App with Notification and Code")
signin(at(58), "amanda.reyes@contoso.com", "185.220.101.45")

# --- Scenario 2: a portal reset in Entra (two events, one correlation id) by the cloud help
# desk, then an MFA registration 20 minutes later for an account with no sign-in history here.
entra_audit(at(120), "Reset password (by admin)", "helpdesk.ops@contoso.com", "grace.liu@contoso.com",
            ip="10.20.45.46", corr="5c0ffee0-1111-4222-8333-000000000002", rid="Directory_5c0ffee0_A")
entra_audit(at(120, 0.4), "Reset user password", "helpdesk.ops@contoso.com", "grace.liu@contoso.com",
            ip="10.20.45.46", corr="5c0ffee0-1111-4222-8333-000000000002", rid="Directory_5c0ffee0_B")
entra_audit(at(140), "Admin registered security info", "helpdesk.ops@contoso.com",
            "grace.liu@contoso.com", ip="10.20.45.46", corr="5c0ffee0-1111-4222-8333-000000000003",
            rid="IAMUX_5c0ffee0_0003", detail="Admin registered phone method for user")

# --- Scenario 3: an O365 reset, then a StrongAuthenticationMethod change 3.5 hours later
# (a match, not high confidence).
o365(at(180), "Reset user password.", "helpdesk.ops@contoso.com", "henry.adams@contoso.com")
o365(at(390), "Update user.", "henry.adams@contoso.com", "henry.adams@contoso.com", props=[
    {"Name": "StrongAuthenticationMethod",
     "NewValue": "[{\"MethodType\": 6, \"Default\": true}, {\"MethodType\": 7, \"Default\": false}]",
     "OldValue": "[{\"MethodType\": 6, \"Default\": true}]"},
    {"Name": "Included Updated Properties", "NewValue": "StrongAuthenticationMethod", "OldValue": ""}])

# --- Scenario 4: a reset whose MFA change comes 5 hours later: outside the window, no finding.
entra_audit(at(200), "Reset user password", "it.admin@contoso.com", "irene.walsh@contoso.com",
            ip="10.20.45.50", corr="0a0a0a0a-2222-4333-8444-000000000004", rid="Directory_0a0a_0004")
entra_audit(at(500), "User registered security info", "irene.walsh@contoso.com",
            "irene.walsh@contoso.com", ip="10.20.30.77", corr="0a0a0a0a-2222-4333-8444-000000000005",
            rid="IAMUX_0a0a_0005")

# --- Background that must not alarm: a user changing their own password (4723), a machine
# account reset, a failed reset, routine sign-ins, an unrelated directory change.
win_4724(at(30), "jsmith", "jsmith", code=4723, record_id=276900)
win_4724(at(33), "svc-deploy", "WS-0142$", record_id=276901)
win_4724(at(50), "hd-mtorres", "kara.stone", success=False, record_id=276902)
signin(at(100), "brian.cho@contoso.com", "10.20.30.42")
signin(at(101), "carla.novak@contoso.com", "10.20.30.43", error_code=50126)
entra_audit(at(150), "Update user", "it.admin@contoso.com", "lisa.lopez@contoso.com",
            ip="10.20.45.50", corr="0b0b0b0b-2222-4333-8444-000000000006", rid="Directory_0b0b_0006")

# Newest first, as splunkd sends search results.
rows.sort(key=lambda r: -r[0])
fields = ["_time"]
for _, f in rows:
    for k in f:
        if k not in fields:
            fields.append(k)
bare = re.compile(r"[A-Za-z0-9]*\Z")


def quote(v):
    return v if bare.match(v) else '"' + v.replace('"', '""') + '"'


def mv(values):
    return "" if len(values) < 2 else ";".join("$" + v.replace("$", "$$") + "$" for v in values)


header = fields + ["__mv_" + f for f in fields]
out = io.StringIO()
out.write(",".join(quote(h) for h in header) + "\n")
for t, f in rows:
    f = dict(f)
    f["_time"] = ["%.3f" % t]
    plain = [quote("\n".join(f.get(k, []))) for k in fields]
    multi = [quote(mv(f.get(k, []))) for k in fields]
    out.write(",".join(plain + multi) + "\n")
sys.stdout.write(out.getvalue())
