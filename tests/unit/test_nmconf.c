/* SPDX-License-Identifier: MIT */
/*
 * NetworkManager's configuration parsers, device spec matching and the
 * services part of the snapshot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collect/nmconf.h"
#include "facts/facts.h"
#include "facts/snapshot.h"

#define B(s) ((const uint8_t *)(s)), (sizeof(s) - 1)
/* A string and its length. */
#define S(s) (s), (sizeof(s) - 1)

static int setup_nm(void **state)
{
	struct vd_services *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	vd_services_init(s);
	*state = s;
	return 0;
}

static int teardown_nm(void **state)
{
	vd_services_free(*state);
	free(*state);
	return 0;
}

/* Does the configuration leave the device alone?  VD_UNKNOWN if any
 * statement cannot say. */
static int unmanaged(const struct vd_nm *nm, const char *ifname,
		     const char *mac, const char *driver)
{
	struct vd_nm_match m = { ifname, mac, driver };
	int r = VD_NO;

	for (size_t i = 0; i < nm->n_unmanaged; i++) {
		int x = vd_nm_unmanage_matches(&nm->unmanaged[i], &m);

		if (x == VD_YES)
			return VD_YES;
		if (x == VD_UNKNOWN)
			r = VD_UNKNOWN;
	}
	return r;
}

static void test_keyfile(void **state)
{
	struct vd_nm *nm = &((struct vd_services *)*state)->nm;
	char err[128];

	assert_int_equal(
		vd_parse_nm_conf(B("# Debian's\n[main]\nplugins=ifupdown,"
				   "keyfile\n\n[keyfile]\r\nunmanaged-devices"
				   " = interface-name:vmnet*;interface-name:"
				   "=virbr0\n[ifupdown]\nmanaged=false\n"),
				 "/etc/NetworkManager/NetworkManager.conf", nm,
				 err, sizeof(err)),
		0);
	assert_int_equal(nm->n_unmanaged, 1);
	assert_int_equal(nm->unmanaged[0].src, VD_NM_KEYFILE);
	assert_int_equal(nm->unmanaged[0].line, 6);
	assert_string_equal(nm->unmanaged[0].specs,
			    "interface-name:vmnet*;interface-name:=virbr0");
	assert_int_equal(unmanaged(nm, "vmnet8", NULL, NULL), VD_YES);
	assert_int_equal(unmanaged(nm, "virbr0", NULL, NULL), VD_YES);
	assert_int_equal(unmanaged(nm, "virbr1", NULL, NULL), VD_NO);
	assert_int_equal(unmanaged(nm, "vboxnet0", NULL, NULL), VD_NO);
}

/* A later file's plain key replaces the value; "+=" adds to it. */
static void test_conf_d_order(void **state)
{
	struct vd_nm *nm = &((struct vd_services *)*state)->nm;
	char err[128];

	assert_int_equal(vd_parse_nm_conf(B("[keyfile]\nunmanaged-devices="
					    "interface-name:vmnet*\n"),
					  "a.conf", nm, err, sizeof(err)),
			 0);
	assert_int_equal(vd_parse_nm_conf(B("[keyfile]\nunmanaged-devices="
					    "interface-name:virbr*\n"),
					  "b.conf", nm, err, sizeof(err)),
			 0);
	assert_int_equal(unmanaged(nm, "vmnet8", NULL, NULL), VD_NO);
	assert_int_equal(unmanaged(nm, "virbr0", NULL, NULL), VD_YES);
	assert_int_equal(vd_parse_nm_conf(B("[keyfile]\nunmanaged-devices+="
					    "interface-name:vboxnet*\n"),
					  "c.conf", nm, err, sizeof(err)),
			 0);
	assert_int_equal(unmanaged(nm, "vboxnet0", NULL, NULL), VD_YES);
	assert_int_equal(unmanaged(nm, "virbr0", NULL, NULL), VD_YES);
	assert_int_equal(nm->n_unmanaged, 2);
}

static void test_device_sections(void **state)
{
	struct vd_nm *nm = &((struct vd_services *)*state)->nm;
	char err[128];

	assert_int_equal(
		vd_parse_nm_conf(B("[device-vmware]\nmatch-device=interface-"
				   "name:vmnet*\nmanaged=0\n"
				   "[device-eth]\nmatch-device=interface-name:"
				   "eth*\nmanaged=true\n"
				   "[device]\nmatch-device=mac:00:50:56:C0:00:"
				   "01\nmanaged=false\n"),
				 "x.conf", nm, err, sizeof(err)),
		0);
	assert_int_equal(nm->n_unmanaged, 2);
	assert_int_equal(nm->unmanaged[0].src, VD_NM_DEVICE);
	assert_int_equal(nm->unmanaged[0].line, 3);
	assert_int_equal(unmanaged(nm, "vmnet8", NULL, NULL), VD_YES);
	assert_int_equal(unmanaged(nm, "eth0", "00:11:22:33:44:55", NULL),
			 VD_NO);
	/* MACs compare without case */
	assert_int_equal(unmanaged(nm, "vmnet1", "00:50:56:c0:00:01", NULL),
			 VD_YES);
	/* a MAC spec and no MAC known: cannot tell */
	assert_int_equal(unmanaged(nm, "eth0", NULL, NULL), VD_UNKNOWN);
}

static void test_spec_semantics(void **state)
{
	struct vd_nm *nm = &((struct vd_services *)*state)->nm;
	struct vd_nm_match m = { "vmnet8", NULL, NULL };

	assert_int_equal(vd_nm_add_unmanage(nm, VD_NM_KEYFILE,
					    S("except:interface-name:eth0"),
					    "f", 1),
			 0);
	/* only except: specs: every other device matches */
	assert_int_equal(vd_nm_unmanage_matches(&nm->unmanaged[0], &m), VD_YES);
	m.ifname = "eth0";
	assert_int_equal(vd_nm_unmanage_matches(&nm->unmanaged[0], &m), VD_NO);
	assert_int_equal(vd_nm_add_unmanage(nm, VD_NM_KEYFILE,
					    S("*,except:interface-name:vm?et8"),
					    "f", 2),
			 0);
	m.ifname = "vmnet8";
	assert_int_equal(vd_nm_unmanage_matches(&nm->unmanaged[1], &m), VD_NO);
	m.ifname = "virbr0";
	assert_int_equal(vd_nm_unmanage_matches(&nm->unmanaged[1], &m), VD_YES);
	assert_int_equal(
		vd_nm_add_unmanage(nm, VD_NM_KEYFILE, S("type:bridge"), "f", 3),
		0);
	assert_int_equal(vd_nm_unmanage_matches(&nm->unmanaged[2], &m),
			 VD_UNKNOWN);
	/* an empty list matches nothing */
	assert_int_equal(vd_nm_add_unmanage(nm, VD_NM_KEYFILE, S(""), "f", 4),
			 0);
	assert_int_equal(vd_nm_unmanage_matches(&nm->unmanaged[3], &m), VD_NO);
}

static void test_udev(void **state)
{
	struct vd_nm *nm = &((struct vd_services *)*state)->nm;
	char err[128];

	assert_int_equal(
		vd_parse_nm_udev(
			B("SUBSYSTEM!=\"net\", GOTO=\"nm_unmanaged_end\"\n"
			  "# VMware\n"
			  "ATTR{address}==\"00:50:56:c0:00:08\", "
			  "ENV{NM_UNMANAGED}=\"1\"\n"
			  "ENV{DEVTYPE}==\"gadget\", ENV{NM_UNMANAGED}=\"1\"\n"
			  "ENV{ID_NET_DRIVER}==\"veth\", "
			  "ENV{NM_UNMANAGED}=\"1\"\n"
			  "SUBSYSTEM==\"net\", KERNEL==\"vmnet*|vboxnet*\", "
			  "ENV{NM_UNMANAGED}=\"1\"\n"
			  "KERNEL==\"virbr*\", ENV{NM_UNMANAGED}=\"0\"\n"),
			"/lib/udev/rules.d/85-nm-unmanaged.rules", nm, err,
			sizeof(err)),
		0);
	assert_int_equal(nm->n_unmanaged, 3);
	assert_string_equal(nm->unmanaged[0].specs, "mac:00:50:56:c0:00:08");
	assert_int_equal(nm->unmanaged[0].line, 3);
	assert_string_equal(nm->unmanaged[1].specs, "driver:veth");
	assert_string_equal(nm->unmanaged[2].specs,
			    "interface-name:vmnet*|vboxnet*");
	assert_int_equal(
		unmanaged(nm, "vboxnet0", "0a:00:27:00:00:00", "bridge"),
		VD_YES);
	assert_int_equal(unmanaged(nm, "virbr0", "52:54:00:00:00:01", "bridge"),
			 VD_NO);
	assert_int_equal(unmanaged(nm, "lab0", "02:00:00:00:00:01", "veth"),
			 VD_YES);
	/* the driver is not known: the veth line cannot say */
	assert_int_equal(unmanaged(nm, "virbr0", "52:54:00:00:00:01", NULL),
			 VD_UNKNOWN);
}

/* All or nothing: a file that is not the format changes nothing. */
static void test_refused(void **state)
{
	struct vd_nm *nm = &((struct vd_services *)*state)->nm;
	char err[128] = "";

	assert_int_equal(vd_parse_nm_conf(B("[keyfile]\nunmanaged-devices="
					    "interface-name:vmnet*\nnot a "
					    "key\n"),
					  "bad.conf", nm, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "bad.conf:3: neither a [section] nor a "
				 "key=value line");
	assert_int_equal(nm->n_unmanaged, 0);
	assert_int_equal(vd_parse_nm_conf(B("[keyfile\n"), "b.conf", nm, err,
					  sizeof(err)),
			 -EINVAL);
	assert_int_equal(vd_parse_nm_udev(B("KERNEL==\"x\", ENV{NM_UNMANAGED}"
					    "=\"1\"\n\x01\x02"),
					  "c.rules", nm, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(nm->n_unmanaged, 0);
	/* an unterminated string: udev skips the rest of the line */
	assert_int_equal(vd_parse_nm_udev(B("KERNEL==\"vmnet*, ENV{NM_"
					    "UNMANAGED}=\"1\"\n"),
					  "d.rules", nm, err, sizeof(err)),
			 0);
	assert_int_equal(nm->n_unmanaged, 0);
}

/* The services key survives a snapshot round trip; without it, unknown. */
static void test_snapshot(void **state)
{
	struct vd_facts *f = vd_facts_new(), *g = NULL;
	struct vd_unit *u;
	struct vd_nm_device *d;
	char *json = NULL, *json2 = NULL, err[256];

	(void)state;
	assert_non_null(f);
	u = VD_PUSH(&f->services, units);
	strcpy(u->name, "vmware-networks.service");
	strcpy(u->load, "loaded");
	strcpy(u->active, "failed");
	strcpy(u->sub, "failed");
	strcpy(u->file_state, "enabled");
	u->from = VD_SVC_DBUS;
	f->services.nm.from = VD_SVC_DBUS;
	f->services.nm.running = VD_YES;
	strcpy(f->services.nm.version, "1.42.4");
	d = VD_PUSH(&f->services.nm, devices);
	strcpy(d->ifname, "vmnet8");
	d->managed = VD_YES;
	d->state = 100;
	d->from = VD_SVC_DBUS;
	assert_int_equal(vd_nm_add_unmanage(&f->services.nm, VD_NM_UDEV,
					    S("interface-name:virbr*"),
					    "/etc/udev/rules.d/x.rules", 7),
			 0);
	assert_int_equal(vd_snapshot_dump(f, &json), 0);
	assert_int_equal(vd_snapshot_parse((const uint8_t *)json, strlen(json),
					   &g, err, sizeof(err)),
			 0);
	assert_int_equal(g->services.n_units, 1);
	assert_string_equal(g->services.units[0].active, "failed");
	assert_int_equal(g->services.nm.running, VD_YES);
	assert_int_equal(g->services.nm.devices[0].managed, VD_YES);
	assert_int_equal(g->services.nm.devices[0].state, 100);
	assert_string_equal(g->services.nm.unmanaged[0].file,
			    "/etc/udev/rules.d/x.rules");
	assert_int_equal(vd_snapshot_dump(g, &json2), 0);
	assert_string_equal(json, json2);
	vd_facts_free(g);
	g = NULL;
	free(json2);

	/* wrong shapes are refused with the path */
	const char *bad = "{\"schema\":\"vnetdiag.snapshot/1\",\"services\":"
			  "{\"units\":[{\"name\":\"x\",\"from\":\"ftp\"}]}}";
	assert_int_equal(vd_snapshot_parse((const uint8_t *)bad, strlen(bad),
					   &g, err, sizeof(err)),
			 -EPROTO);
	assert_string_equal(err, "services.units[0].from: unknown value");
	bad = "{\"schema\":\"vnetdiag.snapshot/1\",\"services\":{\"network"
	      "manager\":{\"from\":\"dbus\",\"devices\":[{\"ifname\":\"a\","
	      "\"state\":-1}]}}}";
	assert_int_equal(vd_snapshot_parse((const uint8_t *)bad, strlen(bad),
					   &g, err, sizeof(err)),
			 -EPROTO);
	/* an old snapshot: nothing known */
	bad = "{\"schema\":\"vnetdiag.snapshot/1\"}";
	assert_int_equal(vd_snapshot_parse((const uint8_t *)bad, strlen(bad),
					   &g, err, sizeof(err)),
			 0);
	assert_int_equal(g->services.n_units, 0);
	assert_int_equal(g->services.nm.from, VD_SVC_UNKNOWN);
	assert_int_equal(g->services.nm.running, VD_UNKNOWN);
	vd_facts_free(g);
	vd_facts_free(f);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keyfile, setup_nm,
						teardown_nm),
		cmocka_unit_test_setup_teardown(test_conf_d_order, setup_nm,
						teardown_nm),
		cmocka_unit_test_setup_teardown(test_device_sections, setup_nm,
						teardown_nm),
		cmocka_unit_test_setup_teardown(test_spec_semantics, setup_nm,
						teardown_nm),
		cmocka_unit_test_setup_teardown(test_udev, setup_nm,
						teardown_nm),
		cmocka_unit_test_setup_teardown(test_refused, setup_nm,
						teardown_nm),
		cmocka_unit_test(test_snapshot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
