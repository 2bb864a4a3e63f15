/* SPDX-License-Identifier: MIT */
#include "facts/security.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/facts.h"

void vd_security_init(struct vd_security *s)
{
	memset(s, 0, sizeof(*s));
	s->apparmor = VD_UNKNOWN;
	s->kvm_virt_at_load = VD_UNKNOWN;
}

void vd_security_free(struct vd_security *s)
{
	struct vd_security_mark zero = { 0 };

	if (!s)
		return;
	vd_security_rollback(s, &zero);
	for (size_t i = 0; i < s->n_files; i++)
		free(s->files[i]);
	free(s->files);
	free(s->aa_profiles);
	free(s->denials);
	vd_security_init(s);
}

bool vd_security_known(const struct vd_security *s)
{
	return s->selinux || s->selinux_config || s->apparmor != VD_UNKNOWN ||
	       s->n_aa_profiles || s->aa_profiles_total || s->n_files ||
	       s->n_denials || s->denials_dropped ||
	       s->kvm_virt_at_load != VD_UNKNOWN || s->hv_launch;
}

int vd_security_file(struct vd_security *s, const char *path)
{
	char **slot;

	for (size_t i = 0; i < s->n_files; i++)
		if (strcmp(s->files[i], path) == 0)
			return (int)i;
	slot = VD_PUSH(s, files);
	if (!slot)
		return -ENOMEM;
	*slot = strdup(path);
	if (!*slot) {
		s->n_files--;
		return -ENOMEM;
	}
	return (int)(s->n_files - 1);
}

const char *vd_security_where(const struct vd_security *s, struct vd_src src,
			      char *buf, size_t len)
{
	if (src.file < 0 || (size_t)src.file >= s->n_files) {
		if (len)
			buf[0] = '\0';
	} else if (src.line) {
		snprintf(buf, len, "%s:%u", s->files[src.file], src.line);
	} else {
		snprintf(buf, len, "%s", s->files[src.file]);
	}
	return buf;
}

void vd_security_mark(const struct vd_security *s, struct vd_security_mark *m)
{
	m->aa_profiles = s->n_aa_profiles;
	m->aa_profiles_total = s->aa_profiles_total;
	m->denials = s->n_denials;
	m->denials_dropped = s->denials_dropped;
}

void vd_security_rollback(struct vd_security *s,
			  const struct vd_security_mark *m)
{
	while (s->n_denials > m->denials)
		free(s->denials[--s->n_denials].text);
	if (s->n_aa_profiles > m->aa_profiles)
		s->n_aa_profiles = m->aa_profiles;
	s->aa_profiles_total = m->aa_profiles_total;
	s->denials_dropped = m->denials_dropped;
}

static const char *const selinux_names[] = { NULL, "disabled", "permissive",
					     "enforcing" };
static const char *const aa_names[] = { NULL,	"enforce",    "complain",
					"kill", "unconfined", "prompt" };
static const char *const kind_names[] = { NULL, "selinux-avc", "apparmor" };
static const char *const hv_names[] = { NULL, "auto", "off" };

#define NAME_OF(t, v) ((v) < sizeof(t) / sizeof(t[0]) ? (t)[v] : NULL)

static int value_of(const char *const *t, size_t n, const char *name)
{
	for (size_t i = 1; name && i < n; i++)
		if (strcmp(t[i], name) == 0)
			return (int)i;
	return -1;
}

#define VALUE_OF(t, name) value_of((t), sizeof(t) / sizeof(t[0]), (name))

const char *vd_selinux_mode_name(unsigned mode)
{
	return NAME_OF(selinux_names, mode);
}

int vd_selinux_mode_value(const char *name)
{
	return VALUE_OF(selinux_names, name);
}

const char *vd_aa_mode_name(unsigned mode)
{
	return NAME_OF(aa_names, mode);
}

int vd_aa_mode_value(const char *name)
{
	return VALUE_OF(aa_names, name);
}

const char *vd_denial_kind_name(unsigned kind)
{
	return NAME_OF(kind_names, kind);
}

int vd_denial_kind_value(const char *name)
{
	return VALUE_OF(kind_names, name);
}

const char *vd_hv_launch_name(unsigned v)
{
	return NAME_OF(hv_names, v);
}

int vd_hv_launch_value(const char *name)
{
	return VALUE_OF(hv_names, name);
}

/* ------------------------------------------------------------------ */
/* What counts as virtual networking */

/* Exact names; the kernel cuts comm to 15 bytes (qemu-system-x86). */
static const char *const programs[] = {
	"vmware-vmx",	 "vmnet-natd",	 "vmnet-dhcpd",	 "vmnet-bridge",
	"vmnet-netifup", "vmware",	 "vmware-authd", "vmware-networks",
	"libvirtd",	 "virtqemud",	 "virtnetworkd", "qemu-kvm",
	"VBoxHeadless",	 "VirtualBoxVM", "VBoxNetDHCP",	 "VBoxNetNAT",
	"VBoxSVC",
};

static const char *const program_prefixes[] = { "qemu-system-" };

/* Substrings of a target (device, path) that name a virtual network. */
static const char *const target_words[] = {
	"vmnet", "virbr", "vboxnet", "/dev/vmmon", "/dev/vboxdrv",
};

/* SELinux domains and AppArmor profiles of the hypervisors. */
static const char *const context_words[] = {
	":virtd_t:",	    ":svirt_t:", ":svirt_tcg_t:", ":virtqemud_t:",
	":virtnetworkd_t:", ":vmware_",	 "libvirt-",	  "libvirtd",
	"virt-aa-helper",   "vmware",	 "virtualbox",	  "vbox",
};

static bool has(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = 0; i + w <= n; i++)
		if (memcmp(s + i, word, w) == 0)
			return true;
	return false;
}

bool vd_hypervisor_program(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
		if (strlen(programs[i]) == n &&
		    memcmp(programs[i], name, n) == 0)
			return true;
	for (size_t i = 0;
	     i < sizeof(program_prefixes) / sizeof(program_prefixes[0]); i++) {
		size_t p = strlen(program_prefixes[i]);

		if (n > p && memcmp(program_prefixes[i], name, p) == 0)
			return true;
	}
	return false;
}

bool vd_aa_profile_of_interest(const char *name, size_t n)
{
	const char *base = name;

	/* "/usr/sbin/libvirtd", "libvirtd", "libvirt-<uuid>" */
	for (size_t i = 0; i < n; i++)
		if (name[i] == '/')
			base = name + i + 1;
	if (vd_hypervisor_program(base, n - (size_t)(base - name)))
		return true;
	for (size_t i = 0; i < sizeof(context_words) / sizeof(context_words[0]);
	     i++)
		if (context_words[i][0] != ':' &&
		    has(name, n, context_words[i]))
			return true;
	return false;
}

bool vd_denial_of_interest(const struct vd_denial *d)
{
	size_t n = strnlen(d->exe, sizeof(d->exe));
	const char *base = d->exe;

	for (size_t i = 0; i < n; i++)
		if (d->exe[i] == '/')
			base = d->exe + i + 1;
	if (vd_hypervisor_program(d->comm, strnlen(d->comm, sizeof(d->comm))) ||
	    (n && vd_hypervisor_program(base, n - (size_t)(base - d->exe))))
		return true;
	for (size_t i = 0; i < sizeof(target_words) / sizeof(target_words[0]);
	     i++)
		if (has(d->target, strnlen(d->target, sizeof(d->target)),
			target_words[i]))
			return true;
	for (size_t i = 0; i < sizeof(context_words) / sizeof(context_words[0]);
	     i++)
		if (has(d->context, strnlen(d->context, sizeof(d->context)),
			context_words[i]))
			return true;
	/* dnsmasq serves libvirt's networks (and much else) */
	return strcmp(d->comm, "dnsmasq") == 0 && d->text &&
	       (strstr(d->text, "libvirt") || strstr(d->text, "virbr"));
}
