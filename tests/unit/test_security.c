/* SPDX-License-Identifier: MIT */
/* Unit tests of the security modules' parsers (collect/security/), the
 * "security" snapshot object and the HOST policy rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/security/parse.h"
#include "facts/facts.h"
#include "facts/snapshot.h"
#include "rules/rules.h"

#define B(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

/* As auditd writes them (RHEL 9, Fedora 40), one record a line. */
static const char audit_log[] =
	"type=SYSCALL msg=audit(1764320402.512:3107): arch=c000003e "
	"syscall=49 success=no exit=-13 a0=5 a1=7ffd1b2c3d40 a2=10 a3=0 "
	"items=0 ppid=1 pid=2345 auid=4294967295 uid=0 gid=0 euid=0 "
	"comm=\"vmnet-natd\" exe=\"/usr/bin/vmnet-natd\" "
	"subj=system_u:system_r:unconfined_service_t:s0 key=(null)\n"
	"type=AVC msg=audit(1764320402.512:3107): avc:  denied  { name_bind } "
	"for  pid=2345 comm=\"vmnet-natd\" src=8080 "
	"scontext=system_u:system_r:unconfined_service_t:s0 "
	"tcontext=system_u:object_r:http_cache_port_t:s0 tclass=tcp_socket "
	"permissive=0\n"
	"type=AVC msg=audit(1764320403.100:3110): avc:  denied  { read write "
	"} for  pid=3456 comm=\"vmware-vmx\" name=\"vmnet8\" dev=\"devtmpfs\" "
	"ino=1234 scontext=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0."
	"c1023 tcontext=system_u:object_r:device_t:s0 tclass=chr_file "
	"permissive=1\n"
	"type=AVC msg=audit(1764320404.000:3111): avc:  denied  { getattr } "
	"for  pid=999 comm=\"httpd\" path=\"/var/www/html\" dev=\"sda1\" "
	"ino=1 scontext=system_u:system_r:httpd_t:s0 "
	"tcontext=system_u:object_r:user_home_t:s0 tclass=dir permissive=0\n"
	"type=AVC msg=audit(1764320405.000:3112): avc:  granted  { setenforce "
	"} for  pid=1 comm=\"vmware-vmx\" scontext=a:b:c:s0 tcontext=a:b:c:s0 "
	"tclass=security\n"
	"type=AVC msg=audit(1764320406.000:3113): apparmor=\"DENIED\" "
	"operation=\"open\" class=\"file\" profile=\"libvirtd\" "
	"name=\"/dev/vmnet8\" pid=1234 comm=\"libvirtd\" requested_mask=\"wr\" "
	"denied_mask=\"wr\" fsuid=0 ouid=0\n"
	/* comm with a blank: audit writes it as hex ("qemu kvm") */
	"type=AVC msg=audit(1764320407.000:3114): avc:  denied  { open } for  "
	"pid=4242 comm=71656D75206B766D path=\"/dev/vmmon\" dev=\"devtmpfs\" "
	"ino=9 scontext=system_u:system_r:svirt_t:s0:c1,c2 "
	"tcontext=system_u:object_r:device_t:s0 tclass=chr_file "
	"permissive=0\n";

/* Ubuntu's kern.log (rsyslog) and a journal export line. */
static const char kern_log[] =
	"Nov 28 10:00:01 host kernel: [  812.104223] audit: type=1400 "
	"audit(1764320401.104:58): apparmor=\"DENIED\" operation=\"create\" "
	"class=\"net\" profile=\"/usr/sbin/libvirtd\" pid=1201 "
	"comm=\"libvirtd\" family=\"inet\" sock_type=\"raw\" protocol=1 "
	"requested_mask=\"create\" denied_mask=\"create\"\n"
	"Nov 28 10:00:02 host kernel: [  813.000001] audit: type=1400 "
	"audit(1764320402.000:59): apparmor=\"ALLOWED\" operation=\"open\" "
	"class=\"file\" profile=\"/usr/sbin/libvirtd\" name=\"/etc/x\" "
	"pid=1201 comm=\"libvirtd\" requested_mask=\"r\" denied_mask=\"r\"\n"
	"Nov 28 10:00:03 host kernel: audit: type=1400 "
	"audit(1764320403.000:60): apparmor=\"DENIED\" operation=\"capable\" "
	"class=\"cap\" "
	"profile=\"libvirt-2c8b6a8e-1111-2222-3333-444455556666\" "
	"pid=3001 comm=\"qemu-system-x86\" capability=12 "
	"capname=\"net_admin\"\n"
	"Nov 28 10:00:04 host kernel: audit: type=1400 "
	"audit(1764320404.000:61): apparmor=\"DENIED\" operation=\"open\" "
	"class=\"file\" profile=\"snap.firefox.firefox\" name=\"/proc/1/"
	"maps\" pid=77 comm=\"firefox\" requested_mask=\"r\" "
	"denied_mask=\"r\"\n"
	"Nov 28 10:00:05 host dnsmasq[900]: started, version 2.90\n";

static void test_audit_log(void **state)
{
	struct vd_security s;
	char err[128] = "";
	const struct vd_denial *d;

	(void)state;
	vd_security_init(&s);
	assert_int_equal(vd_parse_denials(B(audit_log),
					  "/var/log/audit/audit.log", &s, err,
					  sizeof(err)),
			 0);
	/* httpd is not of interest; granted is no denial */
	assert_int_equal(s.n_denials, 4);
	d = &s.denials[0];
	assert_int_equal(d->kind, VD_DENIAL_SELINUX);
	assert_string_equal(d->comm, "vmnet-natd");
	assert_int_equal(d->pid, 2345);
	assert_string_equal(d->perm, "name_bind");
	assert_string_equal(d->tclass, "tcp_socket");
	assert_string_equal(d->target, "port 8080");
	assert_string_equal(d->context,
			    "system_u:system_r:unconfined_service_t:s0");
	assert_string_equal(d->tcontext,
			    "system_u:object_r:http_cache_port_t:s0");
	assert_int_equal(d->permissive, VD_NO);
	assert_int_equal(d->src.line, 2);
	assert_string_equal(s.files[d->src.file], "/var/log/audit/audit.log");
	assert_non_null(strstr(d->text, "avc:  denied  { name_bind }"));
	d = &s.denials[1];
	assert_string_equal(d->perm, "read write");
	assert_string_equal(d->target, "vmnet8");
	assert_int_equal(d->permissive, VD_YES);
	assert_int_equal(d->src.line, 3);
	d = &s.denials[2];
	assert_int_equal(d->kind, VD_DENIAL_APPARMOR);
	assert_string_equal(d->perm, "open");
	assert_string_equal(d->context, "libvirtd");
	assert_string_equal(d->target, "/dev/vmnet8");
	assert_string_equal(d->tcontext, "wr");
	assert_string_equal(d->tclass, "file");
	d = &s.denials[3];
	assert_string_equal(d->comm, "qemu kvm"); /* hex decoded */
	assert_string_equal(d->target, "/dev/vmmon");
	vd_security_free(&s);
}

static void test_kern_log(void **state)
{
	struct vd_security s;
	char err[128] = "";

	(void)state;
	vd_security_init(&s);
	assert_int_equal(vd_parse_denials(B(kern_log), "/var/log/kern.log", &s,
					  err, sizeof(err)),
			 0);
	/* ALLOWED is complain mode; firefox is not of interest */
	assert_int_equal(s.n_denials, 2);
	assert_string_equal(s.denials[0].comm, "libvirtd");
	assert_string_equal(s.denials[0].perm, "create");
	assert_string_equal(s.denials[0].tclass, "net");
	assert_string_equal(s.denials[0].target, "inet raw");
	assert_string_equal(s.denials[0].context, "/usr/sbin/libvirtd");
	assert_int_equal(s.denials[0].permissive, VD_NO);
	assert_int_equal(s.denials[0].src.line, 1);
	assert_string_equal(s.denials[1].comm, "qemu-system-x86");
	assert_string_equal(s.denials[1].target, "capability net_admin");
	assert_int_equal(s.denials[1].src.line, 3);
	vd_security_free(&s);
}

static void test_hostile(void **state)
{
	static const char *const lines[] = {
		"avc:",
		"avc:  denied",
		"avc:  denied  {",
		"avc:  denied  { open",
		"avc:  denied  } { open",
		"apparmor=\"DENIED\"",
		"apparmor=\"DENIED\" comm=\"vmware-vmx",
		"apparmor=\"DENIED\" comm= name= = == ===\"\"",
		"apparmor=\"DENIED\" comm=ZZ pid=99999999999999999999",
		"apparmor=\"DENIED\" comm=766D776172652D766D78 pid=-1",
		"avc: denied { x } for comm='vmware-vmx' msg='a=b",
	};
	struct vd_security s;
	char err[128];

	(void)state;
	vd_security_init(&s);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_int_equal(vd_parse_denials((const uint8_t *)lines[i],
						  strlen(lines[i]), "x", &s,
						  err, sizeof(err)),
				 0);
	/* a line cut inside a quote still names its process; the
	 * hex-encoded vmware-vmx is decoded; a bad pid is no pid */
	assert_int_equal(s.n_denials, 2);
	assert_string_equal(s.denials[0].comm, "vmware-vmx");
	assert_int_equal(s.denials[0].src.line, 1);
	assert_string_equal(s.denials[1].comm, "vmware-vmx");
	assert_int_equal(s.denials[1].pid, 0);
	/* binary */
	assert_int_equal(vd_parse_denials((const uint8_t *)"a\0b", 3, "bin", &s,
					  err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "NUL"));
	assert_int_equal(
		vd_parse_denials(NULL, 0, "empty", &s, err, sizeof(err)), 0);
	vd_security_free(&s);
}

static void test_cap_and_long_lines(void **state)
{
	size_t one = sizeof("avc:  denied  { open } for comm=\"vmware-vmx\" "
			    "path=\"/dev/vmnet1\"\n") -
		     1;
	size_t n = (VD_DENIALS_PER_FILE + 5) * one + 2000;
	char *buf = malloc(n + 1), *p = buf;
	struct vd_security s;
	char err[64];

	(void)state;
	assert_non_null(buf);
	for (int i = 0; i < VD_DENIALS_PER_FILE + 5; i++)
		p += sprintf(p,
			     "avc:  denied  { open } for comm=\"vmware-vmx\" "
			     "path=\"/dev/vmnet1\"\n");
	p += sprintf(p, "avc:  denied  { open } for comm=\"vmware-vmx\" x=");
	memset(p, 'a', 1500);
	p[1500] = '\0';
	vd_security_init(&s);
	assert_int_equal(vd_parse_denials((uint8_t *)buf, strlen(buf), "big",
					  &s, err, sizeof(err)),
			 0);
	assert_int_equal(s.n_denials, VD_DENIALS_PER_FILE);
	assert_int_equal(s.denials_dropped, 6);
	for (size_t i = 0; i < s.n_denials; i++)
		assert_true(strlen(s.denials[i].text) <= VD_DENIAL_TEXT_MAX);
	vd_security_free(&s);
	free(buf);
}

static void test_selinux_files(void **state)
{
	struct vd_security s;
	char err[128];

	(void)state;
	vd_security_init(&s);
	/* the configured mode stands in until selinuxfs says otherwise */
	assert_int_equal(vd_parse_selinux_config(
				 B("# This file controls the state of SELinux\n"
				   "SELINUX=enforcing\n"
				   "SELINUXTYPE=targeted\n"
				   "SELINUX=permissive # later wins\n"),
				 "/etc/selinux/config", &s, err, sizeof(err)),
			 0);
	assert_int_equal(s.selinux_config, VD_SELINUX_PERMISSIVE);
	assert_string_equal(s.selinux_config_src, "/etc/selinux/config:4");
	assert_int_equal(s.selinux, VD_SELINUX_PERMISSIVE);
	assert_int_equal(vd_parse_selinux_enforce(B("1\n"),
						  "/sys/fs/selinux/enforce", &s,
						  err, sizeof(err)),
			 0);
	assert_int_equal(s.selinux, VD_SELINUX_ENFORCING);
	assert_string_equal(s.selinux_src, "/sys/fs/selinux/enforce");
	assert_int_equal(
		vd_parse_selinux_enforce(B("0"), "e", &s, err, sizeof(err)), 0);
	assert_int_equal(s.selinux, VD_SELINUX_PERMISSIVE);
	assert_int_equal(
		vd_parse_selinux_enforce(B("2\n"), "e", &s, err, sizeof(err)),
		-EINVAL);
	assert_int_equal(
		vd_parse_selinux_enforce(B("1 1"), "e", &s, err, sizeof(err)),
		-EINVAL);
	assert_int_equal(
		vd_parse_selinux_enforce(NULL, 0, "e", &s, err, sizeof(err)),
		-EINVAL);
	assert_int_equal(s.selinux, VD_SELINUX_PERMISSIVE);
	vd_security_free(&s);

	vd_security_init(&s);
	assert_int_equal(vd_parse_selinux_config(B("SELINUX=\"disabled\"\n"),
						 "c", &s, err, sizeof(err)),
			 0);
	assert_int_equal(s.selinux, VD_SELINUX_DISABLED);
	assert_int_equal(vd_parse_selinux_config(B("SELINUX=bogus\n"), "d", &s,
						 err, sizeof(err)),
			 0);
	assert_int_equal(s.selinux_config, VD_SELINUX_DISABLED);
	assert_int_equal(
		vd_parse_selinux_config(B("a\0b"), "d", &s, err, sizeof(err)),
		-EINVAL);
	vd_security_free(&s);
}

static void test_apparmor_profiles(void **state)
{
	struct vd_security s;
	char err[128];

	(void)state;
	vd_security_init(&s);
	assert_int_equal(
		vd_parse_apparmor_profiles(
			B("/usr/sbin/libvirtd (enforce)\n"
			  "libvirt-2c8b6a8e-1111-2222-3333-444455556666 "
			  "(enforce)\n"
			  "/usr/sbin/dnsmasq//libvirt_leaseshelper (complain)\n"
			  "docker-default (enforce)\n"
			  "virt-aa-helper (kill)\n"
			  "nvidia_modprobe//kmod (enforce)\n"),
			"/sys/kernel/security/apparmor/profiles", &s, err,
			sizeof(err)),
		0);
	assert_int_equal(s.apparmor, VD_YES);
	assert_int_equal(s.aa_profiles_total, 6);
	assert_int_equal(s.n_aa_profiles, 3);
	assert_string_equal(s.aa_profiles[0].name, "/usr/sbin/libvirtd");
	assert_int_equal(s.aa_profiles[0].mode, VD_AA_ENFORCE);
	assert_int_equal(s.aa_profiles[1].src.line, 2);
	assert_string_equal(s.aa_profiles[2].name, "virt-aa-helper");
	assert_int_equal(s.aa_profiles[2].mode, VD_AA_KILL);
	/* all or nothing */
	assert_int_equal(vd_parse_apparmor_profiles(
				 B("/usr/bin/vmware-vmx (enforce)\nbroken\n"),
				 "p", &s, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "p:2: not \"name (mode)\"");
	assert_int_equal(s.n_aa_profiles, 3);
	assert_int_equal(s.aa_profiles_total, 6);
	assert_int_equal(vd_parse_apparmor_profiles(B("(x)\n"), "p", &s, err,
						    sizeof(err)),
			 -EINVAL);
	assert_int_equal(vd_parse_apparmor_profiles(B("x ()\n"), "p", &s, err,
						    sizeof(err)),
			 0);
	vd_security_free(&s);
}

static void test_yn(void **state)
{
	int8_t t = VD_UNKNOWN;

	(void)state;
	assert_int_equal(vd_parse_yn(B("Y\n"), &t, NULL, 0), 0);
	assert_int_equal(t, VD_YES);
	assert_int_equal(vd_parse_yn(B("N"), &t, NULL, 0), 0);
	assert_int_equal(t, VD_NO);
	assert_int_equal(vd_parse_yn(B("maybe"), &t, NULL, 0), -EINVAL);
	assert_int_equal(vd_parse_yn(B(""), &t, NULL, 0), -EINVAL);
	assert_int_equal(t, VD_NO);
}

/* collect, write, read: the same model */
static void test_snapshot_roundtrip(void **state)
{
	struct vd_facts *f = vd_facts_new(), *g = NULL;
	char *a = NULL, *b = NULL, err[256] = "";

	(void)state;
	assert_non_null(f);
	assert_int_equal(vd_parse_denials(B(audit_log),
					  "/var/log/audit/audit.log",
					  &f->security, err, sizeof(err)),
			 0);
	assert_int_equal(vd_parse_apparmor_profiles(
				 B("/usr/sbin/libvirtd (enforce)\n"),
				 "/sys/kernel/security/apparmor/profiles",
				 &f->security, err, sizeof(err)),
			 0);
	assert_int_equal(
		vd_parse_selinux_enforce(B("1\n"), "/sys/fs/selinux/enforce",
					 &f->security, err, sizeof(err)),
		0);
	f->security.hv_launch = VD_HVLAUNCH_AUTO;
	f->security.kvm_virt_at_load = VD_NO;
	assert_int_equal(vd_snapshot_dump(f, &a), 0);
	assert_non_null(strstr(a, "\"security\""));
	assert_int_equal(vd_snapshot_parse((uint8_t *)a, strlen(a), &g, err,
					   sizeof(err)),
			 0);
	assert_int_equal(g->security.n_denials, 4);
	assert_int_equal(g->security.selinux, VD_SELINUX_ENFORCING);
	assert_int_equal(g->security.hv_launch, VD_HVLAUNCH_AUTO);
	assert_int_equal(g->security.kvm_virt_at_load, VD_NO);
	assert_string_equal(g->security.denials[3].comm, "qemu kvm");
	assert_int_equal(vd_snapshot_dump(g, &b), 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
	vd_facts_free(g);
	/* an empty model writes no "security" key */
	vd_security_free(&f->security);
	assert_int_equal(vd_snapshot_dump(f, &a), 0);
	assert_null(strstr(a, "\"security\""));
	free(a);
	vd_facts_free(f);
}

static void test_snapshot_rejects(void **state)
{
	static const char *const bad[] = {
		"\"security\": []",
		"\"security\": {\"selinux\": {\"mode\": \"sometimes\"}}",
		"\"security\": {\"denials\": [{\"comm\": \"x\"}]}",
		"\"security\": {\"denials\": [{\"kind\": \"apparmor\", "
		"\"file\": \"/nowhere\"}]}",
		"\"security\": {\"files\": [\"/a\", \"/a\"]}",
		"\"security\": {\"denials_dropped\": -1}",
		"\"security\": {\"apparmor\": {\"profiles\": [{\"mode\": "
		"\"enforce\"}]}}",
		"\"security\": {\"hypervisor_launch_type\": 3}",
	};
	char buf[512], err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vd_facts *f = NULL;

		snprintf(buf, sizeof(buf),
			 "{\"schema\": \"vnetdiag.snapshot/1\", %s}", bad[i]);
		assert_int_equal(vd_snapshot_parse((uint8_t *)buf, strlen(buf),
						   &f, err, sizeof(err)),
				 -EPROTO);
		assert_non_null(strstr(err, "security"));
		assert_null(f);
	}
}

static size_t count(const struct vd_findings *fl, const char *code,
		    enum vd_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < fl->n; i++)
		n += strcmp(fl->v[i].check->code, code) == 0 &&
		     fl->v[i].severity == sev;
	return n;
}

static void run(const struct vd_facts *f, struct vd_findings *fl)
{
	struct vd_rule_opts o = { 0 };

	vd_findings_init(fl);
	assert_int_equal(vd_rules_run(f, &o, fl), 0);
}

static void test_rules_selinux(void **state)
{
	struct vd_facts *f = vd_facts_new();
	struct vd_findings fl;
	char err[128];

	(void)state;
	assert_int_equal(vd_parse_denials(B(audit_log),
					  "/var/log/audit/audit.log",
					  &f->security, err, sizeof(err)),
			 0);
	/* enforcing: vmnet-natd and qemu kvm blocked, vmware-vmx's only
	 * record says permissive=1 (a permissive domain) */
	f->security.selinux = VD_SELINUX_ENFORCING;
	run(f, &fl);
	assert_int_equal(count(&fl, "HOST.selinux-denials", VD_SEV_WARNING), 2);
	assert_int_equal(count(&fl, "HOST.selinux-denials", VD_SEV_INFO), 1);
	assert_int_equal(count(&fl, "HOST.apparmor-denials", VD_SEV_WARNING),
			 1);
	assert_non_null(
		vd_findings_find(&fl, "HOST.selinux-denials", "vmnet-natd"));
	vd_findings_clear(&fl);
	/* permissive, configured permissive: nothing blocked */
	f->security.selinux = VD_SELINUX_PERMISSIVE;
	run(f, &fl);
	assert_int_equal(count(&fl, "HOST.selinux-denials", VD_SEV_WARNING), 0);
	assert_int_equal(count(&fl, "HOST.selinux-denials", VD_SEV_INFO), 3);
	vd_findings_clear(&fl);
	/* permissive now, enforcing after the next boot */
	f->security.selinux_config = VD_SELINUX_ENFORCING;
	run(f, &fl);
	assert_int_equal(count(&fl, "HOST.selinux-denials", VD_SEV_WARNING), 3);
	vd_findings_clear(&fl);
	/* disabled: old denials do not count */
	f->security.selinux = VD_SELINUX_DISABLED;
	f->security.apparmor = VD_NO;
	run(f, &fl);
	assert_null(vd_findings_find(&fl, "HOST.selinux-denials", NULL));
	assert_null(vd_findings_find(&fl, "HOST.apparmor-denials", NULL));
	vd_findings_clear(&fl);
	vd_facts_free(f);
}

static void test_rules_hyperv(void **state)
{
	struct vd_facts *f = vd_facts_new();
	struct vd_findings fl;
	struct vd_module *m;
	struct vd_process *p;

	(void)state;
	f->modules_known = VD_YES;
	snprintf(f->host.kernel, sizeof(f->host.kernel), "6.1.0-13-amd64");
	m = VD_PUSH(f, modules);
	snprintf(m->name, sizeof(m->name), "vmmon");
	m = VD_PUSH(f, modules);
	snprintf(m->name, sizeof(m->name), "kvm_amd");
	/* an old kernel, no VMs: side by side is fine */
	run(f, &fl);
	assert_int_equal(count(&fl, "HOST.hyperv-conflict", VD_SEV_INFO), 1);
	vd_findings_clear(&fl);
	/* 6.12 takes VT-x at load; the parameter says so */
	snprintf(f->host.kernel, sizeof(f->host.kernel), "6.12.1-arch1");
	run(f, &fl);
	assert_int_equal(count(&fl, "HOST.hyperv-conflict", VD_SEV_WARNING), 1);
	vd_findings_clear(&fl);
	f->security.kvm_virt_at_load = VD_YES;
	run(f, &fl);
	assert_int_equal(count(&fl, "HOST.hyperv-conflict", VD_SEV_CRITICAL),
			 1);
	vd_findings_clear(&fl);
	f->security.kvm_virt_at_load = VD_NO;
	run(f, &fl);
	assert_int_equal(count(&fl, "HOST.hyperv-conflict", VD_SEV_INFO), 1);
	vd_findings_clear(&fl);
	/* VMs of both run at once */
	p = VD_PUSH(f, procs);
	p->pid = 10;
	snprintf(p->comm, sizeof(p->comm), "vmware-vmx");
	p = VD_PUSH(f, procs);
	p->pid = 11;
	snprintf(p->comm, sizeof(p->comm), "qemu-system-x86");
	run(f, &fl);
	assert_int_equal(count(&fl, "HOST.hyperv-conflict", VD_SEV_CRITICAL),
			 1);
	vd_findings_clear(&fl);
	/* unknown modules: silent */
	f->modules_known = VD_UNKNOWN;
	run(f, &fl);
	assert_null(vd_findings_find(&fl, "HOST.hyperv-conflict", NULL));
	vd_findings_clear(&fl);
	/* Windows: Hyper-V on, VMware 15.5.1 */
	f->security.hv_launch = VD_HVLAUNCH_AUTO;
	f->vmware.present = VD_YES;
	snprintf(f->vmware.product_version, sizeof(f->vmware.product_version),
		 "15.5.1");
	run(f, &fl);
	assert_int_equal(count(&fl, "HOST.hyperv-conflict", VD_SEV_CRITICAL),
			 1);
	vd_findings_clear(&fl);
	snprintf(f->vmware.product_version, sizeof(f->vmware.product_version),
		 "17.5.0");
	run(f, &fl);
	assert_int_equal(count(&fl, "HOST.hyperv-conflict", VD_SEV_INFO), 1);
	vd_findings_clear(&fl);
	vd_facts_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_audit_log),
		cmocka_unit_test(test_kern_log),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_cap_and_long_lines),
		cmocka_unit_test(test_selinux_files),
		cmocka_unit_test(test_apparmor_profiles),
		cmocka_unit_test(test_yn),
		cmocka_unit_test(test_snapshot_roundtrip),
		cmocka_unit_test(test_snapshot_rejects),
		cmocka_unit_test(test_rules_selinux),
		cmocka_unit_test(test_rules_hyperv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
