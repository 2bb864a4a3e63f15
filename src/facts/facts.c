/* SPDX-License-Identifier: MIT */
#include "facts/facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vd_facts *vd_facts_new(void)
{
	struct vd_facts *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->modules_known = VD_UNKNOWN;
	f->sockets_known = VD_UNKNOWN;
	f->resolv.present = VD_UNKNOWN;
	f->firewall.known = VD_UNKNOWN;
	vd_vmware_init(&f->vmware);
	vd_security_init(&f->security);
	vd_services_init(&f->services);
	f->host.ip_forward = VD_UNKNOWN;
	return f;
}

void *vd_array_push(void **arr, size_t *n, size_t *cap, size_t elsize)
{
	char *p;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *nv = realloc(*arr, ncap * elsize);

		if (!nv)
			return NULL;
		*arr = nv;
		*cap = ncap;
	}
	p = (char *)*arr + *n * elsize;
	memset(p, 0, elsize);
	(*n)++;
	return p;
}

void vd_facts_free(struct vd_facts *f)
{
	if (!f)
		return;
	free(f->sysroot);
	free(f->links);
	free(f->addrs);
	free(f->routes);
	free(f->rules);
	free(f->neighs);
	free(f->sockets);
	for (size_t i = 0; i < f->n_procs; i++)
		free(f->procs[i].cmdline);
	free(f->procs);
	free(f->modules);
	for (size_t i = 0; i < f->n_sysctls; i++) {
		free(f->sysctls[i].key);
		free(f->sysctls[i].value);
		free(f->sysctls[i].file);
	}
	free(f->sysctls);
	for (size_t i = 0; i < f->n_sysctl_files; i++)
		free(f->sysctl_files[i]);
	free(f->sysctl_files);
	free(f->firewall.nft_json);
	free(f->firewall.iptables_save);
	free(f->firewall.ip6tables_save);
	free(f->firewall.error);
	free(f->resolv.file);
	free(f->resolv.nameservers);
	free(f->resolv.ns_lines);
	for (size_t i = 0; i < f->resolv.n_search; i++)
		free(f->resolv.search[i]);
	free(f->resolv.search);
	vd_vmware_free(&f->vmware);
	vd_security_free(&f->security);
	vd_services_free(&f->services);
	vd_probes_clear(&f->probes);
	free(f);
}

const struct vd_link *vd_facts_link_by_index(const struct vd_facts *f,
					     int ifindex)
{
	for (size_t i = 0; i < f->n_links; i++)
		if (f->links[i].ifindex == ifindex)
			return &f->links[i];
	return NULL;
}

const struct vd_link *vd_facts_link_by_name(const struct vd_facts *f,
					    const char *name)
{
	for (size_t i = 0; i < f->n_links; i++)
		if (strcmp(f->links[i].name, name) == 0)
			return &f->links[i];
	return NULL;
}

const char *vd_facts_ifname(const struct vd_facts *f, int ifindex, char *buf,
			    size_t len)
{
	const struct vd_link *l = vd_facts_link_by_index(f, ifindex);

	if (l)
		return l->name;
	snprintf(buf, len, "if%d", ifindex);
	return buf;
}

const struct vd_module *vd_facts_module(const struct vd_facts *f,
					const char *name)
{
	for (size_t i = 0; i < f->n_modules; i++)
		if (strcmp(f->modules[i].name, name) == 0)
			return &f->modules[i];
	return NULL;
}

const struct vd_sysctl *vd_facts_sysctl(const struct vd_facts *f,
					const char *key)
{
	for (size_t i = f->n_sysctls; i-- > 0;)
		if (strcmp(f->sysctls[i].key, key) == 0)
			return &f->sysctls[i];
	return NULL;
}

static int cmp_int(long long a, long long b)
{
	return (a > b) - (a < b);
}

static int cmp_link(const void *a, const void *b)
{
	const struct vd_link *x = a, *y = b;

	return cmp_int(x->ifindex, y->ifindex);
}

static int cmp_ip(const struct vd_ip *a, const struct vd_ip *b)
{
	int c = cmp_int(a->family, b->family);

	return c ? c : memcmp(a->b, b->b, sizeof(a->b));
}

static int cmp_addr(const void *a, const void *b)
{
	const struct vd_addr *x = a, *y = b;
	int c = cmp_int(x->ifindex, y->ifindex);

	if (!c)
		c = cmp_int(x->ip.family, y->ip.family);
	if (!c)
		c = cmp_int(x->flags & VD_IFA_F_SECONDARY,
			    y->flags & VD_IFA_F_SECONDARY);
	return c ? c : cmp_ip(&x->ip, &y->ip);
}

static int cmp_route(const void *a, const void *b)
{
	const struct vd_route *x = a, *y = b;
	int c = cmp_int(x->dst.family, y->dst.family);

	if (!c)
		c = cmp_int(x->table, y->table);
	if (!c)
		c = cmp_ip(&x->dst, &y->dst);
	if (!c)
		c = cmp_int(x->dst_len, y->dst_len);
	if (!c)
		c = cmp_int(x->metric, y->metric);
	if (!c)
		c = cmp_int(x->type, y->type);
	if (!c)
		c = cmp_int(x->oif, y->oif);
	return c ? c : cmp_ip(&x->gateway, &y->gateway);
}

static int cmp_rule(const void *a, const void *b)
{
	const struct vd_rule *x = a, *y = b;
	int c = cmp_int(x->family, y->family);

	if (!c)
		c = cmp_int(x->priority, y->priority);
	if (!c)
		c = cmp_int(x->table, y->table);
	if (!c)
		c = cmp_int(x->action, y->action);
	if (!c)
		c = cmp_int(x->dst_len, y->dst_len);
	if (!c)
		c = cmp_ip(&x->dst, &y->dst);
	if (!c)
		c = cmp_int(x->src_len, y->src_len);
	if (!c)
		c = cmp_ip(&x->src, &y->src);
	if (!c)
		c = cmp_int(x->fwmark, y->fwmark);
	if (!c)
		c = strcmp(x->iif, y->iif);
	return c ? c : strcmp(x->oif, y->oif);
}

static int cmp_neigh(const void *a, const void *b)
{
	const struct vd_neigh *x = a, *y = b;
	int c = cmp_int(x->ifindex, y->ifindex);

	return c ? c : cmp_ip(&x->ip, &y->ip);
}

static int cmp_socket(const void *a, const void *b)
{
	const struct vd_socket *x = a, *y = b;
	int c = cmp_int(x->proto, y->proto);

	if (!c)
		c = cmp_int(x->port, y->port);
	if (!c)
		c = cmp_ip(&x->local, &y->local);
	return c ? c : cmp_int((long long)x->inode, (long long)y->inode);
}

static int cmp_proc(const void *a, const void *b)
{
	const struct vd_process *x = a, *y = b;

	return cmp_int(x->pid, y->pid);
}

static int cmp_module(const void *a, const void *b)
{
	const struct vd_module *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/*
 * Canonical order, so that a snapshot written and read back, or two
 * collections of the same state, compare equal.  Sysctls keep file order:
 * later settings override earlier ones.
 */
void vd_facts_sort(struct vd_facts *f)
{
#define SORT(field, cmp)      \
	if (f->n_##field > 1) \
	qsort(f->field, f->n_##field, sizeof(*f->field), cmp)
	SORT(links, cmp_link);
	SORT(addrs, cmp_addr);
	SORT(routes, cmp_route);
	SORT(rules, cmp_rule);
	SORT(neighs, cmp_neigh);
	SORT(sockets, cmp_socket);
	SORT(procs, cmp_proc);
	SORT(modules, cmp_module);
#undef SORT
}
