/* SPDX-License-Identifier: MIT */
/*
 * VMware's virtual networks against the live host: adapters and modules
 * (L1), bridge mappings (L2), subnets, gateway and DHCP configuration (L3),
 * and the daemons each network needs (vmnet-dhcpd, vmnet-natd,
 * vmnet-bridge).  Silent unless etc/vmware/networking was read.
 */
#include <stdio.h>
#include <string.h>

#include "facts/format.h"
#include "rules/rules.h"
#include "rules/vmodel.h"
#include "util/ip.h"

#define RESTART "vmware-networks --stop && vmware-networks --start"

static bool vmware(const struct vd_facts *f)
{
	return f->vmware.present == VD_YES;
}

/* "/etc/vmware/networking:12" for a vnet's first line. */
static const char *vnet_where(const struct vd_facts *f, const struct vd_vnet *v,
			      char *buf, size_t len)
{
	snprintf(buf, len, "%s:%u",
		 f->vmware.networking_file ? f->vmware.networking_file
					   : "networking",
		 v->line);
	return buf;
}

/* ------------------------------------------------------------------ */
/* L1: kernel modules */

static const char *const vmware_modules[] = { "vmmon", "vmnet" };

static bool built_for(const struct vd_vmware *v, const char *mod,
		      const char *kernel, bool other)
{
	for (size_t i = 0; i < v->n_module_files; i++) {
		const struct vd_modfile *m = &v->module_files[i];

		if (strcmp(m->name, mod) == 0 &&
		    (strcmp(m->kernel, kernel) == 0) != other)
			return true;
	}
	return false;
}

static const struct vd_log_hit *signing_refused(const struct vd_vmware *v)
{
	for (size_t i = 0; i < v->n_log_hits; i++)
		if (strcmp(v->log_hits[i].kind, "module-signature") == 0 ||
		    strcmp(v->log_hits[i].kind, "module-format") == 0)
			return &v->log_hits[i];
	return NULL;
}

/* Which L1 code explains that mod is not loaded, or NULL when it is. */
static const char *module_problem(const struct vd_facts *f, const char *mod)
{
	const struct vd_vmware *v = &f->vmware;

	if (!vmware(f) || f->modules_known != VD_YES || vd_facts_module(f, mod))
		return NULL;
	if (signing_refused(v))
		return "L1.module-kernel-mismatch";
	if (v->module_files_known == VD_YES && f->host.kernel[0] &&
	    !built_for(v, mod, f->host.kernel, false) &&
	    built_for(v, mod, f->host.kernel, true))
		return "L1.module-kernel-mismatch";
	return "L1.module-missing";
}

static void module_rule(const struct vd_rule_ctx *c, struct vd_findings *out,
			const char *code)
{
	const struct vd_facts *f = c->facts;
	const struct vd_vmware *v = &f->vmware;
	char where[512];

	for (size_t m = 0; m < 2; m++) {
		const char *mod = vmware_modules[m],
			   *p = module_problem(f, mod);
		const struct vd_log_hit *h;
		struct vd_finding *fd;

		if (!p || strcmp(p, code) != 0)
			continue;
		if (strcmp(code, "L1.module-missing") == 0) {
			fd = vd_finding_add(out, code, mod,
					    "kernel module %s is not loaded",
					    mod);
			vd_finding_evidence(out, fd,
					    "/proc/modules has no %s; VMware "
					    "is configured (%s)",
					    mod, v->networking_file);
			vd_finding_remedy(out, fd, "modprobe %s", mod);
			vd_finding_remedy(out, fd,
					  "if modprobe finds no module: "
					  "vmware-modconfig --console "
					  "--install-all");
			continue;
		}
		fd = vd_finding_add(out, code, mod,
				    "kernel module %s is not loaded and "
				    "cannot be for kernel %s",
				    mod, f->host.kernel);
		vd_finding_evidence(out, fd, "/proc/modules has no %s", mod);
		for (size_t i = 0; i < v->n_module_files; i++)
			if (strcmp(v->module_files[i].name, mod) == 0)
				vd_finding_evidence(
					out, fd,
					"%s is built for kernel %s only "
					"(/lib/modules/%s)",
					mod, v->module_files[i].kernel,
					v->module_files[i].kernel);
		h = signing_refused(v);
		if (h) {
			vd_finding_evidence(out, fd, "%s: %s",
					    vd_vmware_where(v, h->src, where,
							    sizeof(where)),
					    h->text);
			vd_finding_remedy(
				out, fd,
				"Secure Boot refuses unsigned modules: sign "
				"them (mokutil --import MOK.der, reboot to "
				"enrol, then /usr/src/linux-headers-$(uname "
				"-r)/scripts/sign-file sha256 MOK.priv "
				"MOK.der $(modinfo -n %s)) or disable Secure "
				"Boot",
				mod);
		}
		vd_finding_remedy(out, fd,
				  "build the modules for the running kernel: "
				  "vmware-modconfig --console --install-all "
				  "(needs linux-headers-$(uname -r)); for a "
				  "kernel newer than the product, the "
				  "vmware-host-modules patches of its version");
	}
}

void rule_module_missing(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	module_rule(c, out, "L1.module-missing");
}

void rule_module_kernel_mismatch(const struct vd_rule_ctx *c,
				 struct vd_findings *out)
{
	module_rule(c, out, "L1.module-kernel-mismatch");
}

/* ------------------------------------------------------------------ */
/* L1: host adapters the configuration expects */

void rule_adapter_missing(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const char *mod = module_problem(c->facts, "vmnet");

	for (size_t i = 0; i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];
		struct vd_finding *fd;

		if (a->link || a->origin == VD_ADAPTER_PATTERN)
			continue;
		fd = vd_finding_add(out, "L1.adapter-missing", a->name,
				    "host adapter %s does not exist", a->name);
		vd_finding_evidence(out, fd, "no interface named %s", a->name);
		vd_finding_evidence(out, fd, "%s is expected: %s", a->name,
				    a->why);
		if (a->vnet) {
			vd_finding_remedy(out, fd,
					  "create the virtual networks' "
					  "adapters: " RESTART);
			/* No vmnet module: nothing can create it; VMware's
			 * services stopped: vmware-networks --start would. */
			if (mod) {
				fd->caused_by = mod;
				fd->cause_subject = "vmnet";
			} else if (!vd_vmd_any(c->facts)) {
				fd->caused_by = "HOST.vmware-service-down";
				fd->cause_subject = "vmware-networks";
			}
		} else {
			vd_finding_remedy(out, fd,
					  "create %s or name the right "
					  "interface with --adapter",
					  a->name);
		}
	}
}

/* ------------------------------------------------------------------ */
/* L2: bridged networks and their physical NIC */

void rule_bridge_mapping_missing(const struct vd_rule_ctx *c,
				 struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	char buf[512];

	for (size_t i = 0; vmware(f) && i < f->vmware.n_vnets; i++) {
		const struct vd_vnet *v = &f->vmware.vnets[i];
		const struct vd_link *l;
		struct vd_finding *fd;

		if (v->mode != VD_VNET_BRIDGED || !v->bridge_if[0])
			continue;
		l = vd_facts_link_by_name(f, v->bridge_if);
		if (l && (l->flags & VD_IFF_UP) && (l->flags & VD_IFF_LOWER_UP))
			continue;
		if (!l)
			fd = vd_finding_add(out, "L2.bridge-mapping-missing",
					    v->name,
					    "%s is bridged to %s, which does "
					    "not exist",
					    v->name, v->bridge_if);
		else
			fd = vd_finding_add(out, "L2.bridge-mapping-missing",
					    v->name,
					    "%s is bridged to %s, which is "
					    "down",
					    v->name, v->bridge_if);
		vd_finding_evidence(out, fd, "%s:%u: add_bridge_mapping %s %d",
				    f->vmware.networking_file, v->bridge_line,
				    v->bridge_if, v->num);
		if (l)
			vd_finding_evidence(
				out, fd, "link %s",
				vd_fmt_link(f, l, buf, sizeof(buf)));
		else
			vd_finding_evidence(
				out, fd,
				"no interface named %s (renamed "
				"NIC, unplugged USB/Wi-Fi adapter?)",
				v->bridge_if);
		vd_finding_remedy(out, fd,
				  "map %s to a NIC that is up: "
				  "vmware-netcfg (Bridged to: Automatic or the "
				  "NIC), or edit add_bridge_mapping in "
				  "/etc/vmware/networking, then " RESTART,
				  v->name);
		if (l)
			vd_finding_remedy(out, fd, "ip link set dev %s up",
					  v->bridge_if);
	}
}

/* ------------------------------------------------------------------ */
/* L3: the adapter's address against the configured subnet */

void rule_subnet_mismatch(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	char buf[512], p[VD_IPSTR_MAX], h[VD_IPSTR_MAX], w[512];

	for (size_t i = 0; i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];
		const struct vd_vnet *v = a->vnet;
		const struct vd_addr *first = NULL;
		struct vd_finding *fd;
		struct vd_ip host;
		bool inside = false;

		if (!a->link || !v || v->prefixlen < 0 ||
		    v->subnet.family != VD_AF_INET)
			continue;
		for (size_t k = 0; k < f->n_addrs; k++) {
			const struct vd_addr *ad = &f->addrs[k];

			if (ad->ifindex != a->link->ifindex ||
			    ad->ip.family != VD_AF_INET ||
			    ad->scope == VD_SCOPE_HOST)
				continue;
			if (!first)
				first = ad;
			if (vd_prefix_overlap(&ad->ip, ad->prefixlen,
					      &v->subnet,
					      (unsigned)v->prefixlen))
				inside = true;
		}
		if (!first || inside)
			continue;
		vd_prefix_str(&v->subnet, (unsigned)v->prefixlen, p, sizeof(p));
		fd = vd_finding_add(
			out, "L3.subnet-mismatch", a->name,
			"%s's address %s is not in %s's subnet %s", a->name,
			vd_ip_str(&first->ip, h, sizeof(h)), v->name, p);
		vd_finding_evidence(out, fd, "addr %s",
				    vd_fmt_addr(f, first, buf, sizeof(buf)));
		vd_finding_evidence(out, fd, "%s: VNET_%d_HOSTONLY_SUBNET %s",
				    vnet_where(f, v, w, sizeof(w)), v->num,
				    vd_ip_str(&v->subnet, h, sizeof(h)));
		if (vd_prefix_nth(&v->subnet, (unsigned)v->prefixlen, 1,
				  &host) == 0)
			vd_finding_remedy(out, fd,
					  "ip addr flush dev %s && ip addr add "
					  "%s/%d dev %s",
					  a->name,
					  vd_ip_str(&host, h, sizeof(h)),
					  v->prefixlen, a->name);
		vd_finding_remedy(out, fd,
				  "or let VMware re-address it: " RESTART);
	}
}

/* ------------------------------------------------------------------ */
/* L3: the gateway DHCP hands out on a NAT network */

void rule_gateway_wrong(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	const struct vd_vmware *vm = &f->vmware;
	char a[VD_IPSTR_MAX], b[VD_IPSTR_MAX], w[512];

	for (size_t i = 0; vmware(f) && i < vm->n_vnets; i++) {
		const struct vd_vnet *v = &vm->vnets[i];
		const struct vd_natconf *nat = vd_vnet_nat(vm, v->num);
		const struct vd_dhcp_subnet *d = vd_vnet_dhcp(vm, v->num);
		struct vd_finding *fd;

		if (v->mode != VD_VNET_NAT || v->dhcp != VD_YES || !nat ||
		    nat->ip.family != VD_AF_INET || !d)
			continue;
		if (d->router.family && vd_ip_equal(&d->router, &nat->ip))
			continue;
		vd_ip_str(&nat->ip, b, sizeof(b));
		if (d->router.family) {
			fd = vd_finding_add(out, "L3.gateway-wrong", v->name,
					    "DHCP on %s hands out gateway %s, "
					    "not the NAT device %s",
					    v->name,
					    vd_ip_str(&d->router, a, sizeof(a)),
					    b);
			vd_finding_evidence(
				out, fd, "%s: option routers %s",
				vd_vmware_where(
					vm,
					(struct vd_src){ d->src.file,
							 d->router_line },
					w, sizeof(w)),
				a);
		} else {
			fd = vd_finding_add(out, "L3.gateway-wrong", v->name,
					    "DHCP on %s hands out no gateway "
					    "(the NAT device is %s)",
					    v->name, b);
			vd_finding_evidence(
				out, fd,
				"%s: subnet block without option "
				"routers",
				vd_vmware_where(vm, d->src, w, sizeof(w)));
		}
		vd_finding_evidence(out, fd, "%s: [host] ip = %s",
				    vd_vmware_where(vm, nat->src, w, sizeof(w)),
				    b);
		vd_finding_remedy(out, fd,
				  "set 'option routers %s;' in the subnet "
				  "block of %s, then " RESTART
				  "; VMs take it at their next lease (dhclient "
				  "-r && dhclient, or reboot them)",
				  b,
				  d->src.file >= 0 ? vm->files[d->src.file]
						   : "dhcpd.conf");
	}
}

/* ------------------------------------------------------------------ */
/* L3: DHCP configuration that cannot work as meant */

static struct vd_finding *dhcp_bad(struct vd_findings *out,
				   const struct vd_vmware *vm,
				   const struct vd_vnet *v,
				   const struct vd_dhcp_subnet *d,
				   unsigned line, const char *what)
{
	char w[512];
	struct vd_finding *fd =
		vd_finding_add(out, "L3.dhcp-config-invalid", v->name,
			       "DHCP configuration of %s: %s", v->name, what);

	vd_finding_evidence(
		out, fd, "%s",
		vd_vmware_where(vm,
				(struct vd_src){ d->src.file,
						 line ? line : d->src.line },
				w, sizeof(w)));
	return fd;
}

static void dhcp_range_checks(const struct vd_rule_ctx *c,
			      struct vd_findings *out, const struct vd_vnet *v,
			      const struct vd_dhcp_subnet *d, struct vd_ip net,
			      unsigned plen)
{
	const struct vd_facts *f = c->facts;
	const struct vd_vmware *vm = &f->vmware;
	const struct vd_natconf *nat = vd_vnet_nat(vm, v->num);
	const struct vd_link *l = vd_facts_link_by_name(f, v->name);
	char a[VD_IPSTR_MAX], b[VD_IPSTR_MAX], x[VD_IPSTR_MAX], what[256];
	struct vd_finding *fd;
	size_t held = 0, size;

	if (d->range_lo.family != VD_AF_INET)
		return;
	vd_ip_str(&d->range_lo, a, sizeof(a));
	vd_ip_str(&d->range_hi, b, sizeof(b));
	if (vd_ip4(&d->range_lo) > vd_ip4(&d->range_hi) ||
	    !vd_prefix_contains(&net, plen, &d->range_lo) ||
	    !vd_prefix_contains(&net, plen, &d->range_hi)) {
		char p[VD_IPSTR_MAX];

		snprintf(what, sizeof(what), "range %s - %s is not inside %s",
			 a, b, vd_prefix_str(&net, plen, p, sizeof(p)));
		fd = dhcp_bad(out, vm, v, d, d->range_line, what);
		vd_finding_remedy(out, fd,
				  "make the range a part of the subnet (VMware "
				  "uses .128 - .254), then " RESTART);
		return;
	}
	if (nat && vd_dhcp_range_has(d, &nat->ip)) {
		snprintf(what, sizeof(what),
			 "range %s - %s hands out the NAT device's address %s",
			 a, b, vd_ip_str(&nat->ip, x, sizeof(x)));
		fd = dhcp_bad(out, vm, v, d, d->range_line, what);
		vd_finding_remedy(out, fd,
				  "start the range above the NAT device "
				  "(.128), then " RESTART);
	}
	for (size_t k = 0; l && k < f->n_addrs; k++) {
		const struct vd_addr *ad = &f->addrs[k];

		if (ad->ifindex != l->ifindex || !vd_dhcp_range_has(d, &ad->ip))
			continue;
		snprintf(what, sizeof(what),
			 "range %s - %s hands out the host's address %s", a, b,
			 vd_ip_str(&ad->ip, x, sizeof(x)));
		fd = dhcp_bad(out, vm, v, d, d->range_line, what);
		vd_finding_remedy(out, fd,
				  "start the range above the host (.128), "
				  "then " RESTART);
	}
	/* every address of the pool held by a running lease: count the
	 * leases in the range that are the latest for their address */
	size = (size_t)vd_ip4(&d->range_hi) - vd_ip4(&d->range_lo) + 1;
	for (size_t i = 0; i < f->vmware.n_leases && held < size; i++) {
		const struct vd_lease *ls = &f->vmware.leases[i];

		if ((ls->vnet == v->num || ls->vnet < 0) &&
		    vd_dhcp_range_has(d, &ls->ip) &&
		    vd_lease_for_ip(f, v->num, &ls->ip) == ls)
			held++;
	}
	if (held >= size) {
		snprintf(what, sizeof(what),
			 "the pool %s - %s is exhausted (%zu of %zu addresses "
			 "leased)",
			 a, b, held, size);
		fd = dhcp_bad(out, vm, v, d, d->range_line, what);
		vd_finding_remedy(out, fd,
				  "widen the range or shorten "
				  "default-lease-time, then " RESTART);
	}
}

/* The vmnet a file's path names (".../vmnet8/dhcpd/dhcpd.conf"), or -1. */
static int path_vnet(const char *path)
{
	for (const char *p = path; (p = strstr(p, "vmnet")); p++) {
		char num[8];
		size_t n = 0;

		while (n < 3 && p[5 + n] >= '0' && p[5 + n] <= '9')
			n++;
		if (n && (p[5 + n] == '/' || p[5 + n] == '\0')) {
			snprintf(num, sizeof(num), "vmnet%.*s", (int)n, p + 5);
			return vd_vnet_number(num);
		}
	}
	return -1;
}

/* A dhcpd.conf that vmnet-dhcpd would refuse to start with (the parser
 * keeps what it could read and notes the first "syntax-error"). */
static void dhcp_syntax(struct vd_findings *out, const struct vd_vmware *vm)
{
	char w[512];

	for (size_t i = 0; i < vm->n_kvs; i++) {
		const struct vd_kv *kv = &vm->kvs[i];
		const struct vd_vnet *v;
		struct vd_finding *fd;
		const char *path;

		if (strcmp(kv->key, "syntax-error") != 0 || kv->src.file < 0 ||
		    (size_t)kv->src.file >= vm->n_files)
			continue;
		path = vm->files[kv->src.file];
		v = vd_vmware_vnet(vm, path_vnet(path));
		if (!v || v->dhcp != VD_YES)
			continue;
		fd = vd_finding_add(out, "L3.dhcp-config-invalid", v->name,
				    "DHCP configuration of %s: vmnet-dhcpd "
				    "cannot parse %s",
				    v->name, path);
		vd_finding_evidence(out, fd, "%s: %s",
				    vd_vmware_where(vm, kv->src, w, sizeof(w)),
				    kv->value);
		vd_finding_remedy(
			out, fd,
			"fix the line (every statement ends with ';', "
			"every block is closed) or let VMware rewrite "
			"the file: vmware-netcfg, then " RESTART);
	}
}

void rule_dhcp_config_invalid(const struct vd_rule_ctx *c,
			      struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	const struct vd_vmware *vm = &f->vmware;
	char p[VD_IPSTR_MAX], q[VD_IPSTR_MAX], what[256], m1[VD_MACSTR_MAX],
		m2[VD_MACSTR_MAX];

	if (vmware(f))
		dhcp_syntax(out, vm);
	for (size_t i = 0; vmware(f) && i < vm->n_vnets; i++) {
		const struct vd_vnet *v = &vm->vnets[i];
		const struct vd_dhcp_subnet *d = vd_vnet_dhcp(vm, v->num);
		struct vd_finding *fd;
		struct vd_ip net;
		unsigned plen;
		int dlen;

		if (!d || v->dhcp != VD_YES ||
		    !vd_vnet_subnet(f, v->num, &net, &plen))
			continue;
		dlen = d->netmask.family ? vd_netmask_len(&d->netmask) : -1;
		if (d->subnet.family == VD_AF_INET &&
		    (dlen != (int)plen || !vd_ip_equal(&d->subnet, &net))) {
			snprintf(what, sizeof(what),
				 "subnet %s/%d differs from the network's %s",
				 vd_ip_str(&d->subnet, p, sizeof(p)), dlen,
				 vd_prefix_str(&net, plen, q, sizeof(q)));
			fd = dhcp_bad(out, vm, v, d, 0, what);
			vd_finding_remedy(
				out, fd,
				"let VMware rewrite dhcpd.conf from "
				"the networking file: vmware-netcfg, "
				"or fix the subnet line, then " RESTART);
			continue;
		}
		dhcp_range_checks(c, out, v, d, net, plen);
		/* two reservations of one address for different MACs */
		for (size_t a = 0; a < vm->n_dhcp_hosts; a++) {
			const struct vd_dhcp_host *x = &vm->dhcp_hosts[a];

			if (x->vnet != v->num || !x->has_mac || !x->ip.family)
				continue;
			for (size_t b = a + 1; b < vm->n_dhcp_hosts; b++) {
				const struct vd_dhcp_host *y =
					&vm->dhcp_hosts[b];
				char w[512];

				if (y->vnet != v->num || !y->has_mac ||
				    !vd_ip_equal(&x->ip, &y->ip) ||
				    memcmp(x->mac, y->mac, 6) == 0)
					continue;
				snprintf(what, sizeof(what),
					 "fixed address %s is reserved for two "
					 "MACs",
					 vd_ip_str(&x->ip, p, sizeof(p)));
				fd = vd_finding_add(
					out, "L3.dhcp-config-invalid", v->name,
					"DHCP configuration of %s: "
					"%s",
					v->name, what);
				vd_finding_evidence(
					out, fd, "%s: %s for %s",
					vd_vmware_where(vm, x->src, w,
							sizeof(w)),
					p,
					vd_mac_str(x->mac, 6, m1, sizeof(m1)));
				vd_finding_evidence(
					out, fd, "%s: %s for %s",
					vd_vmware_where(vm, y->src, w,
							sizeof(w)),
					p,
					vd_mac_str(y->mac, 6, m2, sizeof(m2)));
				vd_finding_remedy(out, fd,
						  "keep one reservation per "
						  "address, then " RESTART);
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* The daemons: HOST (none at all, or the bridge), L3 DHCP, L4 NAT */

/* The units that start VMware's network daemons. */
static const char *const vmware_units[] = { "vmware.service",
					    "vmware-networks.service", NULL };

void rule_vmware_service_down(const struct vd_rule_ctx *c,
			      struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	const struct vd_vmware *vm = &f->vmware;
	struct vd_finding *fd = NULL;
	char w[512];
	bool any;

	if (!vmware(f))
		return;
	any = vd_vmd_any(f);
	for (size_t i = 0; i < vm->n_vnets; i++) {
		const struct vd_vnet *v = &vm->vnets[i];

		for (int d = VD_VMD_DHCP; d <= VD_VMD_BRIDGE; d++) {
			if (!vd_vnet_needs(v, (enum vd_vmd)d) ||
			    vd_vmd_find(f, (enum vd_vmd)d, v->num))
				continue;
			if (any && d != VD_VMD_BRIDGE)
				continue; /* the L3/L4 rules say it */
			if (any) {
				fd = vd_finding_add(
					out, "HOST.vmware-service-down",
					v->name,
					"the bridge daemon of %s "
					"(vmnet-bridge) is not running",
					v->name);
				vd_finding_evidence(
					out, fd,
					"%s: %s is bridged; no "
					"vmnet-bridge process for "
					"it",
					vnet_where(f, v, w, sizeof(w)),
					v->name);
				vd_finding_remedy(out, fd, RESTART);
				continue;
			}
			if (!fd) {
				fd = vd_finding_add(
					out, "HOST.vmware-service-down",
					"vmware-networks",
					"VMware's network services are not "
					"running");
				vd_finding_evidence(out, fd,
						    "no vmnet-dhcpd, "
						    "vmnet-natd or "
						    "vmnet-bridge process "
						    "runs");
				/* systemd knows why they are absent */
				for (const char *const *n = vmware_units; *n;
				     n++) {
					const struct vd_unit *u =
						vd_services_unit(&f->services,
								 *n);
					char st[96];

					if (u && u->from == VD_SVC_DBUS &&
					    strcmp(u->load, "not-found"))
						vd_finding_evidence(
							out, fd,
							"%s: %s (systemd)", *n,
							vd_unit_describe(
								u, st,
								sizeof(st)));
				}
				vd_finding_remedy(
					out, fd,
					"systemctl start vmware-networks "
					"(or vmware.service), or: "
					"vmware-networks --start");
				vd_finding_remedy(out, fd,
						  "see why it stopped: "
						  "vmware-networks --status; "
						  "journalctl -u "
						  "vmware-networks -u vmware");
				/* they cannot start without the vmnet module */
				fd->caused_by = module_problem(f, "vmnet");
				if (fd->caused_by)
					fd->cause_subject = "vmnet";
			}
			vd_finding_evidence(out, fd, "%s needs %s (%s)",
					    v->name,
					    vd_vmd_name((enum vd_vmd)d),
					    vnet_where(f, v, w, sizeof(w)));
		}
	}
}

static void daemon_rule(const struct vd_rule_ctx *c, struct vd_findings *out,
			enum vd_vmd d, const char *code)
{
	const struct vd_facts *f = c->facts;
	const struct vd_vmware *vm = &f->vmware;
	char w[512];
	bool any;

	if (!vmware(f))
		return;
	any = vd_vmd_any(f);
	for (size_t i = 0; i < vm->n_vnets; i++) {
		const struct vd_vnet *v = &vm->vnets[i];
		struct vd_finding *fd;

		if (!vd_vnet_needs(v, d) || vd_vmd_find(f, d, v->num))
			continue;
		fd = vd_finding_add(out, code, v->name,
				    "the %s daemon of %s (%s) is not running",
				    d == VD_VMD_DHCP ? "DHCP" : "NAT", v->name,
				    vd_vmd_name(d));
		vd_finding_evidence(out, fd, "%s: VNET_%d_%s yes",
				    vnet_where(f, v, w, sizeof(w)), v->num,
				    d == VD_VMD_DHCP ? "DHCP" : "NAT");
		vd_finding_evidence(out, fd,
				    "no %s process names %s on its command "
				    "line",
				    vd_vmd_name(d), v->name);
		if (!any) {
			fd->caused_by = "HOST.vmware-service-down";
			fd->cause_subject = "vmware-networks";
		}
		vd_finding_remedy(out, fd,
				  "%s; then check: vmware-networks "
				  "--status",
				  RESTART);
		if (d == VD_VMD_DHCP)
			vd_finding_remedy(out, fd,
					  "if it exits at once, test its "
					  "configuration: vmnet-dhcpd -cf "
					  "/etc/vmware/%s/dhcpd/dhcpd.conf "
					  "(syslog shows vmnet-dhcpd's "
					  "complaint)",
					  v->name);
	}
}

void rule_dhcp_service_down(const struct vd_rule_ctx *c,
			    struct vd_findings *out)
{
	daemon_rule(c, out, VD_VMD_DHCP, "L3.dhcp-service-down");
}

void rule_nat_service_down(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	daemon_rule(c, out, VD_VMD_NAT, "L4.nat-service-down");
}

/*
 * Links the verdict cannot make by layer alone, after every rule ran: no
 * DHCP offer on a network whose DHCP daemon is down, a closed port that
 * no NAT forward serves; and who the leases say owns a silent address.
 */
/* Which VM the leases give an address to: evidence for a silent target. */
static void lease_owner(const struct vd_facts *f, struct vd_findings *out,
			struct vd_finding *fd)
{
	const struct vd_vmware *vm = &f->vmware;
	char mac[VD_MACSTR_MAX], w[512];
	const struct vd_lease *l = NULL;
	const struct vd_vm_nic *n;
	const struct vd_vm *owner;
	struct vd_ip ip;

	if (vd_ip_parse(fd->subject, &ip) < 0 || ip.family != VD_AF_INET)
		return;
	for (size_t i = vm->n_leases; !l && i-- > 0;)
		if (vd_ip_equal(&vm->leases[i].ip, &ip) &&
		    vm->leases[i].has_mac &&
		    vd_lease_current(f, &vm->leases[i]))
			l = &vm->leases[i];
	if (!l)
		return;
	vd_mac_str(l->mac, 6, mac, sizeof(mac));
	vd_finding_evidence(out, fd, "%s: %s is leased to %s",
			    vd_vmware_where(vm, l->src, w, sizeof(w)),
			    fd->subject, mac);
	owner = vd_vm_by_mac(vm, l->mac, &n);
	if (owner)
		vd_finding_evidence(out, fd, "that is VM %s, ethernet%d%s",
				    vd_vm_label(vm, owner), n->index,
				    owner->running == VD_YES ? " (running)"
				    : owner->running == VD_NO
					    ? ": no vmware-vmx "
					      "runs it (powered "
					      "off?)"
					    : "");
}

void vd_vmware_explain(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	for (size_t i = 0; i < out->n; i++) {
		struct vd_finding *fd = &out->v[i];

		if (strcmp(fd->check->code, "L2.arp-unanswered") == 0)
			lease_owner(c->facts, out, fd);

		/* the probe found the port closed because nothing forwards
		 * it (same layer: the verdict would not link them) */
		if (!fd->caused_by &&
		    (strcmp(fd->check->code, "L4.port-closed") == 0 ||
		     strcmp(fd->check->code, "L4.port-filtered") == 0) &&
		    vd_findings_find(out, "L4.nat-portforward-missing",
				     fd->subject)) {
			fd->caused_by = "L4.nat-portforward-missing";
			fd->cause_subject = fd->subject;
		}
		if (!fd->caused_by &&
		    strcmp(fd->check->code, "L3.dhcp-no-offer") == 0 &&
		    vd_findings_find(out, "L3.dhcp-service-down",
				     fd->subject)) {
			fd->caused_by = "L3.dhcp-service-down";
			fd->cause_subject = fd->subject;
		}
	}
}
