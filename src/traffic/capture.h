/* SPDX-License-Identifier: MIT */
/*
 * Reading captures through libpcap: pcap and pcapng files, standard input,
 * live interfaces.  Frames come out one at a time with the buffer libpcap
 * owns (valid until the next call), numbered from 1 over every record read
 * (a --filter skips frames but not numbers, so numbers match Wireshark's).
 *
 * Errors are 0 / negative errno; the reason, one line without the source's
 * name, is in err (or vd_capture_error()).  Nothing here prints.
 */
#ifndef VD_CAPTURE_H
#define VD_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VD_CAPTURE_ERR_MAX 512

struct vd_frame {
	uint64_t no;	/* from 1 */
	uint64_t ts_us; /* microseconds since the epoch */
	uint32_t caplen, len;
	const uint8_t *data;
};

/* vd_capture_next(): a frame, the end, nothing yet (live only). */
enum { VD_CAP_END = 0, VD_CAP_FRAME = 1, VD_CAP_AGAIN = 2 };

struct vd_capture;

/* A file, or standard input for "-".  filter: a BPF expression or NULL. */
int vd_capture_open_file(const char *path, const char *filter,
			 struct vd_capture **out, char *err, size_t errlen);
/* The same over an open stream, which the capture then owns (closed on
 * failure too); no second pass (the fuzz harness reads memory this way). */
int vd_capture_open_stream(FILE *fp, const char *filter,
			   struct vd_capture **out, char *err, size_t errlen);
/* A live interface: immediate mode, snaplen 262144, non-blocking;
 * promisc as asked.  May need CAP_NET_RAW; nothing later does. */
int vd_capture_open_live(const char *iface, const char *filter, bool promisc,
			 struct vd_capture **out, char *err, size_t errlen);
void vd_capture_close(struct vd_capture *c);

/* VD_CAP_FRAME and *f, VD_CAP_END, VD_CAP_AGAIN, or -EIO (reason in
 * vd_capture_error(): "frame 21: truncated capture ..."). */
int vd_capture_next(struct vd_capture *c, struct vd_frame *f);
const char *vd_capture_error(const struct vd_capture *c);
/* Live: what pcap_activate() warned about (no promiscuous mode...), or
 * NULL. */
const char *vd_capture_warning(const struct vd_capture *c);

/* The link type as pcap's LINKTYPE_* value (= VD_LINK_*) and in words. */
uint32_t vd_capture_linktype(const struct vd_capture *c);
const char *vd_capture_linkname(const struct vd_capture *c);
uint32_t vd_capture_snaplen(const struct vd_capture *c);
/* Live: a descriptor to poll() for input, -1 when there is none. */
int vd_capture_fd(const struct vd_capture *c);
/* Live: frames the kernel dropped (buffer full) and the interface dropped;
 * 0 when unknown. */
void vd_capture_drops(const struct vd_capture *c, uint64_t *dropped,
		      uint64_t *if_dropped);

/* Whether a second pass needs a spool (standard input, a pipe, live). */
bool vd_capture_needs_spool(const struct vd_capture *c);
/* Copy every frame read from now on to an unlinked file in the directory
 * of near_path, for the second pass. */
int vd_capture_spool(struct vd_capture *c, const char *near_path, char *err,
		     size_t errlen);

/* An output capture written atomically: a temporary file beside path,
 * renamed over it by vd_capture_write_frames(); removed on failure or by
 * vd_capture_out_abort(). */
struct vd_capture_out;
int vd_capture_out_open(const char *path, struct vd_capture_out **out,
			char *err, size_t errlen);
void vd_capture_out_abort(struct vd_capture_out *o);

/*
 * The second pass: read the capture again from its start (the file, or the
 * spool) and write the frames numbered in frames[] (sorted, unique) to o,
 * same link type and snaplen, then put o in place.  o is consumed either
 * way.  *written: the frames written.
 */
int vd_capture_write_frames(struct vd_capture *c, const uint64_t *frames,
			    size_t n, struct vd_capture_out *o,
			    uint64_t *written, char *err, size_t errlen);

#endif
