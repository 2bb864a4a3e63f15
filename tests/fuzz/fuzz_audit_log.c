/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: denials of the audit log and kernel/syslog text. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/security/parse.h"
#include "util/span.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prior[] =
	"avc:  denied  { open } for comm=\"vmware-vmx\" path=\"/dev/vmnet8\"\n";

/* NUL-terminated inside its array, valid UTF-8. */
static void text(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size)
		__builtin_trap();
	for (size_t i = 0; i < n;) {
		size_t k = vd_utf8_seq((const uint8_t *)s + i, n - i);

		if (!k)
			__builtin_trap();
		i += k;
	}
}

static unsigned count_lines(const uint8_t *data, size_t size)
{
	unsigned n = 1;

	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_security s;
	char err[128] = "";
	size_t probe = size < 4096 ? size : 4096;
	unsigned lines = count_lines(data, size);
	int rc;

	vd_security_init(&s);
	if (vd_parse_denials((const uint8_t *)prior, sizeof(prior) - 1, "prior",
			     &s, err, sizeof(err)) != 0 ||
	    s.n_denials != 1)
		__builtin_trap();
	rc = vd_parse_denials(data, size, "audit.log", &s, err, sizeof(err));
	/* binary exactly when a NUL is in the first 4 KiB */
	if ((rc == -EINVAL) != !!memchr(data, 0, probe))
		__builtin_trap();
	if (rc == 0) {
		if (s.n_denials - 1 > VD_DENIALS_PER_FILE)
			__builtin_trap();
		for (size_t i = 1; i < s.n_denials; i++) {
			const struct vd_denial *d = &s.denials[i];
			size_t n;

			text(d->comm, sizeof(d->comm));
			text(d->exe, sizeof(d->exe));
			text(d->perm, sizeof(d->perm));
			text(d->tclass, sizeof(d->tclass));
			text(d->target, sizeof(d->target));
			text(d->context, sizeof(d->context));
			text(d->tcontext, sizeof(d->tcontext));
			text(d->text, VD_DENIAL_TEXT_MAX + 1);
			n = strlen(d->text);
			if (!n || n > VD_DENIAL_TEXT_MAX ||
			    (d->kind != VD_DENIAL_SELINUX &&
			     d->kind != VD_DENIAL_APPARMOR) ||
			    !vd_denial_of_interest(d) ||
			    (size_t)d->src.file >= s.n_files || !d->src.line ||
			    d->src.line > lines ||
			    (i > 1 && d->src.line <= d[-1].src.line))
				__builtin_trap();
		}
		if (s.denials_dropped && s.n_denials - 1 != VD_DENIALS_PER_FILE)
			__builtin_trap();
	} else if (rc != -ENOMEM && !err[0]) {
		__builtin_trap();
	}
	if (rc != 0 && s.n_denials != 1)
		__builtin_trap();
	vd_security_free(&s);
	return 0;
}
