/* SPDX-License-Identifier: MIT */
/* vnetdiag list-checks: every finding code. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cmd/cmd.h"
#include "util/strbuf.h"

static const char usage[] =
	"usage: vnetdiag list-checks [--json]\n"
	"\n"
	"Every finding code with its layer, default severity, whether this\n"
	"build detects it (else the release that brings it), and its "
	"meaning.\n";

static char *as_json(void)
{
	json_t *arr = json_array();
	char *s;

	for (size_t i = 0; arr && i < vd_catalog_len; i++) {
		const struct vd_check *c = &vd_catalog[i];

		json_array_append_new(
			arr,
			json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "code",
				  c->code, "layer", vd_layer_name(c->layer),
				  "severity", vd_severity_name(c->severity),
				  "implemented", c->implemented, "release",
				  c->release, "sources", c->sources, "summary",
				  c->summary));
	}
	s = arr ? json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(arr);
	return s;
}

static char *as_text(void)
{
	struct vd_strbuf sb = { 0 };
	size_t done = 0;

	vd_sb_printf(&sb, "%-34s %-5s %-9s %-12s %s\n", "CODE", "LAYER",
		     "SEVERITY", "STATUS", "MEANING");
	for (size_t i = 0; i < vd_catalog_len; i++) {
		const struct vd_check *c = &vd_catalog[i];
		char status[32];

		if (c->implemented)
			snprintf(status, sizeof(status), "detected");
		else
			snprintf(status, sizeof(status), "planned %s",
				 c->release);
		done += c->implemented != 0;
		vd_sb_printf(&sb, "%-34s %-5s %-9s %-12s %s\n", c->code,
			     vd_layer_name(c->layer),
			     vd_severity_name(c->severity), status, c->summary);
	}
	vd_sb_printf(&sb, "\n%zu codes, %zu detected by vnetdiag %s\n",
		     vd_catalog_len, done, VD_VERSION);
	return vd_sb_take(&sb);
}

int cmd_list_checks(int argc, char **argv)
{
	struct vd_cli cli;
	char *s;
	int rc;

	rc = vd_cli_parse("list-checks", argc, argv, VD_OPT_JSON, usage, &cli);
	if (rc)
		return rc > 0 ? VD_EXIT_OK : VD_EXIT_UNKNOWN;
	if (cli.n_args) {
		vd_error("list-checks: unexpected argument '%s'", cli.args[0]);
		return VD_EXIT_UNKNOWN;
	}
	s = cli.json ? as_json() : as_text();
	if (!s) {
		vd_error("list-checks: out of memory");
		return VD_EXIT_UNKNOWN;
	}
	rc = vd_write_output("-", s, strlen(s)) ||
			     (cli.json && vd_write_output("-", "\n", 1))
		     ? VD_EXIT_UNKNOWN
		     : VD_EXIT_OK;
	free(s);
	return rc;
}
