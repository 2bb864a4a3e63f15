/* SPDX-License-Identifier: MIT */
/*
 * HOST rules about the host's policy and its other hypervisors:
 * SELinux and AppArmor denials of the hypervisors' network programs, and
 * hypervisors that fight over the CPU's virtualization extensions.
 *
 * Severity follows what the denial did.  An SELinux denial blocks only
 * when SELinux enforces and the domain is not permissive (the record's
 * permissive=0): a warning.  Denials logged in permissive mode blocked
 * nothing: info ("would be denied"), unless the configuration says
 * enforcing, when they will block after the next boot: a warning.
 * AppArmor logs DENIED only for what it blocked (complain mode logs
 * ALLOWED): a warning, unless AppArmor is known to be off now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

#define SHOWN_MAX 8

static const char *process_of(const struct vd_denial *d)
{
	const char *slash;

	if (d->comm[0])
		return d->comm;
	slash = strrchr(d->exe, '/');
	if (slash && slash[1])
		return slash + 1;
	return d->exe[0] ? d->exe : "unknown process";
}

/* The first denial of this kind and process before index i, or NULL. */
static bool seen_before(const struct vd_security *s, size_t i, uint8_t kind)
{
	const char *p = process_of(&s->denials[i]);

	for (size_t k = 0; k < i; k++)
		if (s->denials[k].kind == kind &&
		    vd_denial_of_interest(&s->denials[k]) &&
		    strcmp(process_of(&s->denials[k]), p) == 0)
			return true;
	return false;
}

/* Permissions of this process's denials, each once, "a, b". */
static void perms_of(const struct vd_security *s, size_t first, uint8_t kind,
		     char *buf, size_t len)
{
	const char *p = process_of(&s->denials[first]);
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = first; i < s->n_denials; i++) {
		const struct vd_denial *d = &s->denials[i];

		if (d->kind != kind || !d->perm[0] ||
		    strcmp(process_of(d), p) != 0 || !vd_denial_of_interest(d))
			continue;
		if (strstr(buf, d->perm))
			continue;
		used += (size_t)snprintf(buf + used,
					 len > used ? len - used : 0, "%s%s",
					 used ? ", " : "", d->perm);
		if (used >= len)
			break;
	}
}

/* Evidence: the denial lines of one process, SHOWN_MAX of them. */
static size_t denial_lines(const struct vd_security *s, size_t first,
			   uint8_t kind, struct vd_findings *out,
			   struct vd_finding *fd)
{
	const char *p = process_of(&s->denials[first]);
	size_t n = 0;
	char w[512];

	for (size_t i = first; i < s->n_denials; i++) {
		const struct vd_denial *d = &s->denials[i];

		if (d->kind != kind || strcmp(process_of(d), p) != 0 ||
		    !vd_denial_of_interest(d))
			continue;
		if (n++ < SHOWN_MAX)
			vd_finding_evidence(
				out, fd, "%s: %s",
				vd_security_where(s, d->src, w, sizeof(w)),
				d->text ? d->text : "");
	}
	if (n > SHOWN_MAX)
		vd_finding_evidence(out, fd, "... and %zu more", n - SHOWN_MAX);
	if (s->denials_dropped)
		vd_finding_evidence(out, fd,
				    "%zu more denials past the first %d of a "
				    "log were not read",
				    s->denials_dropped, VD_DENIALS_PER_FILE);
	return n;
}

/* ------------------------------------------------------------------ */
/* SELinux */

/* The type of a context "user:role:type:level". */
static void context_type(const char *ctx, char *buf, size_t len)
{
	const char *a = strchr(ctx, ':'), *b = a ? strchr(a + 1, ':') : NULL;
	const char *c = b ? strchr(b + 1, ':') : NULL;

	if (!b)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "%.*s",
			 (int)(c ? c - b - 1 : (long)strlen(b + 1)), b + 1);
}

/* Types that a file gets when it was copied or created outside the
 * policy's paths: restorecon fixes them without a new policy. */
static bool mislabelled(const char *type)
{
	static const char *const types[] = { "unlabeled_t", "default_t",
					     "user_home_t", "tmp_t",
					     "user_tmp_t",  "file_t" };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}

void rule_selinux_denials(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_security *s = &c->facts->security;
	const char *mode = vd_selinux_mode_name(s->selinux);

	if (s->selinux == VD_SELINUX_DISABLED)
		return; /* old denials from before: nothing blocks now */
	for (size_t i = 0; i < s->n_denials; i++) {
		const struct vd_denial *d = &s->denials[i];
		const char *proc = process_of(d);
		bool blocked = false, labels = false;
		enum vd_severity sev;
		struct vd_finding *fd;
		char perms[128], type[64];
		size_t n;

		if (d->kind != VD_DENIAL_SELINUX || !vd_denial_of_interest(d) ||
		    seen_before(s, i, VD_DENIAL_SELINUX))
			continue;
		for (size_t k = i; k < s->n_denials; k++) {
			const struct vd_denial *e = &s->denials[k];

			if (e->kind != VD_DENIAL_SELINUX ||
			    strcmp(process_of(e), proc) != 0 ||
			    !vd_denial_of_interest(e))
				continue;
			blocked |= e->permissive != VD_YES;
			context_type(e->tcontext, type, sizeof(type));
			labels |= e->target[0] == '/' && mislabelled(type);
		}
		if (s->selinux == VD_SELINUX_ENFORCING)
			sev = blocked ? VD_SEV_WARNING : VD_SEV_INFO;
		else if (s->selinux == VD_SELINUX_PERMISSIVE)
			sev = s->selinux_config == VD_SELINUX_ENFORCING
				      ? VD_SEV_WARNING
				      : VD_SEV_INFO;
		else if (d->permissive == VD_NO || blocked)
			sev = VD_SEV_WARNING; /* the record says it blocked */
		else
			continue;
		perms_of(s, i, VD_DENIAL_SELINUX, perms, sizeof(perms));
		if (sev == VD_SEV_INFO)
			fd = vd_finding_add(out, "HOST.selinux-denials", proc,
					    "SELinux logged denials of %s (%s) "
					    "that it did not enforce",
					    proc, perms);
		else
			fd = vd_finding_add(out, "HOST.selinux-denials", proc,
					    "SELinux denies %s: %s", proc,
					    perms);
		if (!fd)
			continue;
		fd->severity = sev;
		if (s->selinux)
			vd_finding_evidence(out, fd, "SELinux is %s (%s)", mode,
					    s->selinux_src);
		if (s->selinux == VD_SELINUX_PERMISSIVE && s->selinux_config)
			vd_finding_evidence(
				out, fd, "configured: SELINUX=%s (%s)%s",
				vd_selinux_mode_name(s->selinux_config),
				s->selinux_config_src,
				s->selinux_config == VD_SELINUX_ENFORCING
					? ": these denials will block after "
					  "the next boot"
					: "");
		n = denial_lines(s, i, VD_DENIAL_SELINUX, out, fd);
		(void)n;
		if (labels)
			vd_finding_remedy(
				out, fd,
				"the target is mislabelled (%s): "
				"restore its label with restorecon "
				"-v %s",
				type, d->target[0] == '/' ? d->target : "PATH");
		vd_finding_remedy(out, fd,
				  "see whether a boolean allows it: ausearch "
				  "-m avc -c %s | audit2why (then setsebool "
				  "-P BOOLEAN on)",
				  proc);
		vd_finding_remedy(out, fd,
				  "else allow exactly these denials: ausearch "
				  "-m avc -c %s | audit2allow -M vmnet-local, "
				  "read vmnet-local.te, then semodule -i "
				  "vmnet-local.pp",
				  proc);
		vd_finding_remedy(out, fd,
				  "do not disable SELinux or leave it "
				  "permissive for this");
	}
}

/* ------------------------------------------------------------------ */
/* AppArmor */

static const struct vd_aa_profile *aa_profile(const struct vd_security *s,
					      const char *name)
{
	for (size_t i = 0; i < s->n_aa_profiles; i++)
		if (strcmp(s->aa_profiles[i].name, name) == 0)
			return &s->aa_profiles[i];
	return NULL;
}

/* The file under /etc/apparmor.d/ that defines profile (its local
 * override has the same name under local/); "" when not known. */
static void aa_file(const char *profile, char *buf, size_t len)
{
	static const struct {
		const char *profile, *file;
	} known[] = {
		{ "libvirtd", "usr.sbin.libvirtd" },
		{ "dnsmasq", "usr.sbin.dnsmasq" },
		{ "virt-aa-helper", "usr.lib.libvirt.virt-aa-helper" },
	};
	size_t o = 0;

	buf[0] = '\0';
	if (strncmp(profile, "libvirt-", 8) == 0) {
		/* per-VM profiles include abstractions/libvirt-qemu */
		snprintf(buf, len, "%s", "abstractions/libvirt-qemu");
		return;
	}
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(profile, known[i].profile) == 0) {
			snprintf(buf, len, "%s", known[i].file);
			return;
		}
	if (profile[0] != '/')
		return;
	/* "/usr/sbin/vmnet-dhcpd" -> "usr.sbin.vmnet-dhcpd" */
	for (const char *p = profile + 1; *p && o + 1 < len; p++)
		buf[o++] = *p == '/' ? '.' : *p;
	buf[o] = '\0';
}

/* The rule that allows what d was denied, or "". */
static void aa_rule(const struct vd_denial *d, char *buf, size_t len)
{
	buf[0] = '\0';
	if (d->target[0] == '/' && d->tcontext[0])
		snprintf(buf, len, "\"%s\" %s,", d->target, d->tcontext);
	else if (strncmp(d->target, "capability ", 11) == 0)
		snprintf(buf, len, "%s,", d->target);
	else if (strcmp(d->tclass, "net") == 0 && d->target[0])
		snprintf(buf, len, "network %s,", d->target);
}

/* Does an earlier denial of proc, from first up to k, want the same rule? */
static bool seen_rule(const struct vd_security *s, size_t first, size_t k,
		      const char *proc)
{
	char a[400], b[400];

	aa_rule(&s->denials[k], a, sizeof(a));
	for (size_t j = first; j < k; j++) {
		const struct vd_denial *e = &s->denials[j];

		if (e->kind != VD_DENIAL_APPARMOR ||
		    strcmp(process_of(e), proc) != 0 ||
		    !vd_denial_of_interest(e))
			continue;
		aa_rule(e, b, sizeof(b));
		if (strcmp(a, b) == 0)
			return true;
	}
	return false;
}

void rule_apparmor_denials(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_security *s = &c->facts->security;

	if (s->apparmor == VD_NO)
		return;
	for (size_t i = 0; i < s->n_denials; i++) {
		const struct vd_denial *d = &s->denials[i];
		const char *proc = process_of(d);
		const struct vd_aa_profile *p;
		struct vd_finding *fd;
		char perms[128], file[256], rule[400], w[512];

		if (d->kind != VD_DENIAL_APPARMOR ||
		    !vd_denial_of_interest(d) ||
		    seen_before(s, i, VD_DENIAL_APPARMOR))
			continue;
		perms_of(s, i, VD_DENIAL_APPARMOR, perms, sizeof(perms));
		fd = vd_finding_add(out, "HOST.apparmor-denials", proc,
				    "AppArmor denies %s: %s%s%s%s", proc, perms,
				    d->context[0] ? " (profile " : "",
				    d->context[0] ? d->context : "",
				    d->context[0] ? ")" : "");
		if (!fd)
			continue;
		p = d->context[0] ? aa_profile(s, d->context) : NULL;
		if (p)
			vd_finding_evidence(
				out, fd, "profile %s (%s) is loaded: %s",
				p->name,
				vd_aa_mode_name(p->mode)
					? vd_aa_mode_name(p->mode)
					: "unknown mode",
				vd_security_where(s, p->src, w, sizeof(w)));
		denial_lines(s, i, VD_DENIAL_APPARMOR, out, fd);
		aa_file(d->context, file, sizeof(file));
		for (size_t k = i; k < s->n_denials; k++) {
			const struct vd_denial *e = &s->denials[k];

			if (e->kind != VD_DENIAL_APPARMOR ||
			    strcmp(process_of(e), proc) != 0 ||
			    !vd_denial_of_interest(e))
				continue;
			aa_rule(e, rule, sizeof(rule));
			if (rule[0] && !seen_rule(s, i, k, proc))
				vd_finding_remedy(
					out, fd,
					"allow it in the profile's "
					"local override, "
					"/etc/apparmor.d/local/%s: "
					"%s",
					file[0] ? file : "PROFILE-FILE", rule);
		}
		if (file[0]) {
			char prof[300];

			/* per-VM profiles live in libvirt/, by name */
			snprintf(prof, sizeof(prof), "%s%s",
				 strncmp(file, "abstractions/", 13)
					 ? ""
					 : "libvirt/",
				 strncmp(file, "abstractions/", 13)
					 ? file
					 : d->context);
			vd_finding_remedy(out, fd,
					  "reload the profile: apparmor_parser "
					  "-r /etc/apparmor.d/%s",
					  prof);
			vd_finding_remedy(out, fd,
					  "to test first: aa-complain "
					  "/etc/apparmor.d/%s (logs instead of "
					  "blocking), aa-enforce once it works",
					  prof);
		} else {
			vd_finding_remedy(
				out, fd,
				"find the profile's file: grep -l "
				"'profile %s' /etc/apparmor.d/*; edit "
				"its local override, then apparmor_"
				"parser -r FILE",
				d->context[0] ? d->context : proc);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Hypervisors side by side */

/*
 * Only one hypervisor can be in VMX root operation (AMD-V: have SVM
 * enabled for its guests) on a CPU at a time.  VMware (vmmon), VirtualBox
 * (vboxdrv) and KVM before Linux 6.12 take VT-x/AMD-V only while one of
 * their VMs runs: their modules can stay loaded side by side, and only
 * VMs of two of them running at once fail.  Since Linux 6.12, kvm_intel
 * and kvm_amd take it when they load (kvm.enable_virt_at_load=1 by
 * default): VirtualBox then refuses to start VMs (VERR_VMX_IN_VMX_ROOT_
 * MODE) and VMware's fail to power on, with no KVM VM running.
 */
enum hv { HV_VMWARE, HV_VBOX, HV_KVM, HV_N };

static const char *const hv_names[HV_N] = { "VMware", "VirtualBox", "KVM" };

struct hv_state {
	const char *module; /* the module that holds VT-x/AMD-V, or NULL */
	const struct vd_process *vm; /* a process running a VM, or NULL */
};

static const struct vd_process *vm_process(const struct vd_facts *f, enum hv h)
{
	for (size_t i = 0; i < f->n_procs; i++) {
		const char *n = f->procs[i].comm;

		if ((h == HV_VMWARE && strcmp(n, "vmware-vmx") == 0) ||
		    (h == HV_VBOX && (strcmp(n, "VBoxHeadless") == 0 ||
				      strcmp(n, "VirtualBoxVM") == 0)) ||
		    (h == HV_KVM && (strncmp(n, "qemu-system-", 12) == 0 ||
				     strcmp(n, "qemu-kvm") == 0)))
			return &f->procs[i];
	}
	return NULL;
}

/* Is the running kernel 6.12 or later?  -1 when the release is not
 * "MAJOR.MINOR...". */
static int kernel_takes_vmx(const char *release)
{
	char *end;
	long major = strtol(release, &end, 10), minor;

	if (end == release || *end != '.')
		return -1;
	minor = strtol(end + 1, &end, 10);
	return major > 6 || (major == 6 && minor >= 12);
}

static void hv_pair(const struct vd_rule_ctx *c, struct vd_findings *out,
		    const struct hv_state *st, enum hv a, enum hv b)
{
	const struct vd_facts *f = c->facts;
	const struct vd_security *s = &f->security;
	const char *kvm = st[HV_KVM].module;
	enum vd_severity sev = VD_SEV_INFO;
	struct vd_finding *fd;
	int at_load = -1;
	bool both_run = st[a].vm && st[b].vm;

	if (b == HV_KVM) {
		at_load = s->kvm_virt_at_load == VD_YES ? 1
			  : s->kvm_virt_at_load == VD_NO
				  ? 0
				  : kernel_takes_vmx(f->host.kernel);
	}
	if (both_run || (at_load == 1 && s->kvm_virt_at_load == VD_YES))
		sev = VD_SEV_CRITICAL;
	else if (at_load == 1)
		sev = VD_SEV_WARNING; /* 6.12+, the parameter not read */
	if (sev == VD_SEV_INFO)
		fd = vd_finding_add(out, "HOST.hyperv-conflict", st[b].module,
				    "%s (%s) is loaded beside %s (%s): fine "
				    "while only one of them runs VMs",
				    hv_names[b], st[b].module, hv_names[a],
				    st[a].module);
	else if (both_run)
		fd = vd_finding_add(out, "HOST.hyperv-conflict", st[b].module,
				    "%s and %s VMs run at the same time: only "
				    "one can hold VT-x/AMD-V",
				    hv_names[a], hv_names[b]);
	else
		fd = vd_finding_add(out, "HOST.hyperv-conflict", kvm,
				    "%s holds VT-x/AMD-V since it loaded: %s "
				    "cannot start VMs",
				    kvm, hv_names[a]);
	if (!fd)
		return;
	fd->severity = sev;
	vd_finding_evidence(out, fd, "loaded modules: %s (%s), %s (%s)",
			    st[a].module, hv_names[a], st[b].module,
			    hv_names[b]);
	for (int h = 0; h < HV_N; h++)
		if (((enum hv)h == a || (enum hv)h == b) && st[h].vm)
			vd_finding_evidence(
				out, fd, "a %s VM runs: process %d %s",
				hv_names[h], st[h].vm->pid, st[h].vm->comm);
	if (b == HV_KVM && s->kvm_virt_at_load != VD_UNKNOWN)
		vd_finding_evidence(out, fd,
				    "/sys/module/kvm/parameters/"
				    "enable_virt_at_load: %s",
				    s->kvm_virt_at_load == VD_YES ? "Y" : "N");
	else if (b == HV_KVM && at_load == 1)
		vd_finding_evidence(out, fd,
				    "kernel %s: since Linux 6.12 kvm takes "
				    "VT-x/AMD-V when %s loads, unless "
				    "kvm.enable_virt_at_load=0",
				    f->host.kernel, kvm);
	if (sev == VD_SEV_INFO) {
		vd_finding_remedy(out, fd,
				  "nothing to do; run VMs of one hypervisor "
				  "at a time (each takes VT-x/AMD-V while its "
				  "VMs run)");
		return;
	}
	if (b == HV_KVM && !both_run) {
		vd_finding_remedy(
			out, fd,
			"let KVM take VT-x/AMD-V only while its VMs "
			"run: echo 'options kvm enable_virt_at_load=0' "
			"> /etc/modprobe.d/kvm-late.conf, then "
			"modprobe -r %s kvm && modprobe %s (or "
			"kvm.enable_virt_at_load=0 on the kernel "
			"command line)",
			kvm, kvm);
		vd_finding_remedy(out, fd,
				  "or, without KVM VMs: modprobe -r %s kvm, "
				  "and blacklist %s in /etc/modprobe.d/",
				  kvm, kvm);
		return;
	}
	vd_finding_remedy(out, fd,
			  "shut down the %s VMs (or the %s ones): one "
			  "hypervisor's VMs at a time",
			  hv_names[b], hv_names[a]);
}

/* Windows: Hyper-V on (hypervisorlaunchtype auto) beside VMware. */
static void hyperv_windows(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	const struct vd_security *s = &f->security;
	const char *ver = f->vmware.product_version;
	long major = -1, minor = 0, patch = 0;
	enum vd_severity sev;
	struct vd_finding *fd;

	if (s->hv_launch != VD_HVLAUNCH_AUTO ||
	    (f->vmware.present != VD_YES && !ver[0]))
		return;
	if (ver[0])
		(void)sscanf(ver, "%ld.%ld.%ld", &major, &minor, &patch);
	if (major < 0)
		sev = VD_SEV_WARNING;
	else if (major < 15 ||
		 (major == 15 && (minor < 5 || (minor == 5 && patch < 5))))
		sev = VD_SEV_CRITICAL;
	else
		sev = VD_SEV_INFO;
	if (sev == VD_SEV_CRITICAL)
		fd = vd_finding_add(out, "HOST.hyperv-conflict", "Hyper-V",
				    "Hyper-V is on and VMware %s cannot run "
				    "VMs beside it (15.5.5 and later can)",
				    ver);
	else if (sev == VD_SEV_INFO)
		fd = vd_finding_add(out, "HOST.hyperv-conflict", "Hyper-V",
				    "Hyper-V is on: VMware %s runs its VMs on "
				    "the Windows Hypervisor Platform (slower)",
				    ver);
	else
		fd = vd_finding_add(out, "HOST.hyperv-conflict", "Hyper-V",
				    "Hyper-V is on: VMware before 15.5.5 "
				    "cannot run VMs beside it (its version is "
				    "not known)");
	if (!fd)
		return;
	fd->severity = sev;
	vd_finding_evidence(out, fd, "hypervisorlaunchtype Auto%s%s%s",
			    s->hv_launch_src[0] ? " (" : "", s->hv_launch_src,
			    s->hv_launch_src[0] ? ")" : "");
	if (ver[0])
		vd_finding_evidence(out, fd, "VMware product.version %s", ver);
	if (sev == VD_SEV_INFO)
		return;
	vd_finding_remedy(out, fd,
			  "upgrade VMware Workstation to 16.x or later (runs "
			  "on Hyper-V), or turn Hyper-V off: bcdedit /set "
			  "hypervisorlaunchtype off, then reboot");
}

void rule_hyperv_conflict(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	struct hv_state st[HV_N] = { { NULL, NULL } };
	static const char *const mods[HV_N][2] = {
		{ "vmmon", NULL },
		{ "vboxdrv", NULL },
		{ "kvm_intel", "kvm_amd" },
	};

	hyperv_windows(c, out);
	if (f->modules_known != VD_YES)
		return;
	for (int h = 0; h < HV_N; h++) {
		for (int m = 0; m < 2 && mods[h][m] && !st[h].module; m++)
			if (vd_facts_module(f, mods[h][m]))
				st[h].module = mods[h][m];
		if (st[h].module)
			st[h].vm = vm_process(f, (enum hv)h);
	}
	for (int a = 0; a < HV_N; a++)
		for (int b = a + 1; b < HV_N; b++)
			if (st[a].module && st[b].module)
				hv_pair(c, out, st, (enum hv)a, (enum hv)b);
}
