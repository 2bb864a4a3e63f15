/* SPDX-License-Identifier: MIT */
/*
 * epoll for descriptors, a binary heap of timers.  Timers live in a slab
 * (id = generation << 32 | slot + 1) and know their heap position, so
 * cancelling one of 65,000 in-flight connects costs O(log n).
 */
#include "probe/loop.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

struct watch {
	vd_io_cb cb;
	void *arg;
	bool used;
	uint32_t gen; /* events of a closed and reused fd are dropped */
};

struct timer {
	uint64_t when;
	vd_timer_cb cb;
	void *arg;
	uint32_t gen;
	uint32_t heap_i; /* position in heap, UINT32_MAX when free */
	uint32_t next_free;
};

struct vd_loop {
	int ep;
	bool stop;
	size_t n_watched;
	struct watch *w; /* indexed by fd */
	size_t n_w;
	struct timer *t;
	size_t n_t, cap_t;
	uint32_t free_t; /* free list head, UINT32_MAX when empty */
	uint32_t *heap;
	size_t n_heap;
};

#define NONE UINT32_MAX

uint64_t vd_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int vd_loop_new(struct vd_loop **out)
{
	struct vd_loop *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	if (l->ep < 0) {
		int err = -errno;

		free(l);
		return err;
	}
	l->free_t = NONE;
	*out = l;
	return 0;
}

void vd_loop_free(struct vd_loop *l)
{
	if (!l)
		return;
	close(l->ep);
	free(l->w);
	free(l->t);
	free(l->heap);
	free(l);
}

static uint32_t to_epoll(unsigned ev)
{
	return (ev & VD_EV_IN ? EPOLLIN : 0) | (ev & VD_EV_OUT ? EPOLLOUT : 0);
}

static uint64_t key(int fd, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint32_t)fd;
}

int vd_loop_add_fd(struct vd_loop *l, int fd, unsigned events, vd_io_cb cb,
		   void *arg)
{
	struct epoll_event e = { .events = to_epoll(events) };
	uint32_t gen;

	if (fd < 0)
		return -EBADF;
	if ((size_t)fd >= l->n_w) {
		size_t n = l->n_w ? l->n_w : 64;
		struct watch *nw;

		while (n <= (size_t)fd)
			n *= 2;
		nw = realloc(l->w, n * sizeof(*nw));
		if (!nw)
			return -ENOMEM;
		memset(nw + l->n_w, 0, (n - l->n_w) * sizeof(*nw));
		l->w = nw;
		l->n_w = n;
	}
	gen = l->w[fd].gen + 1;
	e.data.u64 = key(fd, gen);
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &e) < 0)
		return -errno;
	l->w[fd] = (struct watch){ cb, arg, true, gen };
	l->n_watched++;
	return 0;
}

int vd_loop_mod_fd(struct vd_loop *l, int fd, unsigned events)
{
	struct epoll_event e = { .events = to_epoll(events) };

	if (fd < 0 || (size_t)fd >= l->n_w || !l->w[fd].used)
		return -EBADF;
	e.data.u64 = key(fd, l->w[fd].gen);
	return epoll_ctl(l->ep, EPOLL_CTL_MOD, fd, &e) < 0 ? -errno : 0;
}

void vd_loop_del_fd(struct vd_loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->n_w || !l->w[fd].used)
		return;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, NULL);
	l->w[fd].used = false;
	l->n_watched--;
}

/* Heap of slab indices ordered by deadline. */
static bool earlier(const struct vd_loop *l, size_t a, size_t b)
{
	return l->t[l->heap[a]].when < l->t[l->heap[b]].when;
}

static void heap_swap(struct vd_loop *l, size_t a, size_t b)
{
	uint32_t x = l->heap[a];

	l->heap[a] = l->heap[b];
	l->heap[b] = x;
	l->t[l->heap[a]].heap_i = (uint32_t)a;
	l->t[l->heap[b]].heap_i = (uint32_t)b;
}

static void sift_up(struct vd_loop *l, size_t i)
{
	while (i > 0 && earlier(l, i, (i - 1) / 2)) {
		heap_swap(l, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct vd_loop *l, size_t i)
{
	for (;;) {
		size_t c = 2 * i + 1, m = i;

		if (c < l->n_heap && earlier(l, c, m))
			m = c;
		if (c + 1 < l->n_heap && earlier(l, c + 1, m))
			m = c + 1;
		if (m == i)
			return;
		heap_swap(l, i, m);
		i = m;
	}
}

static void heap_remove(struct vd_loop *l, size_t i)
{
	uint32_t slot = l->heap[i];

	l->n_heap--;
	if (i != l->n_heap) {
		heap_swap(l, i, l->n_heap);
		sift_down(l, i);
		sift_up(l, i);
	}
	l->t[slot].heap_i = NONE;
	l->t[slot].gen++;
	l->t[slot].next_free = l->free_t;
	l->free_t = slot;
}

int64_t vd_loop_add_timer(struct vd_loop *l, uint64_t delay_us, vd_timer_cb cb,
			  void *arg)
{
	uint32_t slot;

	if (l->free_t != NONE) {
		slot = l->free_t;
		l->free_t = l->t[slot].next_free;
	} else {
		if (l->n_t == l->cap_t) {
			size_t n = l->cap_t ? l->cap_t * 2 : 64;
			struct timer *nt = realloc(l->t, n * sizeof(*nt));
			uint32_t *nh;

			if (!nt)
				return -ENOMEM;
			l->t = nt;
			nh = realloc(l->heap, n * sizeof(*nh));
			if (!nh)
				return -ENOMEM;
			l->heap = nh;
			l->cap_t = n;
		}
		slot = (uint32_t)l->n_t++;
		l->t[slot].gen = 1;
	}
	l->t[slot].when = vd_now_us() + delay_us;
	l->t[slot].cb = cb;
	l->t[slot].arg = arg;
	l->t[slot].heap_i = (uint32_t)l->n_heap;
	l->heap[l->n_heap++] = slot;
	sift_up(l, l->n_heap - 1);
	return (int64_t)((uint64_t)l->t[slot].gen << 32 | (slot + 1u));
}

void vd_loop_cancel_timer(struct vd_loop *l, int64_t id)
{
	uint32_t slot = (uint32_t)(id & 0xffffffff) - 1u;
	uint32_t gen = (uint32_t)((uint64_t)id >> 32);

	if (id <= 0 || slot >= l->n_t || l->t[slot].gen != gen ||
	    l->t[slot].heap_i == NONE)
		return;
	heap_remove(l, l->t[slot].heap_i);
}

void vd_loop_stop(struct vd_loop *l)
{
	l->stop = true;
}

static void fire_timers(struct vd_loop *l)
{
	uint64_t now = vd_now_us();

	while (l->n_heap && l->t[l->heap[0]].when <= now && !l->stop) {
		uint32_t slot = l->heap[0];
		vd_timer_cb cb = l->t[slot].cb;
		void *arg = l->t[slot].arg;

		heap_remove(l, 0);
		cb(l, arg);
	}
}

int vd_loop_run(struct vd_loop *l)
{
	struct epoll_event ev[256];

	l->stop = false;
	while (!l->stop && (l->n_watched || l->n_heap)) {
		int timeout = -1, n;

		if (l->n_heap) {
			uint64_t now = vd_now_us(),
				 when = l->t[l->heap[0]].when;

			/* Round up: never wake before the deadline. */
			timeout = when <= now
					  ? 0
					  : (int)((when - now + 999) / 1000);
		}
		n = epoll_wait(l->ep, ev, 256, timeout);
		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n && !l->stop; i++) {
			int fd = (int)(uint32_t)ev[i].data.u64;
			uint32_t gen = (uint32_t)(ev[i].data.u64 >> 32);
			unsigned e = (ev[i].events & EPOLLIN ? VD_EV_IN : 0) |
				     (ev[i].events & EPOLLOUT ? VD_EV_OUT : 0) |
				     (ev[i].events & (EPOLLERR | EPOLLHUP)
					      ? VD_EV_ERR
					      : 0);

			/* An earlier callback may have dropped this fd. */
			if ((size_t)fd < l->n_w && l->w[fd].used &&
			    l->w[fd].gen == gen)
				l->w[fd].cb(l, fd, e, l->w[fd].arg);
		}
		fire_timers(l);
	}
	return 0;
}
