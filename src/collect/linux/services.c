/* SPDX-License-Identifier: MIT */
/*
 * Units of interest and NetworkManager.  On the live system (no sysroot)
 * systemd and NetworkManager are asked over the system bus (sd-bus; the
 * bus address follows DBUS_SYSTEM_BUS_ADDRESS, which the tests set); what
 * the bus does not answer comes from files: unit files and their
 * .wants/ links, NetworkManager.conf, conf.d/ and udev rules.  Nothing
 * here fails a collection except -ENOMEM.
 */
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "collect/linux/linux.h"
#include "collect/nmconf.h"

#define SD_DEST	   "org.freedesktop.systemd1"
#define SD_PATH	   "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT	   "org.freedesktop.systemd1.Unit"
#define NM_DEST	   "org.freedesktop.NetworkManager"
#define NM_PATH	   "/org/freedesktop/NetworkManager"
#define NM_DEVICE  "org.freedesktop.NetworkManager.Device"

/* A D-Bus answer that does not come within this is not waited for. */
#define BUS_TIMEOUT_USEC (2 * 1000 * 1000)

/* ---- over D-Bus --------------------------------------------------------- */

static void prop_into(sd_bus *bus, const char *dest, const char *path,
		      const char *iface, const char *name, char *buf,
		      size_t len)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	char *s = NULL;

	if (sd_bus_get_property_string(bus, dest, path, iface, name, &e, &s) >=
		    0 &&
	    s)
		vd_text_copy(buf, len, (const uint8_t *)s, strlen(s));
	free(s);
	sd_bus_error_free(&e);
}

/* The object path of a unit (GetUnit, else LoadUnit); 0, -ENOENT when
 * systemd is not on the bus, or another -errno. */
static int unit_path(sd_bus *bus, const char *name, char **path)
{
	static const char *const methods[] = { "GetUnit", "LoadUnit" };
	int rc = -EIO;

	for (size_t m = 0; m < 2; m++) {
		sd_bus_error e = SD_BUS_ERROR_NULL;
		sd_bus_message *reply = NULL;
		const char *p;

		rc = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER,
					methods[m], &e, &reply, "s", name);
		if (rc >= 0) {
			rc = sd_bus_message_read(reply, "o", &p);
			if (rc >= 0)
				rc = (*path = strdup(p)) ? 0 : -ENOMEM;
		} else if (sd_bus_error_has_name(&e,
						 "org.freedesktop.DBus.Error."
						 "ServiceUnknown") ||
			   sd_bus_error_has_name(&e,
						 "org.freedesktop.DBus.Error."
						 "NameHasNoOwner")) {
			rc = -ENOENT;
			m = 2;
		}
		sd_bus_message_unref(reply);
		sd_bus_error_free(&e);
		if (rc >= 0 || rc == -ENOMEM)
			break;
	}
	return rc;
}

/* 0: every unit came from systemd; -ENOENT: systemd is not on the bus. */
static int units_dbus(sd_bus *bus, struct vd_services *s)
{
	for (const char *const *n = vd_units_of_interest; *n; n++) {
		struct vd_unit *u;
		char *path = NULL;
		int rc = unit_path(bus, *n, &path);

		if (rc == -ENOENT || rc == -ENOMEM)
			return rc;
		if (rc < 0)
			continue; /* left to the files */
		if (!(u = VD_PUSH(s, units))) {
			free(path);
			return -ENOMEM;
		}
		snprintf(u->name, sizeof(u->name), "%s", *n);
		u->from = VD_SVC_DBUS;
		prop_into(bus, SD_DEST, path, SD_UNIT, "LoadState", u->load,
			  sizeof(u->load));
		prop_into(bus, SD_DEST, path, SD_UNIT, "ActiveState", u->active,
			  sizeof(u->active));
		prop_into(bus, SD_DEST, path, SD_UNIT, "SubState", u->sub,
			  sizeof(u->sub));
		prop_into(bus, SD_DEST, path, SD_UNIT, "UnitFileState",
			  u->file_state, sizeof(u->file_state));
		free(path);
	}
	return 0;
}

/* Is the name owned?  Asking the bus does not start (activate) it. */
static int has_owner(sd_bus *bus, const char *name)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int yes = 0, rc;

	rc = sd_bus_call_method(bus, "org.freedesktop.DBus",
				"/org/freedesktop/DBus", "org.freedesktop.DBus",
				"NameHasOwner", &e, &reply, "s", name);
	if (rc >= 0)
		rc = sd_bus_message_read(reply, "b", &yes);
	sd_bus_message_unref(reply);
	sd_bus_error_free(&e);
	return rc < 0 ? rc : yes;
}

static int nm_device(sd_bus *bus, const char *path, struct vd_nm *nm)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	struct vd_nm_device *d = VD_PUSH(nm, devices);
	int managed = 0;
	uint32_t state = 0;

	if (!d)
		return -ENOMEM;
	d->from = VD_SVC_DBUS;
	d->managed = VD_UNKNOWN;
	prop_into(bus, NM_DEST, path, NM_DEVICE, "Interface", d->ifname,
		  sizeof(d->ifname));
	if (sd_bus_get_property_trivial(bus, NM_DEST, path, NM_DEVICE,
					"Managed", &e, 'b', &managed) >= 0)
		d->managed = managed ? VD_YES : VD_NO;
	sd_bus_error_free(&e);
	if (sd_bus_get_property_trivial(bus, NM_DEST, path, NM_DEVICE, "State",
					&e, 'u', &state) >= 0)
		d->state = state;
	sd_bus_error_free(&e);
	if (!d->ifname[0])
		nm->n_devices--; /* not a device after all */
	return 0;
}

static int nm_dbus(sd_bus *bus, struct vd_nm *nm)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *path;
	int rc = has_owner(bus, NM_DEST);

	if (rc < 0)
		return rc;
	nm->from = VD_SVC_DBUS;
	nm->running = rc ? VD_YES : VD_NO;
	if (!rc)
		return 0;
	prop_into(bus, NM_DEST, NM_PATH, NM_DEST, "Version", nm->version,
		  sizeof(nm->version));
	rc = sd_bus_call_method(bus, NM_DEST, NM_PATH, NM_DEST, "GetDevices",
				&e, &reply, "");
	if (rc >= 0)
		rc = sd_bus_message_enter_container(reply, 'a', "o");
	while (rc >= 0 && (rc = sd_bus_message_read(reply, "o", &path)) > 0)
		if (nm_device(bus, path, nm) == -ENOMEM)
			rc = -ENOMEM;
	sd_bus_message_unref(reply);
	sd_bus_error_free(&e);
	return rc == -ENOMEM ? rc : 0;
}

/* ---- from files --------------------------------------------------------- */

static const char *const unit_dirs[] = {
	"etc/systemd/system",
	"run/systemd/system",
	"usr/lib/systemd/system",
	"lib/systemd/system",
	NULL,
};

static bool exists_under(const struct vd_root *root, const char *dir,
			 const char *name, bool *to_null)
{
	struct stat st;
	char target[16];
	int fd = vd_open_under(root, dir, O_RDONLY | O_DIRECTORY);
	ssize_t n;
	bool yes;

	if (fd < 0)
		return false;
	yes = fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (yes && to_null && S_ISLNK(st.st_mode)) {
		n = readlinkat(fd, name, target, sizeof(target) - 1);
		*to_null = n == 9 && memcmp(target, "/dev/null", 9) == 0;
	}
	close(fd);
	return yes;
}

/* Is there a NAME link in some etc/systemd/system/X.wants/ (or .requires)? */
static bool wanted(const struct vd_root *root, const char *name)
{
	int fd = vd_open_under(root, "etc/systemd/system",
			       O_RDONLY | O_DIRECTORY);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	bool yes = false;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (!yes && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		struct stat st;
		int sub;

		if (!((n > 6 && strcmp(de->d_name + n - 6, ".wants") == 0) ||
		      (n > 9 && strcmp(de->d_name + n - 9, ".requires") == 0)))
			continue;
		sub = openat(dirfd(d), de->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		if (sub < 0)
			continue;
		yes = fstatat(sub, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
		close(sub);
	}
	closedir(d);
	return yes;
}

static int units_files(const struct vd_root *root, struct vd_services *s)
{
	for (const char *const *n = vd_units_of_interest; *n; n++) {
		struct vd_unit *u;
		bool found = false, masked = false;

		if (vd_services_unit(s, *n))
			continue; /* systemd answered */
		if (!(u = VD_PUSH(s, units)))
			return -ENOMEM;
		snprintf(u->name, sizeof(u->name), "%s", *n);
		u->from = VD_SVC_FILES;
		for (const char *const *d = unit_dirs; *d && !found; d++)
			found = exists_under(root, *d, *n,
					     d == unit_dirs ? &masked : NULL);
		if (!found)
			snprintf(u->load, sizeof(u->load), "not-found");
		else if (masked)
			snprintf(u->file_state, sizeof(u->file_state),
				 "masked");
		else
			snprintf(u->file_state, sizeof(u->file_state), "%s",
				 wanted(root, *n) ? "enabled" : "disabled");
	}
	return 0;
}

/* By file name alone: the directories are one ordered set. */
static int cmp_str_base(const void *a, const void *b)
{
	return strcmp(strrchr(*(char *const *)a, '/') + 1,
		      strrchr(*(char *const *)b, '/') + 1);
}

/*
 * The files named *suffix in dirs, by name; a name in a later directory
 * replaces the same name in an earlier one (etc/ over usr/lib/).  Each is
 * "dir/name" in the returned array (NULL terminated, caller frees).
 */
static char **files_in(const struct vd_root *root, const char *const *dirs,
		       const char *suffix)
{
	char **v = NULL;
	size_t n = 0, cap = 0, sl = strlen(suffix);

	for (const char *const *dir = dirs; *dir; dir++) {
		int fd = vd_open_under(root, *dir, O_RDONLY | O_DIRECTORY);
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		struct dirent *de;

		if (!d) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		while ((de = readdir(d))) {
			size_t l = strlen(de->d_name), i;
			char *p;

			if (l <= sl || de->d_name[0] == '.' ||
			    strcmp(de->d_name + l - sl, suffix) != 0)
				continue;
			if (asprintf(&p, "%s/%s", *dir, de->d_name) < 0)
				goto oom;
			for (i = 0; i < n; i++)
				if (strcmp(strrchr(v[i], '/') + 1,
					   de->d_name) == 0)
					break;
			if (i < n) {
				free(v[i]);
				v[i] = p;
				continue;
			}
			if (n + 2 > cap) {
				char **nv =
					realloc(v, (cap = cap ? cap * 2 : 16) *
							   sizeof(*v));

				if (!nv) {
					free(p);
					goto oom;
				}
				v = nv;
			}
			v[n++] = p;
			v[n] = NULL;
		}
		closedir(d);
		continue;
	oom:
		closedir(d);
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return NULL;
	}
	if (!v)
		v = calloc(1, sizeof(*v));
	else
		qsort(v, n, sizeof(*v), cmp_str_base);
	return v;
}

static int read_one(const struct vd_root *root, const char *rel,
		    struct vd_nm *nm, bool udev)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char shown[PATH_MAX + 1], err[256];
	char **slot;
	int rc;

	if (vd_read_under(root, rel, &buf, &len) < 0)
		return 0;
	snprintf(shown, sizeof(shown), "/%s", rel);
	rc = udev ? vd_parse_nm_udev(buf, len, shown, nm, err, sizeof(err))
		  : vd_parse_nm_conf(buf, len, shown, nm, err, sizeof(err));
	free(buf);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0)
		return 0; /* not its format: as if absent */
	if (!(slot = VD_PUSH(nm, files)) || !(*slot = strdup(shown)))
		return -ENOMEM;
	return 0;
}

static const char *const nm_conf_dirs[] = {
	"usr/lib/NetworkManager/conf.d",
	"run/NetworkManager/conf.d",
	"etc/NetworkManager/conf.d",
	NULL,
};
static const char *const udev_dirs[] = {
	"lib/udev/rules.d",
	"usr/lib/udev/rules.d",
	"run/udev/rules.d",
	"etc/udev/rules.d",
	NULL,
};

static int nm_files(const struct vd_root *root, struct vd_nm *nm)
{
	char **conf = NULL, **rules = NULL;
	int rc = -ENOMEM;

	nm->from = VD_SVC_FILES;
	nm->running = VD_UNKNOWN;
	conf = files_in(root, nm_conf_dirs, ".conf");
	rules = files_in(root, udev_dirs, ".rules");
	if (!conf || !rules)
		goto out;
	rc = read_one(root, "etc/NetworkManager/NetworkManager.conf", nm,
		      false);
	for (size_t i = 0; rc == 0 && conf[i]; i++)
		rc = read_one(root, conf[i], nm, false);
	for (size_t i = 0; rc == 0 && rules[i]; i++) {
		size_t before = nm->n_unmanaged;

		rc = read_one(root, rules[i], nm, true);
		/* only the rules files that say something are listed */
		if (rc == 0 && nm->n_unmanaged == before && nm->n_files &&
		    strcmp(nm->files[nm->n_files - 1] + 1, rules[i]) == 0)
			free(nm->files[--nm->n_files]);
	}
out:
	for (size_t i = 0; conf && conf[i]; i++)
		free(conf[i]);
	for (size_t i = 0; rules && rules[i]; i++)
		free(rules[i]);
	free(conf);
	free(rules);
	return rc;
}

int vd_linux_services(struct vd_facts *f)
{
	struct vd_services *s = &f->services;
	struct vd_root root;
	sd_bus *bus = NULL;
	int rc = 0;

	/* A sysroot is another system: its bus is not this one. */
	if (!f->sysroot && sd_bus_open_system(&bus) >= 0) {
		(void)sd_bus_set_method_call_timeout(bus, BUS_TIMEOUT_USEC);
		rc = units_dbus(bus, s);
		if (rc != -ENOMEM)
			rc = nm_dbus(bus, &s->nm);
		if (rc != -ENOMEM)
			rc = 0;
		sd_bus_flush_close_unref(bus);
		if (rc < 0)
			return rc;
	}
	if (vd_root_open(&root, f->sysroot) < 0)
		return 0;
	rc = units_files(&root, s);
	if (rc == 0 && s->nm.from != VD_SVC_DBUS)
		rc = nm_files(&root, &s->nm);
	vd_root_close(&root);
	return rc == -ENOMEM ? rc : 0;
}
