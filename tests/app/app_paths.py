"""Where the app's sources live in the repository (tests/app/ -> repository root)."""
import os

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT = os.path.join(REPO, "default")
APP = os.path.join(REPO, "splunk_app")
LOOKUPS = os.path.join(APP, "lookups")
VIEWS = os.path.join(DEFAULT, "data", "ui", "views")
NAV = os.path.join(DEFAULT, "data", "ui", "nav", "default.xml")
SPECS = os.path.join(REPO, "tests", "data", "app", "specs")
README_SPEC = os.path.join(APP, "README", "inputs.conf.spec")

# The arguments of vishingcorrelate (DESIGN.md section 3), each with its default.
COMMAND_ARGS = {
    "mode": "all", "window": "1h", "mfa_window": "4h", "high_confidence": "30m",
    "min_targets": "2", "helpdesk_regex": "(?i)(helpdesk|servicedesk|itadmin|support|resetbot)",
    "binning": "sliding", "identity": "localpart", "dedup_window": "10s", "pairs": "first",
    "signin_window": "24h", "recovery": "all", "threads": "2", "report_since": "",
    "phase": "", "max_findings": "1000000", "max_values": "1000",
}

# Fields of the command's result rows (DESIGN.md section 3.5).
COMMAND_OUTPUT_FIELDS = {
    "_time", "detection", "finding_id", "severity", "risk_score", "risk_object", "risk_object_type",
    "src_user", "user", "src", "mitre_technique_id",
    "InitiatorAccount", "RiskScore", "ResetCount", "UniqueTargets", "FailedResets",
    "AllowlistedResets", "AffectedAccounts", "SourceIPs", "Sources", "RecoveryKinds", "FirstReset", "LastReset",
    "TimespanMinutes",
    "ResetTime", "MFATime", "MinutesBetween", "HighConfidence", "TargetUser", "InitiatorUPN",
    "InitiatorIPAddress", "InitiatorAppName", "ResetOperation", "RecoveryKind", "MFAOperation", "MFADetail",
    "MFAOperations", "MFAChangeCount", "ResetSource", "MFASource", "SignInAfterMFA", "SignInIP",
    "SignInBaseline",
}


def conf_path(name):
    return os.path.join(DEFAULT, name + ".conf")
