/* SPDX-License-Identifier: MIT */
/* Skeleton: statistics only; the detectors land in the following commits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "traffic/traffic.h"

struct vd_traffic {
	struct vd_traffic_opts o;
	struct vd_traffic_stats st;
};

const struct vd_traffic_rule vd_traffic_rules[] = { { NULL, NULL } };
const size_t vd_traffic_rules_len = 0;

void vd_traffic_opts_default(struct vd_traffic_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->reply_timeout_ms = 3000;
	o->idle_timeout_ms = 300000;
	o->min_unanswered = 2;
	o->mac_flaps = 4;
	o->retrans_min = 3;
	o->retrans_rate = 0.02;
	o->dns_fail_rate = 0.2;
	o->max_flows = 65536;
}

struct vd_traffic *vd_traffic_new(const struct vd_traffic_opts *o)
{
	struct vd_traffic *t = calloc(1, sizeof(*t));

	if (t)
		t->o = *o;
	return t;
}

void vd_traffic_free(struct vd_traffic *t)
{
	free(t);
}

void vd_traffic_feed(struct vd_traffic *t, uint64_t frame, uint64_t ts_us,
		     const struct vd_pkt *p)
{
	(void)frame;
	if (t->st.frames++ == 0)
		t->st.first_us = ts_us;
	t->st.last_us = ts_us;
	t->st.bytes += p->wirelen ? p->wirelen : p->caplen;
}

int vd_traffic_finish(struct vd_traffic *t, struct vd_findings *out)
{
	(void)t;
	(void)out;
	return 0;
}

const struct vd_traffic_stats *vd_traffic_stats(const struct vd_traffic *t)
{
	return &t->st;
}

size_t vd_traffic_flows(const struct vd_traffic *t,
			const struct vd_flow_row **rows, uint64_t *dropped)
{
	(void)t;
	*rows = NULL;
	*dropped = 0;
	return 0;
}

size_t vd_traffic_frames(const struct vd_traffic *t, const uint64_t **frames)
{
	(void)t;
	*frames = NULL;
	return 0;
}
