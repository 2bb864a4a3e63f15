/* SPDX-License-Identifier: MIT */
/*
 * The VMs (.vmx): their MACs (L2), which networks they sit on, their NIC
 * model; and VMware's logs (HOST).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rules/rules.h"
#include "rules/vmodel.h"
#include "util/ip.h"

static void nic_where(const struct vd_vmware *v, const struct vd_vm *vm,
		      const struct vd_vm_nic *n, char *buf, size_t len)
{
	vd_vmware_where(v, (struct vd_src){ vm->file, n->line }, buf, len);
}

/* ------------------------------------------------------------------ */
/* L2: MACs */

/* Why a NIC's MAC cannot be used, or NULL. */
static const char *mac_trouble(const struct vd_vm_nic *n)
{
	static const uint8_t zero[6];

	if (!n->mac_text[0])
		return NULL; /* VMware generates one */
	if (!n->has_mac)
		return "is not a MAC address";
	if (memcmp(n->mac, zero, 6) == 0)
		return "is all zeros";
	if (n->mac[0] & 1)
		return "is a multicast address";
	if (strcmp(n->address_type, "static") != 0)
		return NULL;
	if (n->mac[0] != 0x00 || n->mac[1] != 0x50 || n->mac[2] != 0x56)
		return "is outside VMware's static range (it must start "
		       "00:50:56)";
	if (n->mac[3] > 0x3f)
		return "is outside VMware's static range 00:50:56:00:00:00 - "
		       "00:50:56:3F:FF:FF";
	return NULL;
}

void rule_vmx_mac_invalid(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_vmware *v = &c->facts->vmware;
	char subj[200], w[512];

	for (size_t i = 0; i < v->n_vms; i++) {
		const struct vd_vm *vm = &v->vms[i];

		for (size_t k = 0; k < vm->n_nics; k++) {
			const struct vd_vm_nic *n = &vm->nics[k];
			const char *why = mac_trouble(n);
			struct vd_finding *fd;

			if (n->present != VD_YES || !why)
				continue;
			snprintf(subj, sizeof(subj), "%s ethernet%d",
				 vd_vm_label(v, vm), n->index);
			fd = vd_finding_add(out, "L2.vmx-mac-invalid", subj,
					    "%s's MAC %s %s", subj, n->mac_text,
					    why);
			nic_where(v, vm, n, w, sizeof(w));
			vd_finding_evidence(out, fd,
					    "%s: ethernet%d.addressType = "
					    "\"%s\", MAC \"%s\"",
					    w, n->index,
					    n->address_type[0] ? n->address_type
							       : "generated",
					    n->mac_text);
			vd_finding_remedy(
				out, fd,
				"with the VM powered off, set "
				"ethernet%d.address = "
				"\"00:50:56:XX:YY:ZZ\" with XX from "
				"00 to 3F, or remove the address "
				"lines and set ethernet%d.addressType "
				"= \"generated\"",
				n->index, n->index);
		}
	}
}

/* Two VMs with one MAC on NICs that are there. */
void rule_vmx_mac_conflict(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_vmware *v = &c->facts->vmware;
	char mac[VD_MACSTR_MAX], w[512];

	for (size_t i = 0; i < v->n_vms; i++)
		for (size_t k = 0; k < v->vms[i].n_nics; k++) {
			const struct vd_vm_nic *a = &v->vms[i].nics[k];
			struct vd_finding *fd = NULL;

			if (a->present != VD_YES || !a->has_mac)
				continue;
			for (size_t j = i + 1; j < v->n_vms; j++)
				for (size_t l = 0; l < v->vms[j].n_nics; l++) {
					const struct vd_vm_nic *b =
						&v->vms[j].nics[l];

					if (b->present != VD_YES ||
					    !b->has_mac ||
					    memcmp(a->mac, b->mac, 6) != 0)
						continue;
					vd_mac_str(a->mac, 6, mac, sizeof(mac));
					if (!fd) {
						fd = vd_finding_add(
							out, "L2.mac-conflict",
							mac,
							"VMs %s and %s share "
							"the MAC %s",
							vd_vm_label(v,
								    &v->vms[i]),
							vd_vm_label(v,
								    &v->vms[j]),
							mac);
						nic_where(v, &v->vms[i], a, w,
							  sizeof(w));
						vd_finding_evidence(
							out, fd,
							"%s: ethernet%d %s", w,
							a->index, mac);
						vd_finding_remedy(
							out, fd,
							"give one of them a "
							"new "
							"MAC: power it off, "
							"delete its "
							"ethernetN."
							"generatedAddress "
							"(and .address) lines "
							"and let VMware "
							"generate one, or "
							"answer \"I copied "
							"it\" when asked");
					}
					nic_where(v, &v->vms[j], b, w,
						  sizeof(w));
					vd_finding_evidence(out, fd,
							    "%s: ethernet%d %s",
							    w, b->index, mac);
				}
			if (fd)
				break; /* one finding per VM pair is enough */
		}
}

static bool vm_has_mac(const struct vd_vm *vm, const uint8_t mac[6])
{
	for (size_t k = 0; k < vm->n_nics; k++)
		if (vm->nics[k].has_mac && memcmp(vm->nics[k].mac, mac, 6) == 0)
			return true;
	return false;
}

/* The reservation or lease that names the VM: its display name. */
static bool names_vm(const char *name, const struct vd_vm *vm)
{
	return vm->name[0] && name[0] && strcasecmp(name, vm->name) == 0;
}

void rule_vmx_mac_mismatch(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	const struct vd_vmware *v = &f->vmware;
	char mac[VD_MACSTR_MAX], ip[VD_IPSTR_MAX], w[512];

	for (size_t i = 0; i < v->n_vms; i++) {
		const struct vd_vm *vm = &v->vms[i];
		struct vd_finding *fd;

		for (size_t h = 0; h < v->n_dhcp_hosts; h++) {
			const struct vd_dhcp_host *dh = &v->dhcp_hosts[h];

			if (!names_vm(dh->name, vm) || !dh->has_mac ||
			    vm_has_mac(vm, dh->mac))
				continue;
			fd = vd_finding_add(
				out, "L2.vmx-mac-mismatch", vd_vm_label(v, vm),
				"the DHCP reservation for %s "
				"names MAC %s, which the VM does "
				"not have",
				vm->name,
				vd_mac_str(dh->mac, 6, mac, sizeof(mac)));
			vd_finding_evidence(
				out, fd,
				"%s: host %s { hardware ethernet %s; "
				"fixed-address %s; }",
				vd_vmware_where(v, dh->src, w, sizeof(w)),
				dh->name, mac,
				vd_ip_str(&dh->ip, ip, sizeof(ip)));
			for (size_t k = 0; k < vm->n_nics; k++)
				if (vm->nics[k].has_mac) {
					nic_where(v, vm, &vm->nics[k], w,
						  sizeof(w));
					vd_finding_evidence(
						out, fd, "%s: ethernet%d %s", w,
						vm->nics[k].index,
						vm->nics[k].mac_text);
				}
			vd_finding_remedy(out, fd,
					  "put the VM's MAC in the reservation "
					  "(hardware ethernet), or give the VM "
					  "the reserved MAC as a static "
					  "address; then "
					  "vmware-networks "
					  "--stop && vmware-networks --start");
		}
		for (size_t l = 0; l < v->n_leases; l++) {
			const struct vd_lease *le = &v->leases[l];

			if (!names_vm(le->hostname, vm) || !le->has_mac ||
			    vm_has_mac(vm, le->mac) || !vd_lease_current(f, le))
				continue;
			fd = vd_finding_add(
				out, "L2.vmx-mac-mismatch", vd_vm_label(v, vm),
				"%s holds a lease with MAC %s, "
				"which its .vmx does not have",
				vm->name,
				vd_mac_str(le->mac, 6, mac, sizeof(mac)));
			vd_finding_evidence(
				out, fd,
				"%s: lease %s to %s (client-hostname "
				"\"%s\")",
				vd_vmware_where(v, le->src, w, sizeof(w)),
				vd_ip_str(&le->ip, ip, sizeof(ip)), mac,
				le->hostname);
			vd_finding_remedy(
				out, fd,
				"the VM was copied or its MAC changed: "
				"reservations and port forwards made "
				"for the old MAC/address no longer "
				"reach it; update them or restore the "
				"MAC");
		}
	}
}

/* ------------------------------------------------------------------ */
/* L2: VMs that should talk, on different networks */

static const struct vd_vm *find_vm(const struct vd_vmware *v, const char *name)
{
	for (size_t i = 0; i < v->n_vms; i++) {
		const struct vd_vm *vm = &v->vms[i];
		const char *path = vm->file >= 0 ? v->files[vm->file] : "";
		const char *base = strrchr(path, '/');

		if (strcasecmp(vm->name, name) == 0 ||
		    strcmp(path, name) == 0 ||
		    (base && strcmp(base + 1, name) == 0))
			return vm;
	}
	return NULL;
}

/* The network of a NIC, as text: "vmnet8 (nat)", "LAN segment". */
static const char *nic_net(const struct vd_vm_nic *n, char *buf, size_t len)
{
	int num = vd_nic_vnet(n);

	if (num >= 0)
		snprintf(buf, len, "vmnet%d (%s)", num,
			 n->conn[0] ? n->conn : "bridged");
	else
		snprintf(buf, len, "%s%s%s", n->conn[0] ? n->conn : "?",
			 n->vnet[0] ? " " : "", n->vnet);
	return buf;
}

static bool share_network(const struct vd_vm *a, const struct vd_vm *b)
{
	for (size_t i = 0; i < a->n_nics; i++)
		for (size_t k = 0; k < b->n_nics; k++) {
			const struct vd_vm_nic *x = &a->nics[i],
					       *y = &b->nics[k];
			int nx = vd_nic_vnet(x), ny = vd_nic_vnet(y);

			if (!vd_nic_active(x) || !vd_nic_active(y))
				continue;
			if (nx >= 0 && nx == ny)
				return true;
			if (nx < 0 && ny < 0 && strcmp(x->conn, y->conn) == 0 &&
			    strcmp(x->vnet, y->vnet) == 0)
				return true;
		}
	return false;
}

void rule_vms_on_different_networks(const struct vd_rule_ctx *c,
				    struct vd_findings *out)
{
	const struct vd_vmware *v = &c->facts->vmware;
	char subj[300], net[80], w[512];

	for (size_t i = 0; c->opts && i < c->opts->n_vms; i++)
		for (size_t j = i + 1; j < c->opts->n_vms; j++) {
			const struct vd_vm *a = find_vm(v, c->opts->vms[i]);
			const struct vd_vm *b = find_vm(v, c->opts->vms[j]);
			const struct vd_vm *both[2] = { a, b };
			struct vd_finding *fd;

			if (!a || !b || a == b || share_network(a, b))
				continue;
			snprintf(subj, sizeof(subj), "%s <-> %s",
				 vd_vm_label(v, a), vd_vm_label(v, b));
			fd = vd_finding_add(
				out, "L2.vms-on-different-networks", subj,
				"VMs %s and %s share no virtual "
				"network",
				vd_vm_label(v, a), vd_vm_label(v, b));
			for (int s = 0; s < 2; s++)
				for (size_t k = 0; k < both[s]->n_nics; k++) {
					const struct vd_vm_nic *n =
						&both[s]->nics[k];

					if (!vd_nic_active(n))
						continue;
					nic_where(v, both[s], n, w, sizeof(w));
					vd_finding_evidence(
						out, fd,
						"%s: %s ethernet%d on %s", w,
						vd_vm_label(v, both[s]),
						n->index,
						nic_net(n, net, sizeof(net)));
				}
			vd_finding_remedy(
				out, fd,
				"attach both to one network (VM > "
				"Settings > Network Adapter: the same "
				"NAT, host-only or custom vmnet), or "
				"route between the networks");
		}
}

/* ------------------------------------------------------------------ */
/* HOST: NIC model, logs */

void rule_nic_model_legacy(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_vmware *v = &c->facts->vmware;
	char subj[200], w[512];

	for (size_t i = 0; i < v->n_vms; i++) {
		const struct vd_vm *vm = &v->vms[i];

		for (size_t k = 0; k < vm->n_nics; k++) {
			const struct vd_vm_nic *n = &vm->nics[k];
			struct vd_finding *fd;

			if (n->present != VD_YES ||
			    (strcmp(n->virtual_dev, "e1000") != 0 &&
			     strcmp(n->virtual_dev, "e1000e") != 0 &&
			     strcmp(n->virtual_dev, "vlance") != 0))
				continue;
			snprintf(subj, sizeof(subj), "%s ethernet%d",
				 vd_vm_label(v, vm), n->index);
			fd = vd_finding_add(out, "HOST.nic-model-legacy", subj,
					    "%s is an emulated %s; vmxnet3 is "
					    "faster and lighter",
					    subj, n->virtual_dev);
			nic_where(v, vm, n, w, sizeof(w));
			vd_finding_evidence(out, fd,
					    "%s: ethernet%d.virtualDev = "
					    "\"%s\"",
					    w, n->index, n->virtual_dev);
			vd_finding_remedy(
				out, fd,
				"install VMware Tools / open-vm-tools "
				"in the guest, power off, set "
				"ethernet%d.virtualDev = \"vmxnet3\"",
				n->index);
		}
	}
}

/* What to do about a kind of log line (the kinds of collect/vmware/log.c). */
static const char *log_remedy(const char *kind)
{
	static const struct {
		const char *prefix, *remedy;
	} map[] = {
		{ "vnet", "start the virtual networks and load vmnet: modprobe "
			  "vmnet; vmware-networks --start" },
		{ "device-connect",
		  "start the virtual networks and load vmnet: "
		  "modprobe vmnet; vmware-networks --start" },
		{ "vmnet-start", "load or build vmnet: modprobe vmnet || "
				 "vmware-modconfig --console --install-all" },
		{ "vmci", "load the VMCI module: modprobe vmw_vmci (or build "
			  "the modules: vmware-modconfig --console "
			  "--install-all)" },
		{ "dhcp", "restart the services and read why DHCP failed: "
			  "vmware-networks --stop && vmware-networks --start; "
			  "journalctl -t vmnet-dhcpd" },
		{ "nat", "restart the services and read why NAT failed: "
			 "vmware-networks --stop && vmware-networks --start; "
			 "journalctl -t vmnet-natd" },
		{ "adapter",
		  "recreate the host adapters: vmware-networks --stop "
		  "&& vmware-networks --start (needs the vmnet "
		  "module)" },
		{ "bridge", "bring the bridged NIC up or map the network to "
			    "another NIC (vmware-netcfg)" },
		{ "vmmon", "load or build the modules: modprobe vmmon vmnet || "
			   "vmware-modconfig --console --install-all" },
		{ "module", "build/sign the modules for this kernel: "
			    "vmware-modconfig --console --install-all "
			    "(Secure Boot: sign them and enrol the key with "
			    "mokutil)" },
		{ "kernel-headers", "install the headers: apt install "
				    "linux-headers-$(uname -r)" },
		{ "service", "restart the services: vmware-networks --stop && "
			     "vmware-networks --start; vmware-networks "
			     "--status" },
		{ "ip-conflict", "find the other holder of the address: "
				 "vnetdiag probe arp ADDRESS; give one of "
				 "them another address" },
		{ "permission", "run as a user allowed to open /dev/vmnet* "
				"(or fix its mode); see the line for which "
				"file" },
		{ "peer", "restart VMware (the VMX process died): killall "
			  "vmware-vmx; then start the VM again" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(kind, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].remedy;
	return "read the lines around them in the log for the cause";
}

void rule_log_errors(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_vmware *v = &c->facts->vmware;
	char w[512];

	for (size_t fi = 0; fi < v->n_files; fi++) {
		struct vd_finding *fd = NULL;
		size_t n = 0, shown = 0;

		for (size_t i = 0; i < v->n_log_hits; i++)
			n += v->log_hits[i].src.file == (int)fi;
		if (!n)
			continue;
		fd = vd_finding_add(out, "HOST.log-errors", v->files[fi],
				    "%zu known failure line%s in %s", n,
				    n == 1 ? "" : "s", v->files[fi]);
		for (size_t i = 0; i < v->n_log_hits; i++) {
			const struct vd_log_hit *h = &v->log_hits[i];
			bool seen = false;

			if (h->src.file != (int)fi)
				continue;
			if (shown++ < 8)
				vd_finding_evidence(out, fd, "%s: %s",
						    vd_vmware_where(v, h->src,
								    w,
								    sizeof(w)),
						    h->text);
			for (size_t k = 0; k < i; k++)
				seen |= v->log_hits[k].src.file == (int)fi &&
					strcmp(v->log_hits[k].kind, h->kind) ==
						0;
			if (!seen)
				vd_finding_remedy(out, fd, "%s: %s", h->kind,
						  log_remedy(h->kind));
		}
		if (shown > 8)
			vd_finding_evidence(out, fd, "... and %zu more",
					    shown - 8);
	}
}
