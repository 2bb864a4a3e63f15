/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for systemd and NetworkManager on a private bus, for the
 * D-Bus round trip test (tests/dbus/run.sh): it owns
 * org.freedesktop.systemd1 (Manager.GetUnit/LoadUnit, a few units with
 * their Unit properties) and org.freedesktop.NetworkManager (Version,
 * GetDevices, Device.Interface/Managed/State), prints "ready" once both
 * names are owned, and serves until killed.  The bus is the one
 * DBUS_SYSTEM_BUS_ADDRESS names.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-bus.h>

struct unit {
	const char *name;
	const char *path;
	const char *load, *active, *sub, *file_state;
};

static struct unit units[] = {
	{ "vmware.service", "/org/freedesktop/systemd1/unit/vmware_2eservice",
	  "loaded", "active", "exited", "enabled" },
	{ "vmware-networks.service",
	  "/org/freedesktop/systemd1/unit/vmware_2dnetworks_2eservice",
	  "loaded", "failed", "failed", "enabled" },
	{ "NetworkManager.service",
	  "/org/freedesktop/systemd1/unit/NetworkManager_2eservice", "loaded",
	  "active", "running", "enabled" },
	{ "libvirtd.service",
	  "/org/freedesktop/systemd1/unit/libvirtd_2eservice", "loaded",
	  "inactive", "dead", "disabled" },
};

/* What LoadUnit gives for any other name, as systemd does. */
static struct unit missing = {
	NULL,	     "/org/freedesktop/systemd1/unit/missing",
	"not-found", "inactive",
	"dead",	     "",
};

struct device {
	const char *path;
	const char *ifname;
	int managed;
	uint32_t state;
};

static struct device devices[] = {
	{ "/org/freedesktop/NetworkManager/Devices/1", "lo", 1, 100 },
	{ "/org/freedesktop/NetworkManager/Devices/2", "vmnet8", 1, 100 },
	{ "/org/freedesktop/NetworkManager/Devices/3", "virbr0", 0, 10 },
};

static const char *version = "1.42.4-fake";

static struct unit *find_unit(const char *name)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(units[i].name, name) == 0)
			return &units[i];
	return NULL;
}

static int get_unit(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	const char *name;
	struct unit *u;
	int rc = sd_bus_message_read(m, "s", &name);

	(void)userdata;
	if (rc < 0)
		return rc;
	u = find_unit(name);
	if (!u)
		return sd_bus_error_setf(e,
					 "org.freedesktop.systemd1.NoSuchUnit",
					 "Unit %s not loaded.", name);
	return sd_bus_reply_method_return(m, "o", u->path);
}

static int load_unit(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	const char *name;
	struct unit *u;
	int rc = sd_bus_message_read(m, "s", &name);

	(void)userdata;
	(void)e;
	if (rc < 0)
		return rc;
	u = find_unit(name);
	return sd_bus_reply_method_return(m, "o", u ? u->path : missing.path);
}

static int get_devices(sd_bus_message *m, void *userdata, sd_bus_error *e)
{
	sd_bus_message *r = NULL;
	int rc;

	(void)userdata;
	(void)e;
	rc = sd_bus_message_new_method_return(m, &r);
	if (rc >= 0)
		rc = sd_bus_message_open_container(r, 'a', "o");
	for (size_t i = 0; rc >= 0 && i < sizeof(devices) / sizeof(devices[0]);
	     i++)
		rc = sd_bus_message_append(r, "o", devices[i].path);
	if (rc >= 0)
		rc = sd_bus_message_close_container(r);
	if (rc >= 0)
		rc = sd_bus_send(NULL, r, NULL);
	sd_bus_message_unref(r);
	return rc;
}

static const sd_bus_vtable manager_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("GetUnit", "s", "o", get_unit, 0),
	SD_BUS_METHOD("LoadUnit", "s", "o", load_unit, 0),
	SD_BUS_VTABLE_END,
};

static const sd_bus_vtable unit_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Id", "s", NULL, offsetof(struct unit, name),
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("LoadState", "s", NULL, offsetof(struct unit, load),
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("ActiveState", "s", NULL, offsetof(struct unit, active),
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("SubState", "s", NULL, offsetof(struct unit, sub),
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("UnitFileState", "s", NULL,
			offsetof(struct unit, file_state),
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_VTABLE_END,
};

static const sd_bus_vtable nm_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Version", "s", NULL, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_METHOD("GetDevices", "", "ao", get_devices, 0),
	SD_BUS_VTABLE_END,
};

static const sd_bus_vtable device_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Interface", "s", NULL, offsetof(struct device, ifname),
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Managed", "b", NULL, offsetof(struct device, managed),
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("State", "u", NULL, offsetof(struct device, state),
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_VTABLE_END,
};

int main(void)
{
	sd_bus *bus = NULL;
	int rc = sd_bus_open_system(&bus);

	if (rc >= 0)
		rc = sd_bus_add_object_vtable(
			bus, NULL, "/org/freedesktop/systemd1",
			"org.freedesktop.systemd1.Manager", manager_vtable,
			NULL);
	for (size_t i = 0; rc >= 0 && i < sizeof(units) / sizeof(units[0]); i++)
		rc = sd_bus_add_object_vtable(bus, NULL, units[i].path,
					      "org.freedesktop.systemd1.Unit",
					      unit_vtable, &units[i]);
	if (rc >= 0)
		rc = sd_bus_add_object_vtable(bus, NULL, missing.path,
					      "org.freedesktop.systemd1.Unit",
					      unit_vtable, &missing);
	if (rc >= 0)
		rc = sd_bus_add_object_vtable(
			bus, NULL, "/org/freedesktop/NetworkManager",
			"org.freedesktop.NetworkManager", nm_vtable, &version);
	for (size_t i = 0; rc >= 0 && i < sizeof(devices) / sizeof(devices[0]);
	     i++)
		rc = sd_bus_add_object_vtable(
			bus, NULL, devices[i].path,
			"org.freedesktop.NetworkManager.Device", device_vtable,
			&devices[i]);
	if (rc >= 0)
		rc = sd_bus_request_name(bus, "org.freedesktop.systemd1", 0);
	if (rc >= 0)
		rc = sd_bus_request_name(bus, "org.freedesktop.NetworkManager",
					 0);
	if (rc < 0) {
		fprintf(stderr, "fake_services: %s\n", strerror(-rc));
		sd_bus_unref(bus);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		rc = sd_bus_process(bus, NULL);
		if (rc < 0)
			break;
		if (rc == 0 && sd_bus_wait(bus, UINT64_MAX) < 0)
			break;
	}
	sd_bus_unref(bus);
	return 0;
}
