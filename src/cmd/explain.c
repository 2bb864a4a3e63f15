/* SPDX-License-Identifier: MIT */
/* vnetdiag explain CODE: the long text of a finding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "cmd/cmd.h"
#include "util/strbuf.h"

static const char usage[] =
	"usage: vnetdiag explain CODE\n"
	"\n"
	"Why a finding happens, how to confirm it by hand, and how to fix it\n"
	"on Linux and on Windows.  'vnetdiag list-checks' lists the codes.\n";

/* Indent every line of a multi-line text. */
static void section(struct vd_strbuf *sb, const char *title, const char *text)
{
	const char *p = text;

	if (!text || !*text)
		return;
	vd_sb_printf(sb, "\n%s\n", title);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		vd_sb_printf(sb, "  %.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
}

int cmd_explain(int argc, char **argv)
{
	const struct vd_check *c = NULL;
	const struct vd_explain *e;
	struct vd_strbuf sb = { 0 };
	struct vd_cli cli;
	char *s;
	int rc;

	rc = vd_cli_parse("explain", argc, argv, 0, usage, &cli);
	if (rc)
		return rc > 0 ? VD_EXIT_OK : VD_EXIT_UNKNOWN;
	if (cli.n_args != 1) {
		vd_error("explain: %s; see 'vnetdiag list-checks'",
			 cli.n_args ? "give exactly one CODE" : "missing CODE");
		return VD_EXIT_UNKNOWN;
	}
	/* Codes are case-sensitive in reports; be lenient when asked. */
	for (size_t i = 0; i < vd_catalog_len && !c; i++)
		if (strcasecmp(vd_catalog[i].code, cli.args[0]) == 0)
			c = &vd_catalog[i];
	if (!c) {
		vd_error("explain: unknown finding code '%s'; see 'vnetdiag "
			 "list-checks'",
			 cli.args[0]);
		return VD_EXIT_UNKNOWN;
	}
	e = vd_explain_find(c->code);
	vd_sb_printf(&sb, "%s  (%s %s, default severity %s)\n", c->code,
		     vd_layer_name(c->layer), vd_layer_title(c->layer),
		     vd_severity_name(c->severity));
	vd_sb_printf(&sb, "  %s\n", c->summary);
	vd_sb_printf(&sb, "  seed: %s; seen in: %s\n", c->seed, c->sources);
	if (c->implemented)
		vd_sb_printf(&sb, "  detected by this build (since %s)\n",
			     c->release);
	else
		vd_sb_printf(&sb,
			     "  not detected by this build (%s): planned for "
			     "release %s\n",
			     VD_VERSION, c->release);
	if (e) {
		section(&sb, "Why it happens", e->why);
		section(&sb, "How to confirm it", e->confirm);
		section(&sb, "Fix on Linux", e->fix_linux);
		section(&sb, "Fix on Windows", e->fix_windows);
	}
	s = vd_sb_take(&sb);
	if (!s) {
		vd_error("explain: out of memory");
		return VD_EXIT_UNKNOWN;
	}
	rc = vd_write_output("-", s, strlen(s)) ? VD_EXIT_UNKNOWN : VD_EXIT_OK;
	free(s);
	return rc;
}
