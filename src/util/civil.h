/* SPDX-License-Identifier: MIT */
/* Calendar arithmetic for UTC timestamps in files (no libc, no locale). */
#ifndef VD_CIVIL_H
#define VD_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

static inline bool vd_leap_year(unsigned long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (y >= 1970, m 1..12) of the Gregorian
 * calendar: whole years, their leap days, whole months, days. */
static inline int64_t vd_days_since_epoch(unsigned y, unsigned m, unsigned d)
{
	static const unsigned short before[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
	};
	int64_t leaps = (int64_t)((y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400) -
			(1969 / 4 - 1969 / 100 + 1969 / 400);

	return (int64_t)(y - 1970) * 365 + leaps + before[m - 1] +
	       (m > 2 && vd_leap_year(y)) + d - 1;
}

#endif
