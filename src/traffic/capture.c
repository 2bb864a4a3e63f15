/* SPDX-License-Identifier: MIT */
/* Capture files, standard input and live interfaces through libpcap. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode/decode.h"
#include "traffic/capture.h"

#define LIVE_SNAPLEN 262144
#define LIVE_BUFFER  (8 << 20) /* a burst of ~5000 full-size frames */

struct vd_capture {
	pcap_t *p;
	uint32_t linktype; /* LINKTYPE_* */
	bool live;
	int again_fd;	/* a regular file's descriptor, for pass two */
	FILE *spool_fp; /* the unlinked spool */
	pcap_dumper_t *spool;
	struct bpf_program prog; /* offline filter */
	bool offline_filter;
	uint64_t frame;
	char err[VD_CAPTURE_ERR_MAX];
	char warn[VD_CAPTURE_ERR_MAX]; /* pcap_activate()'s warning, or "" */
};

struct vd_capture_out {
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd;
	bool in_place; /* a device or pipe: written where it is */
};

__attribute__((format(printf, 3, 4))) static void say(char *err, size_t len,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	/* libpcap's messages sometimes end in a newline: one line only. */
	for (char *s = err; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = *(s + 1) ? ' ' : '\0';
}

/* DLT (what pcap_datalink() says, platform-dependent for raw IP) to
 * LINKTYPE (what vd_decode reads); 0 for what the decoders cannot read. */
static uint32_t linktype_of(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
		return VD_LINK_ETHERNET;
	case DLT_RAW:
	case 101: /* LINKTYPE_RAW, should a file carry it through */
		return VD_LINK_RAW;
	case DLT_LINUX_SLL:
		return VD_LINK_SLL;
	case DLT_LINUX_SLL2:
		return VD_LINK_SLL2;
	case DLT_IPV4:
		return VD_LINK_IPV4;
	case DLT_IPV6:
		return VD_LINK_IPV6;
	default:
		return 0;
	}
}

const char *vd_capture_linkname(const struct vd_capture *c)
{
	switch (c->linktype) {
	case VD_LINK_ETHERNET:
		return "Ethernet";
	case VD_LINK_RAW:
		return "raw IP";
	case VD_LINK_SLL:
		return "Linux cooked (SLL)";
	case VD_LINK_SLL2:
		return "Linux cooked v2 (SLL2)";
	case VD_LINK_IPV4:
		return "raw IPv4";
	case VD_LINK_IPV6:
		return "raw IPv6";
	default:
		return "?";
	}
}

/* libpcap's words for a broken file, in ours. */
static void file_error(char *err, size_t len, const char *pcap_err)
{
	static const char *const cut[] = { "truncated dump file; ",
					   "truncated pcapng dump file; " };
	static const char read_error[] = "error reading dump file: ";

	if (strstr(pcap_err, "only got 0") && strstr(pcap_err, "file header")) {
		say(err, len, "an empty file, not a pcap or pcapng capture");
		return;
	}
	if (strstr(pcap_err, "unknown file format")) {
		say(err, len, "not a pcap or pcapng capture (unknown format)");
		return;
	}
	if (strncmp(pcap_err, read_error, strlen(read_error)) == 0) {
		say(err, len, "cannot read: %s", pcap_err + strlen(read_error));
		return;
	}
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++)
		if (strncmp(pcap_err, cut[i], strlen(cut[i])) == 0) {
			say(err, len, "the capture is cut short (%s)",
			    pcap_err + strlen(cut[i]));
			return;
		}
	say(err, len, "%s", pcap_err);
}

static int set_linktype(struct vd_capture *c, char *err, size_t len)
{
	int dlt = pcap_datalink(c->p);
	const char *name = pcap_datalink_val_to_name(dlt);

	c->linktype = linktype_of(dlt);
	if (c->linktype)
		return 0;
	say(err, len,
	    "unsupported link type %s%s%d%s: vnetdiag reads Ethernet, "
	    "Linux cooked (SLL, SLL2) and raw IP captures",
	    name ? name : "", name ? " (" : "", dlt, name ? ")" : "");
	return -EPROTONOSUPPORT;
}

static int compile(struct vd_capture *c, const char *filter,
		   struct bpf_program *prog, char *err, size_t len)
{
	if (pcap_compile(c->p, prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		say(err, len, "invalid --filter '%s': %s", filter,
		    pcap_geterr(c->p));
		return -EINVAL;
	}
	return 0;
}

static struct vd_capture *capture_new(void)
{
	struct vd_capture *c = calloc(1, sizeof(*c));

	if (c)
		c->again_fd = -1;
	return c;
}

/* The end of an open: the capture in *out, or closed on failure. */
static int opened(struct vd_capture *c, int rc, struct vd_capture **out)
{
	if (rc) {
		vd_capture_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

int vd_capture_open_stream(FILE *fp, const char *filter,
			   struct vd_capture **out, char *err, size_t errlen)
{
	char pe[PCAP_ERRBUF_SIZE] = "";
	struct vd_capture *c = capture_new();
	int rc;

	if (!c) {
		fclose(fp);
		say(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->p = pcap_fopen_offline_with_tstamp_precision(
		fp, PCAP_TSTAMP_PRECISION_MICRO, pe);
	if (!c->p) {
		fclose(fp);
		file_error(err, errlen, pe);
		rc = -EINVAL;
		goto fail;
	}
	rc = set_linktype(c, err, errlen);
	if (!rc && filter) {
		rc = compile(c, filter, &c->prog, err, errlen);
		c->offline_filter = rc == 0;
	}
fail:
	return opened(c, rc, out);
}

int vd_capture_open_file(const char *path, const char *filter,
			 struct vd_capture **out, char *err, size_t errlen)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)
			  : open(path, O_RDONLY | O_CLOEXEC);
	int again = -1, rc;
	struct stat st;
	FILE *fp;

	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		say(err, errlen, "cannot read: %s", strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		say(err, errlen, "cannot read: is a directory");
		rc = -EISDIR;
		goto fail;
	}
	/* A regular file can be read twice (--write-filtered); keep a
	 * descriptor, since the path may change under us. */
	if (S_ISREG(st.st_mode))
		again = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	fp = fdopen(fd, "rb");
	if (!fp) {
		rc = -errno;
		say(err, errlen, "cannot read: %s", strerror(errno));
		goto fail;
	}
	rc = vd_capture_open_stream(fp, filter, out, err, errlen);
	if (rc) {
		if (again >= 0)
			close(again);
		return rc;
	}
	(*out)->again_fd = again;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* pcap_activate()'s failures, in words that say what to do. */
static void live_error(char *err, size_t len, int rc, pcap_t *p)
{
	const char *pe = pcap_geterr(p);

	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		say(err, len, "no such interface (see 'ip link')");
		break;
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		say(err, len,
		    "permission denied: capturing needs root or "
		    "CAP_NET_RAW (%s)",
		    pe);
		break;
	case PCAP_ERROR_IFACE_NOT_UP:
		say(err, len,
		    "the interface is down (ip link set dev IFACE up)");
		break;
	default:
		say(err, len, "cannot capture: %s",
		    pe && *pe ? pe : pcap_statustostr(rc));
	}
}

int vd_capture_open_live(const char *iface, const char *filter, bool promisc,
			 struct vd_capture **out, char *err, size_t errlen)
{
	char pe[PCAP_ERRBUF_SIZE] = "";
	struct vd_capture *c = capture_new();
	struct bpf_program prog;
	int rc;

	if (!c) {
		say(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->live = true;
	c->p = pcap_create(iface, pe);
	if (!c->p) {
		say(err, errlen, "cannot capture: %s", pe);
		rc = -ENODEV;
		goto fail;
	}
	pcap_set_snaplen(c->p, LIVE_SNAPLEN);
	pcap_set_promisc(c->p, promisc);
	pcap_set_immediate_mode(c->p, 1);
	pcap_set_buffer_size(c->p, LIVE_BUFFER);
	pcap_set_tstamp_precision(c->p, PCAP_TSTAMP_PRECISION_MICRO);
	rc = pcap_activate(c->p);
	/* Warnings (promiscuous mode or time stamp type not supported)
	 * leave a working capture. */
	if (rc < 0) {
		live_error(err, errlen, rc, c->p);
		rc = rc == PCAP_ERROR_NO_SUCH_DEVICE ? -ENODEV
		     : rc == PCAP_ERROR_PERM_DENIED ||
				     rc == PCAP_ERROR_PROMISC_PERM_DENIED
			     ? -EPERM
			     : -EIO;
		goto fail;
	}
	if (rc > 0)
		say(c->warn, sizeof(c->warn), "%s",
		    rc == PCAP_WARNING_PROMISC_NOTSUP
			    ? "promiscuous mode not supported: only frames "
			      "to and from this host are seen"
			    : pcap_geterr(c->p));
	rc = set_linktype(c, err, errlen);
	if (!rc && filter) {
		rc = compile(c, filter, &prog, err, errlen);
		if (!rc && pcap_setfilter(c->p, &prog) < 0) {
			say(err, errlen, "cannot set --filter '%s': %s", filter,
			    pcap_geterr(c->p));
			rc = -EIO;
		}
		if (rc != -EINVAL) /* compiled */
			pcap_freecode(&prog);
	}
	if (!rc && pcap_setnonblock(c->p, 1, pe) < 0) {
		say(err, errlen, "cannot capture: %s", pe);
		rc = -EIO;
	}
fail:
	return opened(c, rc, out);
}

void vd_capture_close(struct vd_capture *c)
{
	if (!c)
		return;
	if (c->spool)
		pcap_dump_close(c->spool); /* closes spool_fp */
	else if (c->spool_fp)
		fclose(c->spool_fp);
	if (c->offline_filter)
		pcap_freecode(&c->prog);
	if (c->p)
		pcap_close(c->p);
	if (c->again_fd >= 0)
		close(c->again_fd);
	free(c);
}

int vd_capture_next(struct vd_capture *c, struct vd_frame *f)
{
	struct pcap_pkthdr *h;
	const u_char *data;

	for (;;) {
		int rc = pcap_next_ex(c->p, &h, &data);

		if (rc == PCAP_ERROR_BREAK)
			return VD_CAP_END;
		if (rc == 0)
			return VD_CAP_AGAIN;
		if (rc < 0) {
			char pe[PCAP_ERRBUF_SIZE + 64];

			file_error(pe, sizeof(pe), pcap_geterr(c->p));
			say(c->err, sizeof(c->err), "frame %llu: %s",
			    (unsigned long long)c->frame + 1, pe);
			return -EIO;
		}
		c->frame++;
		if (c->spool)
			pcap_dump((u_char *)c->spool, h, data);
		if (c->offline_filter &&
		    !pcap_offline_filter(&c->prog, h, data))
			continue;
		f->no = c->frame;
		f->ts_us = (uint64_t)h->ts.tv_sec * 1000000u +
			   (uint64_t)h->ts.tv_usec;
		f->caplen = h->caplen;
		f->len = h->len;
		f->data = data;
		return VD_CAP_FRAME;
	}
}

const char *vd_capture_error(const struct vd_capture *c)
{
	return c->err;
}

const char *vd_capture_warning(const struct vd_capture *c)
{
	return c->warn[0] ? c->warn : NULL;
}

uint32_t vd_capture_linktype(const struct vd_capture *c)
{
	return c->linktype;
}

uint32_t vd_capture_snaplen(const struct vd_capture *c)
{
	int n = pcap_snapshot(c->p);

	return n > 0 ? (uint32_t)n : 0;
}

int vd_capture_fd(const struct vd_capture *c)
{
	return c->live ? pcap_get_selectable_fd(c->p) : -1;
}

void vd_capture_drops(const struct vd_capture *c, uint64_t *dropped,
		      uint64_t *if_dropped)
{
	struct pcap_stat ps;

	*dropped = *if_dropped = 0;
	if (c->live && pcap_stats(c->p, &ps) == 0) {
		*dropped = ps.ps_drop;
		*if_dropped = ps.ps_ifdrop;
	}
}

bool vd_capture_needs_spool(const struct vd_capture *c)
{
	return c->again_fd < 0;
}

/* A file named after near_path (PATH.tmpXXXXXX, or DIR/.vnetdiag-XXXXXX
 * in its directory with dir_only); its descriptor, or -errno. */
static int temp_beside(const char *near_path, bool dir_only, char *tmp,
		       size_t len)
{
	char copy[PATH_MAX];
	int n, fd;

	if (dir_only) {
		snprintf(copy, sizeof(copy), "%s", near_path);
		n = snprintf(tmp, len, "%s/.vnetdiag-spool-XXXXXX",
			     dirname(copy));
	} else
		n = snprintf(tmp, len, "%s.tmpXXXXXX", near_path);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int vd_capture_spool(struct vd_capture *c, const char *near_path, char *err,
		     size_t errlen)
{
	char tmp[PATH_MAX];
	int fd = temp_beside(near_path, true, tmp, sizeof(tmp));

	if (fd < 0) {
		say(err, errlen, "cannot make a spool file beside it: %s",
		    strerror(-fd));
		return fd;
	}
	/* Unlinked at once: nothing is left behind, whatever happens. */
	unlink(tmp);
	c->spool_fp = fdopen(fd, "w+b");
	if (!c->spool_fp) {
		close(fd);
		say(err, errlen, "cannot spool: %s", strerror(errno));
		return -ENOMEM;
	}
	c->spool = pcap_dump_fopen(c->p, c->spool_fp);
	if (!c->spool) {
		say(err, errlen, "cannot spool: %s", pcap_geterr(c->p));
		return -EIO;
	}
	return 0;
}

int vd_capture_out_open(const char *path, struct vd_capture_out **out,
			char *err, size_t errlen)
{
	struct vd_capture_out *o = calloc(1, sizeof(*o));
	struct stat st;

	if (!o) {
		say(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(o->path, sizeof(o->path), "%s", path);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		free(o);
		say(err, errlen, "is a directory");
		return -EISDIR;
	}
	/* A device or pipe is written in place: a rename would replace it. */
	o->in_place = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
	o->fd = o->in_place ? open(path, O_WRONLY | O_CLOEXEC)
			    : temp_beside(path, false, o->tmp, sizeof(o->tmp));
	if (o->fd < 0) {
		int e = o->in_place ? errno : -o->fd;

		free(o);
		say(err, errlen, "%s", strerror(e));
		return -e;
	}
	*out = o;
	return 0;
}

void vd_capture_out_abort(struct vd_capture_out *o)
{
	if (!o)
		return;
	if (o->fd >= 0)
		close(o->fd);
	if (!o->in_place)
		unlink(o->tmp);
	free(o);
}

/* The capture from its first frame, without filter: the file again, or
 * the spool. */
static int reread(struct vd_capture *c, pcap_t **out, char *err, size_t len)
{
	char pe[PCAP_ERRBUF_SIZE] = "";
	int fd = c->again_fd;
	FILE *fp;

	if (c->spool) {
		if (pcap_dump_flush(c->spool) < 0) {
			say(err, len, "cannot write the spool: %s",
			    strerror(errno));
			return -EIO;
		}
		fd = fileno(c->spool_fp);
	}
	if (fd < 0) {
		say(err, len, "cannot read the capture twice");
		return -ESPIPE;
	}
	fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0 || !(fp = fdopen(fd, "rb"))) {
		say(err, len, "cannot read the capture again: %s",
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	*out = pcap_fopen_offline_with_tstamp_precision(
		fp, PCAP_TSTAMP_PRECISION_MICRO, pe);
	if (!*out) {
		fclose(fp);
		say(err, len, "cannot read the capture again: %s", pe);
		return -EIO;
	}
	return 0;
}

/* Frames of the capture r numbered in frames[] to the dumper d. */
static int copy_frames(pcap_t *r, pcap_dumper_t *d, const uint64_t *frames,
		       size_t n, uint64_t *written, char *err, size_t len)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t no = 0;
	size_t i = 0;
	int rc;

	*written = 0;
	while (i < n && (rc = pcap_next_ex(r, &h, &data)) == 1) {
		if (++no != frames[i])
			continue;
		pcap_dump((u_char *)d, h, data);
		++*written;
		i++;
	}
	if (i < n && rc != PCAP_ERROR_BREAK) {
		say(err, len, "reading it again, frame %llu: %s",
		    (unsigned long long)no + 1, pcap_geterr(r));
		return -EIO;
	}
	if (i < n) {
		say(err, len, "frame %llu is not in the capture",
		    (unsigned long long)frames[i]);
		return -ERANGE;
	}
	return 0;
}

int vd_capture_write_frames(struct vd_capture *c, const uint64_t *frames,
			    size_t n, struct vd_capture_out *o,
			    uint64_t *written, char *err, size_t errlen)
{
	pcap_dumper_t *d = NULL;
	pcap_t *r = NULL;
	FILE *fp = NULL;
	int rc = reread(c, &r, err, errlen);

	if (rc)
		goto out;
	fp = fdopen(o->fd, "wb");
	if (!fp) {
		rc = -errno;
		say(err, errlen, "%s", strerror(errno));
		goto out;
	}
	o->fd = -1; /* fp owns it */
	d = pcap_dump_fopen(r, fp);
	if (!d) {
		fclose(fp);
		say(err, errlen, "%s", pcap_geterr(r));
		rc = -EIO;
		goto out;
	}
	rc = copy_frames(r, d, frames, n, written, err, errlen);
	if (!rc && (pcap_dump_flush(d) < 0 ||
		    (!o->in_place && (fsync(fileno(fp)) < 0 ||
				      fchmod(fileno(fp), 0644) < 0)))) {
		rc = -errno;
		say(err, errlen, "%s", strerror(errno));
	}
	pcap_dump_close(d);
	if (!rc && !o->in_place && rename(o->tmp, o->path) < 0) {
		rc = -errno;
		say(err, errlen, "%s", strerror(errno));
	}
	if (!rc) {
		o->tmp[0] = '\0';
		o->in_place = true; /* in place now: nothing to remove */
	}
out:
	if (r)
		pcap_close(r);
	vd_capture_out_abort(o);
	return rc;
}
