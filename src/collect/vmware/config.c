/* SPDX-License-Identifier: MIT */
/*
 * etc/vmware/config, VMware's global settings in VMX syntax (see
 * vmxsyntax.h):
 *
 *	.encoding = "UTF-8"
 *	NETWORKING = "yes"
 *	product.version = "12.1.0"
 *
 * Every key is kept as a kv of section "" (a key given twice: the later
 * wins, as in VMware) and product.version is copied to product_version.
 * Bytes in, facts out: no I/O.
 */
#include "collect/collect.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "collect/vmware/vmxsyntax.h"

int vd_parse_vmware_config(const uint8_t *buf, size_t len, const char *file,
			   struct vd_vmware *out, char *err, size_t errlen)
{
	char version[sizeof(out->product_version)] = "";
	bool has_version = false;
	struct vd_vmx_reader r;
	struct vd_vmx_pair p;
	int rc;

	rc = vd_vmx_begin(&r, buf, len, file ? file : "config",
			  "VMware config file", out, err, errlen);
	if (rc < 0)
		return rc;
	while ((rc = vd_vmx_next(&r, &p)) > 0) {
		if (vd_span_ieq(&p.key, "product.version")) {
			vd_vmx_copy(version, sizeof(version), p.value);
			has_version = true;
		}
		rc = vd_vmx_kv_add(out, "", &p.key, p.value, p.src);
		if (rc < 0)
			break;
	}
	rc = vd_vmx_end(&r, rc, err, errlen);
	if (rc == 0 && has_version)
		memcpy(out->product_version, version, sizeof(version));
	return rc;
}
