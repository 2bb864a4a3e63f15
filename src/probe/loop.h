/* SPDX-License-Identifier: MIT */
/*
 * One event loop for every probe: file descriptors and timers, run until
 * nothing is left to wait for.  Probes in flight at once share it, each
 * with its own deadlines.
 */
#ifndef VD_LOOP_H
#define VD_LOOP_H

#include <stdint.h>

struct vd_loop;

#define VD_EV_IN  0x1
#define VD_EV_OUT 0x4
#define VD_EV_ERR 0x8 /* error or hang-up: always reported */

typedef void (*vd_io_cb)(struct vd_loop *l, int fd, unsigned events, void *arg);
typedef void (*vd_timer_cb)(struct vd_loop *l, void *arg);

int vd_loop_new(struct vd_loop **out);
void vd_loop_free(struct vd_loop *l);

/* Monotonic clock in microseconds. */
uint64_t vd_now_us(void);

/* Watch fd for events (VD_EV_IN | VD_EV_OUT); 0 or -errno. */
int vd_loop_add_fd(struct vd_loop *l, int fd, unsigned events, vd_io_cb cb,
		   void *arg);
int vd_loop_mod_fd(struct vd_loop *l, int fd, unsigned events);
/* Stop watching fd (does not close it). */
void vd_loop_del_fd(struct vd_loop *l, int fd);

/* Call cb once after delay_us; returns a timer id (> 0) or -errno. */
int64_t vd_loop_add_timer(struct vd_loop *l, uint64_t delay_us, vd_timer_cb cb,
			  void *arg);
void vd_loop_cancel_timer(struct vd_loop *l, int64_t id);

/* Run until no fd is watched and no timer is pending, or vd_loop_stop();
 * 0 or -errno. */
int vd_loop_run(struct vd_loop *l);
void vd_loop_stop(struct vd_loop *l);

#endif
