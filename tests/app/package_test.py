#!/usr/bin/env python3
"""The installable package: built by package.sh (twice: byte-identical), laid out as Splunk and
AppInspect require, and its binaries unpacked from the .tgz are fully static, run with an
empty environment, and entra_audit completes a real TLS exchange (token, storage/passwords,
Graph) against the project's fake cloud while LD_LIBRARY_PATH points at a directory holding
deliberately incompatible libssl.so.3 / libcrypto.so.3.

  package_test.py --build-dir DIR      run package.sh into DIR/package-{build,dist} and check
  package_test.py --tgz PACKAGE.tgz    check an existing package (no determinism check)
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import app_paths  # noqa: E402
from splunk_conf import read_conf  # noqa: E402

FAKE_CLOUD = os.path.join(app_paths.REPO, "tests", "support", "fake_cloud.py")
APP_ID = "vishing_detection"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT = "535fb089-9ff3-47b6-9bfb-4f1264799865"
SECRET = "Qw~8Q~package-test-secret"
SESSION_KEY = "sk-package-test"
ARGS = None


def version():
    return read_conf(app_paths.conf_path("app")).stanzas["launcher"]["version"]


def run_package(build_dir, tag):
    env = dict(os.environ, VD_PACKAGE_BUILD_DIR=os.path.join(build_dir, "package-build"),
               VD_DIST_DIR=os.path.join(build_dir, "package-dist-" + tag))
    out = subprocess.run([os.path.join(app_paths.REPO, "package.sh")], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=3000)
    if out.returncode != 0:
        raise AssertionError("package.sh failed (%d):\n%s" % (out.returncode, out.stderr[-4000:]))
    return out.stdout.strip().splitlines()[-1]


def elf_is_static(path):
    """True when the ELF has no PT_INTERP and no PT_DYNAMIC program header."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return False
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    types = [struct.unpack_from("<I", data, phoff + i * phentsize)[0] for i in range(phnum)]
    return 3 not in types and 2 not in types   # PT_INTERP = 3, PT_DYNAMIC = 2


def frame(meta, body=b""):
    m = json.dumps(meta).encode()
    return b"chunked 1.0,%d,%d\n" % (len(m), len(body)) + m + body


class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vd_package_test_")
        if ARGS.tgz:
            cls.tgz = ARGS.tgz
            cls.second = None
        else:
            cls.tgz = run_package(ARGS.build_dir, "a")
            cls.second = run_package(ARGS.build_dir, "b")
        cls.unpacked = os.path.join(cls.tmp, "unpacked")
        with tarfile.open(cls.tgz) as tf:
            cls.members = tf.getmembers()
            tf.extractall(cls.unpacked, filter="tar")
        cls.app = os.path.join(cls.unpacked, APP_ID)
        cls.bin = os.path.join(cls.app, "linux_x86_64", "bin")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_name_and_determinism(self):
        self.assertEqual(os.path.basename(self.tgz), "%s-%s.tgz" % (APP_ID, version()))
        if self.second is None:
            self.skipTest("determinism needs two package.sh runs (--build-dir mode)")
        digest = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
        self.assertEqual(digest(self.tgz), digest(self.second))

    def test_layout_and_modes(self):
        names = [m.name for m in self.members]
        # tar --sort=name orders each directory's entries by name.
        self.assertEqual(names, sorted(names, key=lambda n: n.split("/")), "entries are not sorted")
        self.assertEqual({n.split("/")[0] for n in names}, {APP_ID})
        rel = {n[len(APP_ID) + 1:] for n in names if n != APP_ID}
        top = {r.split("/")[0] for r in rel}
        self.assertTrue(top <= {"default", "metadata", "README", "static", "README.md",
                                "bin", "linux_x86_64"}, top)
        for need in ("default/app.conf", "default/commands.conf", "default/searchbnf.conf",
                     "default/macros.conf", "default/props.conf", "default/transforms.conf",
                     "default/inputs.conf", "default/savedsearches.conf",
                     "default/data/ui/nav/default.xml", "default/data/ui/views/vishing_overview.xml",
                     "default/data/ui/views/vishing_investigation.xml", "metadata/default.meta",
                     "README/inputs.conf.spec", "README.md", "static/appIcon.png",
                     "static/appIcon_2x.png", "default/collections.conf",
                     "linux_x86_64/bin/vishingcorrelate",
                     "linux_x86_64/bin/entra_audit"):
            self.assertIn(need, rel)
        self.assertFalse(any(r.startswith("bin/linux") or r.startswith("local") for r in rel))
        mtimes = set()
        for m in self.members:
            with self.subTest(member=m.name):
                self.assertFalse(any(p.startswith(".") for p in m.name.split("/")), "hidden entry")
                self.assertTrue(m.isdir() or m.isfile(), "links and special files are not allowed")
                self.assertEqual((m.uid, m.gid), (0, 0))
                mtimes.add(m.mtime)
                if m.isdir():
                    self.assertEqual(m.mode & 0o7777, 0o755)
                elif "/linux_x86_64/bin/" in m.name:
                    self.assertEqual(m.mode & 0o7777, 0o755)
                else:
                    self.assertEqual(m.mode & 0o7777, 0o644)
        self.assertEqual(len(mtimes), 1, "one fixed mtime for every entry")

    def test_binaries_are_static_and_stripped(self):
        for name in ("vishingcorrelate", "entra_audit"):
            path = os.path.join(self.bin, name)
            with self.subTest(binary=name):
                self.assertTrue(elf_is_static(path))
                if shutil.which("file"):
                    desc = subprocess.run(["file", "-b", path], stdout=subprocess.PIPE, text=True).stdout
                    self.assertIn("statically linked", desc)
                    self.assertIn("stripped", desc)
                    self.assertNotIn("not stripped", desc)

    def test_vishingcorrelate_runs_with_an_empty_environment(self):
        path = os.path.join(self.bin, "vishingcorrelate")
        probe = subprocess.run([path], env={}, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(probe.returncode, 0, probe.stderr)   # splunkd probes with EOF
        getinfo = {"action": "getinfo", "preview": False, "streaming_command_will_restart": False,
                   "searchinfo": {"args": ["mode=bulk"], "raw_args": ["mode=bulk"], "dispatch_dir": self.tmp,
                                  "command": "vishingcorrelate", "app": APP_ID, "earliest_time": "0",
                                  "latest_time": "0", "maxresultrows": 50000, "sid": "1",
                                  "search": "search * | vishingcorrelate mode=bulk", "splunk_version": "9.2.1",
                                  "session_key": "k", "splunkd_uri": "https://127.0.0.1:8089",
                                  "owner": "admin", "username": "admin"}}
        run = subprocess.run([path], env={}, input=frame(getinfo), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        m = re.match(rb"chunked 1\.0,(\d+),(\d+)\n", run.stdout)
        self.assertIsNotNone(m, run.stdout[:200])
        meta = json.loads(run.stdout[m.end():m.end() + int(m.group(1))])
        self.assertEqual(meta.get("type"), "reporting")
        self.assertIn("phase=map", meta.get("streaming_preop", ""))

    def test_entra_audit_tls_with_incompatible_ld_library_path(self):
        path = os.path.join(self.bin, "entra_audit")
        scheme = subprocess.run([path, "--scheme"], env={}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, timeout=60)
        self.assertEqual(scheme.returncode, 0, scheme.stderr)
        self.assertIn("<scheme>", scheme.stdout)
        self.assertIn('<arg name="tenant_id">', scheme.stdout)

        if not shutil.which("openssl"):
            self.fail("the openssl CLI is needed to generate the test certificates")
        certs = os.path.join(self.tmp, "certs")
        subprocess.run([sys.executable, FAKE_CLOUD, "gen-certs", certs], check=True, timeout=120)

        # Libraries a dynamically linked binary would load instead of the system's: with a
        # compiler at hand, real shared objects with the right sonames whose constructor kills
        # the process; otherwise files that are not ELF at all.
        badlib = os.path.join(self.tmp, "badlib")
        os.makedirs(badlib)
        cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
        for so in ("libssl.so.3", "libcrypto.so.3"):
            target = os.path.join(badlib, so)
            if cc:
                src = os.path.join(self.tmp, "bad.c")
                with open(src, "w") as f:
                    f.write('#include <stdlib.h>\n__attribute__((constructor)) static void f(void) { abort(); }\n'
                            'int OPENSSL_init_ssl(void) { abort(); }\n')
                subprocess.run([cc, "-shared", "-fPIC", "-Wl,-soname," + so, "-o", target, src], check=True)
            else:
                with open(target, "wb") as f:
                    f.write(b"not a library\n")

        splunk_home = os.path.join(self.tmp, "splunk")
        os.makedirs(os.path.join(splunk_home, "etc", "auth"))
        shutil.copy(os.path.join(certs, "ca.pem"), os.path.join(splunk_home, "etc", "auth", "cacert.pem"))
        ckpt = os.path.join(self.tmp, "ckpt")
        os.makedirs(ckpt)

        server = subprocess.Popen([sys.executable, FAKE_CLOUD, "serve", "--cert", os.path.join(certs, "server.pem"),
                                   "--key", os.path.join(certs, "server.key")],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            ready = server.stdout.readline()
            m = re.match(r"ready port=(\d+)", ready)
            self.assertIsNotNone(m, ready)
            base = "https://127.0.0.1:%s" % m.group(1)

            def control(cmd):
                server.stdin.write(json.dumps(cmd) + "\n")
                server.stdin.flush()
                reply = json.loads(server.stdout.readline())
                self.assertTrue(reply.get("ok"), reply)
                return reply
            control({"cmd": "config", "session_key": SESSION_KEY, "clients": {CLIENT: SECRET},
                     "passwords": [{"realm": "entra_audit", "username": CLIENT, "password": SECRET,
                                    "app": APP_ID}]})
            import datetime as dt
            when = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
            record = {"id": "pkg-r1", "category": "UserManagement", "correlationId": "c-pkg-r1",
                      "result": "success", "resultReason": "", "activityDisplayName": "Reset user password",
                      "activityDateTime": when, "loggedByService": "Core Directory", "operationType": "Update",
                      "initiatedBy": {"app": None, "user": {"id": "u1", "displayName": "Help Desk",
                                                            "userPrincipalName": "helpdesk@contoso.com",
                                                            "ipAddress": "10.0.0.1"}},
                      "targetResources": [{"id": "t1", "displayName": "Victim", "type": "User",
                                           "userPrincipalName": "victim@contoso.com", "modifiedProperties": []}],
                      "additionalDetails": []}
            control({"cmd": "records", "log": "audit", "records": [record]})
            start = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2)).strftime("%Y-%m-%d")
            params = {"tenant_id": TENANT, "client_id": CLIENT, "graph_url": base, "authority_url": base,
                      "ca_file": os.path.join(certs, "ca.pem"), "start_date": start, "index": "main",
                      "interval": "300", "disabled": "0"}
            xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<input>\n  <server_host>hf1</server_host>\n'
                   '  <server_uri>%s</server_uri>\n  <session_key>%s</session_key>\n'
                   '  <checkpoint_dir>%s</checkpoint_dir>\n  <configuration>\n'
                   '    <stanza name="entra_audit://pkg" app="%s">\n%s    </stanza>\n  </configuration>\n</input>\n'
                   % (base, SESSION_KEY, ckpt, APP_ID,
                      "".join('      <param name="%s">%s</param>\n' % kv for kv in sorted(params.items()))))
            env = {"SPLUNK_HOME": splunk_home, "LD_LIBRARY_PATH": badlib}
            run = subprocess.run([path], env=env, input=xml, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, timeout=300)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("<stream>", run.stdout)
            self.assertIn("pkg-r1", run.stdout)
            self.assertIn("ms:entra:audit", run.stdout)
            self.assertNotIn(SECRET, run.stdout + run.stderr)
            self.assertEqual(control({"cmd": "stat", "key": "tokens_issued"})["value"], 1)
        finally:
            server.stdin.close()
            server.wait(timeout=30)
            server.stdout.close()

    def test_entra_audit_resolves_a_host_name(self):
        """The static binary resolves names: glibc's getaddrinfo goes through NSS, whose files
        and dns services are part of libc itself since 2.34, so "localhost" comes from
        /etc/hosts with no libnss_*.so to load. splunkd, the authority and Graph are all
        addressed as https://localhost:<port> (the test certificate names DNS:localhost)."""
        path = os.path.join(self.bin, "entra_audit")
        if not shutil.which("openssl"):
            self.fail("the openssl CLI is needed to generate the test certificates")
        work = tempfile.mkdtemp(prefix="resolve_", dir=self.tmp)
        certs = os.path.join(work, "certs")
        subprocess.run([sys.executable, FAKE_CLOUD, "gen-certs", certs], check=True, timeout=120)
        san = subprocess.run(["openssl", "x509", "-in", os.path.join(certs, "server.pem"), "-noout", "-text"],
                             stdout=subprocess.PIPE, text=True, check=True).stdout
        self.assertIn("DNS:localhost", san, "the fake cloud's server certificate must name localhost")

        splunk_home = os.path.join(work, "splunk")
        os.makedirs(os.path.join(splunk_home, "etc", "auth"))
        shutil.copy(os.path.join(certs, "ca.pem"), os.path.join(splunk_home, "etc", "auth", "cacert.pem"))
        ckpt = os.path.join(work, "ckpt")
        os.makedirs(ckpt)
        server = subprocess.Popen([sys.executable, FAKE_CLOUD, "serve", "--cert", os.path.join(certs, "server.pem"),
                                   "--key", os.path.join(certs, "server.key")],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            ready = server.stdout.readline()
            m = re.match(r"ready port=(\d+)", ready)
            self.assertIsNotNone(m, ready)
            base = "https://localhost:%s" % m.group(1)

            def control(cmd):
                server.stdin.write(json.dumps(cmd) + "\n")
                server.stdin.flush()
                reply = json.loads(server.stdout.readline())
                self.assertTrue(reply.get("ok"), reply)
                return reply
            control({"cmd": "config", "session_key": SESSION_KEY, "clients": {CLIENT: SECRET},
                     "passwords": [{"realm": "entra_audit", "username": CLIENT, "password": SECRET,
                                    "app": APP_ID}]})
            import datetime as dt
            now = dt.datetime.now(dt.timezone.utc)
            record = {"id": "resolve-r1", "category": "UserManagement", "correlationId": "c-resolve-r1",
                      "result": "success", "resultReason": "", "activityDisplayName": "Reset user password",
                      "activityDateTime": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.0000000Z"),
                      "loggedByService": "Core Directory", "operationType": "Update",
                      "initiatedBy": {"user": {"id": "u1", "userPrincipalName": "helpdesk@contoso.com",
                                               "ipAddress": "10.0.0.1"}},
                      "targetResources": [{"id": "t1", "type": "User", "userPrincipalName": "victim@contoso.com",
                                           "modifiedProperties": []}],
                      "additionalDetails": []}
            control({"cmd": "records", "log": "audit", "records": [record]})
            params = {"tenant_id": TENANT, "client_id": CLIENT, "graph_url": base, "authority_url": base,
                      "ca_file": os.path.join(certs, "ca.pem"),
                      "start_date": (now - dt.timedelta(days=2)).strftime("%Y-%m-%d"), "index": "main",
                      "interval": "300", "disabled": "0"}
            xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<input>\n  <server_host>hf1</server_host>\n'
                   '  <server_uri>%s</server_uri>\n  <session_key>%s</session_key>\n'
                   '  <checkpoint_dir>%s</checkpoint_dir>\n  <configuration>\n'
                   '    <stanza name="entra_audit://resolve" app="%s">\n%s    </stanza>\n  </configuration>\n'
                   '</input>\n'
                   % (base, SESSION_KEY, ckpt, APP_ID,
                      "".join('      <param name="%s">%s</param>\n' % kv for kv in sorted(params.items()))))
            # Nothing but SPLUNK_HOME (splunkd always sets it; it locates splunkd's CA).
            run = subprocess.run([path], env={"SPLUNK_HOME": splunk_home}, input=xml, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, timeout=300)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertNotIn("cannot resolve", run.stderr)
            self.assertIn("poll done: events_written=1 ", run.stderr)
            self.assertIn("resolve-r1", run.stdout)
            self.assertEqual(control({"cmd": "stat", "key": "tokens_issued"})["value"], 1)
            # Every request (splunkd, authority, Graph) was addressed to the name, not an address.
            requests = control({"cmd": "requests"})["requests"]
            routes = {r["path"].split("/")[1] for r in requests}
            self.assertTrue({"servicesNS", "v1.0"} <= routes, routes)
            self.assertTrue(any(r["path"].endswith("/oauth2/v2.0/token") for r in requests), routes)
            for r in requests:
                self.assertEqual(r["headers"].get("host"), "localhost:%s" % m.group(1), r["path"])

            # This host has glibc's libnss_*.so, so a binary that needed them would pass the
            # run above too; a trace of a second poll shows the name read from /etc/hosts and
            # no shared object opened at all.
            strace = shutil.which("strace")
            if strace:
                trace = os.path.join(work, "trace")
                traced = subprocess.run([strace, "-f", "-qq", "-e", "trace=open,openat", "-o", trace, path],
                                        env={"SPLUNK_HOME": splunk_home}, input=xml, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, timeout=300)
                if traced.returncode == 0 or os.path.getsize(trace) > 0:
                    self.assertEqual(traced.returncode, 0, traced.stderr)
                    with open(trace) as f:
                        opened = [line for line in f if "= -1" not in line]
                    self.assertTrue(any('"/etc/hosts"' in line for line in opened), "".join(opened))
                    self.assertEqual([line for line in opened if re.search(r'\.so[."]', line)], [])
        finally:
            server.stdin.close()
            server.wait(timeout=30)
            server.stdout.close()


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--build-dir")
    g.add_argument("--tgz")
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
