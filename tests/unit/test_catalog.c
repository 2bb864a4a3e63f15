/* SPDX-License-Identifier: MIT */
/*
 * The finding catalog against its contract: every code of findings.md is in
 * the catalog with the same severity, meaning, seed and sources; codes are
 * unique and well formed; every code has explain text and the explain table
 * has no orphans; explain text fits an 80-column terminal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"

#ifndef VD_SRCDIR
#error "VD_SRCDIR must name the source tree (set in tests/unit/meson.build)"
#endif

/* A copy of shared/spec/findings.md; refresh it when the spec changes. */
#define FINDINGS_MD VD_SRCDIR "/tests/fixtures/findings.md"

/*
 * "vnetdiag explain" indents every line by two columns; 76 leaves room for
 * that in 80 columns and is stricter than the 79 the house style allows.
 */
#define EXPLAIN_MAX_LINE 76

/* Defined in catalog/explain.c; not part of catalog.h. */

/* ------------------------------------------------------------------ */

static int is_kebab(const char *s)
{
	int prev_dash = 1; /* no leading dash */

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s == '-') {
			if (prev_dash)
				return 0;
			prev_dash = 1;
		} else if (islower((unsigned char)*s) ||
			   isdigit((unsigned char)*s)) {
			prev_dash = 0;
		} else {
			return 0;
		}
	}
	return !prev_dash; /* no trailing dash */
}

/* "L3.route-missing": a known layer name, a dot, a kebab-case name. */
static int code_well_formed(const char *code, const char **layer_out)
{
	static const char *const layers[] = { "L1", "L2", "L3",
					      "L4", "L7", "HOST" };
	const char *dot = strchr(code, '.');

	if (!dot)
		return 0;
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++) {
		size_t n = strlen(layers[i]);

		if ((size_t)(dot - code) == n &&
		    strncmp(code, layers[i], n) == 0) {
			*layer_out = layers[i];
			return is_kebab(dot + 1);
		}
	}
	return 0;
}

/* ------------------------------------------------------- findings.md */

struct md_row {
	char *code, *severity, *meaning, *seed, *sources;
};

struct md_table {
	struct md_row *rows;
	size_t n;
};

static char *trim(char *s)
{
	char *e;

	while (*s == ' ')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void strip_backticks(char *s)
{
	char *w = s;

	for (; *s; s++)
		if (*s != '`')
			*w++ = *s;
	*w = '\0';
}

/*
 * Parse one row of the catalog table, "| CODE | sev | meaning | seed |
 * sources |": 1 when it is one, 0 when the line is something else, -1 when
 * out of memory.
 */
static int md_parse_line(char *line, struct md_row *row)
{
	char *cells[5];
	char *p = line;
	const char *layer;

	if (*p != '|')
		return 0;
	p++;
	for (int i = 0; i < 5; i++) {
		char *bar = strchr(p, '|');

		if (!bar)
			return 0;
		*bar = '\0';
		cells[i] = trim(p);
		p = bar + 1;
	}
	if (!code_well_formed(cells[0], &layer))
		return 0; /* header, separator, or another table */
	strip_backticks(cells[2]);
	row->code = strdup(cells[0]);
	row->severity = strdup(cells[1]);
	row->meaning = strdup(cells[2]);
	row->seed = strdup(cells[3]);
	row->sources = strdup(cells[4]);
	if (!row->code || !row->severity || !row->meaning || !row->seed ||
	    !row->sources)
		return -1;
	return 1;
}

static void md_row_free(struct md_row *r)
{
	free(r->code);
	free(r->severity);
	free(r->meaning);
	free(r->seed);
	free(r->sources);
}

static int teardown_findings(void **state)
{
	struct md_table *t = *state;

	if (!t)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		md_row_free(&t->rows[i]);
	free(t->rows);
	free(t);
	*state = NULL;
	return 0;
}

static int setup_findings(void **state)
{
	struct md_table *t = calloc(1, sizeof(*t));
	FILE *f = fopen(FINDINGS_MD, "r");
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	*state = t;
	if (!t || !f) {
		fprintf(stderr, "cannot read %s\n", FINDINGS_MD);
		rc = -1;
		goto out;
	}
	while (getline(&line, &cap, f) != -1) {
		struct md_row row = { 0 };
		struct md_row *rows;
		int r = md_parse_line(line, &row);

		if (r == 0)
			continue;
		rows = r < 0 ? NULL
			     : realloc(t->rows, (t->n + 1) * sizeof(*rows));
		if (!rows) {
			md_row_free(&row);
			rc = -1;
			goto out;
		}
		t->rows = rows;
		t->rows[t->n++] = row;
	}
out:
	free(line);
	if (f)
		fclose(f);
	if (rc)
		teardown_findings(state);
	return rc;
}

static void test_findings_md_parsed(void **state)
{
	struct md_table *t = *state;

	/* The table has dozens of rows; a handful means the parser broke. */
	assert_true(t->n >= 40);
	assert_true(t->n <= vd_catalog_len);
}

static void test_findings_md_codes_in_catalog(void **state)
{
	struct md_table *t = *state;

	for (size_t i = 0; i < t->n; i++) {
		const struct md_row *r = &t->rows[i];
		const struct vd_check *c = vd_catalog_find(r->code);

		if (!c)
			fail_msg("%s (findings.md) is not in the catalog",
				 r->code);
		assert_string_equal(vd_severity_name(c->severity), r->severity);
		assert_string_equal(c->summary, r->meaning);
		assert_string_equal(c->seed, r->seed);
		assert_string_equal(c->sources, r->sources);
	}
}

/* ---------------------------------------------------------- catalog */

static void test_catalog_codes_unique_and_well_formed(void **state)
{
	(void)state;
	assert_true(vd_catalog_len > 0);
	for (size_t i = 0; i < vd_catalog_len; i++) {
		const struct vd_check *c = &vd_catalog[i];
		const char *layer = NULL;

		if (!code_well_formed(c->code, &layer))
			fail_msg("malformed code '%s'", c->code);
		assert_string_equal(layer, vd_layer_name(c->layer));
		/* A HOST code names the layer it breaks; others break their
		 * own layer. */
		if (c->layer == VD_HOST)
			assert_int_not_equal(c->breaks, VD_HOST);
		else
			assert_int_equal(c->breaks, c->layer);
		assert_true(c->severity >= VD_SEV_INFO &&
			    c->severity <= VD_SEV_CRITICAL);
		assert_true(c->summary && *c->summary);
		assert_ptr_equal(vd_catalog_find(c->code), c);
		for (size_t j = i + 1; j < vd_catalog_len; j++)
			if (strcmp(c->code, vd_catalog[j].code) == 0)
				fail_msg("duplicate code '%s'", c->code);
	}
}

/* ---------------------------------------------------------- explain */

static void test_every_code_has_explain(void **state)
{
	(void)state;
	for (size_t i = 0; i < vd_catalog_len; i++) {
		const char *code = vd_catalog[i].code;
		const struct vd_explain *e = vd_explain_find(code);

		if (!e)
			fail_msg("%s has no explain entry", code);
		assert_string_equal(e->code, code);
		if (!e->why || !*e->why || !e->confirm || !*e->confirm ||
		    !e->fix_linux || !*e->fix_linux || !e->fix_windows ||
		    !*e->fix_windows)
			fail_msg("%s: an explain field is empty", code);
	}
}

static void test_explain_no_orphans_no_duplicates(void **state)
{
	(void)state;
	assert_int_equal(vd_explain_table_len, vd_catalog_len);
	for (size_t i = 0; i < vd_explain_table_len; i++) {
		const char *code = vd_explain_table[i].code;

		assert_non_null(code);
		if (!vd_catalog_find(code))
			fail_msg("explain entry '%s' is not in the catalog",
				 code);
		for (size_t j = i + 1; j < vd_explain_table_len; j++)
			if (strcmp(code, vd_explain_table[j].code) == 0)
				fail_msg("duplicate explain entry '%s'", code);
	}
}

static void test_explain_find(void **state)
{
	const struct vd_explain *e;

	(void)state;
	assert_null(vd_explain_find(NULL));
	assert_null(vd_explain_find(""));
	assert_null(vd_explain_find("L1.no-such-code"));
	assert_null(vd_explain_find("l1.adapter-down")); /* exact match */
	assert_non_null(vd_explain_find("L1.adapter-down"));
	e = vd_explain_find("HOST.nic-model-legacy");
	assert_non_null(e);
	assert_string_equal(e->code, "HOST.nic-model-legacy");
}

static void check_text_layout(const char *code, const char *field,
			      const char *text)
{
	const char *p = text;
	int line = 1;

	if (text[strlen(text) - 1] == '\n')
		fail_msg("%s %s: ends with a newline", code, field);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n > EXPLAIN_MAX_LINE)
			fail_msg("%s %s line %d: %zu columns (max %d): %.*s",
				 code, field, line, n, EXPLAIN_MAX_LINE, (int)n,
				 p);
		if (memchr(p, '\t', n))
			fail_msg("%s %s line %d: tab", code, field, line);
		if (n > 0 && p[n - 1] == ' ')
			fail_msg("%s %s line %d: trailing space", code, field,
				 line);
		p += n + (nl ? 1 : 0);
		line++;
	}
}

static void test_explain_fits_80_columns(void **state)
{
	(void)state;
	for (size_t i = 0; i < vd_explain_table_len; i++) {
		const struct vd_explain *e = &vd_explain_table[i];

		check_text_layout(e->code, "why", e->why);
		check_text_layout(e->code, "confirm", e->confirm);
		check_text_layout(e->code, "fix_linux", e->fix_linux);
		check_text_layout(e->code, "fix_windows", e->fix_windows);
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Facts the seed gets wrong must not creep into the advice. */
static void check_text_facts(const char *code, const char *text)
{
	const char *p;

	/* Removed in Linux 4.12, harmful behind NAT before that. */
	if (strstr(text, "tcp_tw_recycle=1") ||
	    strstr(text, "tcp_tw_recycle = 1"))
		fail_msg("%s recommends net.ipv4.tcp_tw_recycle", code);
	/* Example static MACs must be in 00:50:56:00:00:00-3F:FF:FF. */
	for (p = text; (p = strstr(p, "00:50:56:")) != NULL; p++) {
		int hi = hexval(p[9]), lo = hi < 0 ? -1 : hexval(p[10]);

		if (hi < 0 || lo < 0 || p[11] != ':')
			continue; /* a placeholder such as XX or %02x */
		if (hi * 16 + lo > 0x3f)
			fail_msg(
				"%s: VMware MAC %.17s outside the static range",
				code, p);
	}
}

static void test_explain_facts(void **state)
{
	(void)state;
	for (size_t i = 0; i < vd_explain_table_len; i++) {
		const struct vd_explain *e = &vd_explain_table[i];

		check_text_facts(e->code, e->why);
		check_text_facts(e->code, e->confirm);
		check_text_facts(e->code, e->fix_linux);
		check_text_facts(e->code, e->fix_windows);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_codes_unique_and_well_formed),
		cmocka_unit_test(test_every_code_has_explain),
		cmocka_unit_test(test_explain_no_orphans_no_duplicates),
		cmocka_unit_test(test_explain_find),
		cmocka_unit_test(test_explain_fits_80_columns),
		cmocka_unit_test(test_explain_facts),
		cmocka_unit_test_setup_teardown(test_findings_md_parsed,
						setup_findings,
						teardown_findings),
		cmocka_unit_test_setup_teardown(
			test_findings_md_codes_in_catalog, setup_findings,
			teardown_findings),
	};

	return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
