/* SPDX-License-Identifier: MIT */
/* vnetdiag diff: what changed between two backups or snapshots. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "facts/diff.h"
#include "facts/snapshot.h"

#define DIFF_SCHEMA  "vnetdiag.diff/1"
#define SNAPSHOT_MAX ((size_t)256 << 20)

static const char usage[] =
	"usage: vnetdiag diff [--json] A B\n"
	"\n"
	"Say what changed from A to B in network terms, one line per change:\n"
	"vmnets, port forwards, NAT and DHCP settings, reservations, bridge\n"
	"mappings, VMs' network cards and the host adapters.  A and B are\n"
	"each a backup folder (vnetdiag backup; its snapshot.json is read) or\n"
	"a snapshot file (vnetdiag collect).  Items are matched by what they\n"
	"are, not where they stand: a reordered file is no change.\n"
	"\n"
	"options:\n"
	"  -j, --json          {\"schema\": \"" DIFF_SCHEMA "\", \"changes\": "
	"[...]}\n"
	"  -h, --help          this help\n"
	"\n"
	"exit status: 0 no difference, 1 differences, 3 unreadable input.\n";

/* The facts of a backup folder or a snapshot file; -1 after saying why. */
static int load(const char *arg, struct vd_facts **out)
{
	char path[4096], err[512];
	struct stat st;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (strcmp(arg, "-") != 0 && stat(arg, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		if (snprintf(path, sizeof(path), "%s/snapshot.json", arg) >=
		    (int)sizeof(path)) {
			vd_error("diff: cannot read %s: path too long", arg);
			return -1;
		}
	} else {
		snprintf(path, sizeof(path), "%s", arg);
	}
	if (vd_read_input(path, SNAPSHOT_MAX, &buf, &len) < 0)
		return -1;
	rc = vd_snapshot_parse(buf, len, out, err, sizeof(err));
	free(buf);
	if (rc < 0) {
		vd_error("diff: %s: %s", path, err);
		return -1;
	}
	return 0;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int print_json(const struct vd_changes *c)
{
	json_t *root = json_object(), *arr = json_array();
	char *text = NULL;
	int rc = -1;

	if (!root || !arr)
		goto out;
	json_object_set_new(root, "schema", json_string(DIFF_SCHEMA));
	json_object_set(root, "changes", arr);
	for (size_t i = 0; i < c->n_items; i++) {
		const struct vd_change *ch = &c->items[i];
		json_t *o = json_pack("{s:s, s:o, s:o, s:s}", "what", ch->what,
				      "from", str_or_null(ch->from), "to",
				      str_or_null(ch->to), "text", ch->text);

		if (!o || json_array_append_new(arr, o) < 0)
			goto out;
	}
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text && printf("%s\n", text) >= 0)
		rc = 0;
out:
	free(text);
	json_decref(arr);
	json_decref(root);
	return rc;
}

int cmd_diff(int argc, char **argv)
{
	struct vd_facts *a = NULL, *b = NULL;
	struct vd_changes changes = { 0 };
	struct vd_cli cli;
	int rc;

	rc = vd_cli_parse("diff", argc, argv, VD_OPT_JSON, usage, &cli);
	if (rc)
		return rc > 0 ? VD_EXIT_OK : VD_EXIT_UNKNOWN;
	if (cli.n_args != 2) {
		vd_error("diff: %s; see 'vnetdiag diff --help'",
			 cli.n_args < 2 ? "two backups or snapshots to compare "
					  "are needed (A B)"
					: "more than two arguments");
		return VD_EXIT_UNKNOWN;
	}
	rc = VD_EXIT_UNKNOWN;
	if (load(cli.args[0], &a) < 0 || load(cli.args[1], &b) < 0)
		goto out;
	if (vd_diff(a, b, &changes) < 0) {
		vd_error("diff: out of memory");
		goto out;
	}
	if (cli.json) {
		if (print_json(&changes) < 0) {
			vd_error("diff: out of memory");
			goto out;
		}
	} else {
		for (size_t i = 0; i < changes.n_items; i++)
			printf("%s\n", changes.items[i].text);
	}
	rc = changes.n_items ? 1 : 0;
out:
	vd_changes_free(&changes);
	vd_facts_free(a);
	vd_facts_free(b);
	return rc;
}
