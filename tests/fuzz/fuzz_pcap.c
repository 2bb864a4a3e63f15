/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: a whole capture file (pcap or pcapng) through the reader,
 * the decoders and the traffic analyser, as 'vnetdiag pcap FILE' does.
 * Every error is fine; a crash, a hang or a leak is not.  A few default
 * thresholds are tightened so that small inputs reach the detectors.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decode/decode.h"
#include "rules/finding.h"
#include "traffic/capture.h"
#include "traffic/traffic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 4096 /* enough for any detector, bounded per input */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_traffic_opts o;
	struct vd_traffic *t = NULL;
	struct vd_capture *c = NULL;
	struct vd_findings fl;
	struct vd_frame f;
	struct vd_pkt pkt;
	const struct vd_flow_row *rows;
	const uint64_t *frames;
	uint64_t dropped;
	char err[VD_CAPTURE_ERR_MAX];
	FILE *fp;

	if (!size)
		return 0;
	fp = fmemopen((void *)data, size, "rb");
	if (!fp || vd_capture_open_stream(fp, NULL, &c, err, sizeof(err)) < 0)
		return 0;
	vd_traffic_opts_default(&o);
	o.reply_timeout_ms = 100;
	o.idle_timeout_ms = 1000;
	o.max_flows = 64;
	o.keep_flows = true;
	t = vd_traffic_new(&o);
	vd_findings_init(&fl);
	for (int i = 0; t && i < MAX_FRAMES; i++) {
		if (vd_capture_next(c, &f) != VD_CAP_FRAME)
			break;
		vd_decode(vd_capture_linktype(c), f.data, f.caplen, &pkt);
		pkt.wirelen = f.len;
		vd_traffic_feed(t, f.no, f.ts_us, &pkt);
	}
	if (t && vd_traffic_finish(t, &fl) == 0) {
		vd_traffic_flows(t, &rows, &dropped);
		vd_traffic_frames(t, &frames);
	}
	vd_findings_clear(&fl);
	vd_traffic_free(t);
	vd_capture_close(c);
	return 0;
}
