/* SPDX-License-Identifier: MIT */
/*
 * Firewall ruleset parsers: bytes in, a new ruleset (facts/firewall.h)
 * out, all or nothing.  file is what to quote as the source.  They return
 * 0, -ENOMEM, or -EINVAL with a one-line reason (what and where) in err.
 */
#ifndef VD_FWPARSE_H
#define VD_FWPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "facts/firewall.h"

/* `nft -j list ruleset` (libnftables JSON, schema version 1). */
int vd_fw_parse_nft_json(const char *buf, size_t len, const char *file,
			 struct vd_fw_ruleset **out, char *err, size_t errlen);
/* `iptables-save` (ip6 false) or `ip6tables-save` (ip6 true), legacy or
 * nft back end: tables of family ip or ip6 with iptables' names. */
int vd_fw_parse_iptables_save(const char *buf, size_t len, const char *file,
			      bool ip6, struct vd_fw_ruleset **out, char *err,
			      size_t errlen);

#endif
