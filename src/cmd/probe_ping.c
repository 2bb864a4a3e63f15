/* SPDX-License-Identifier: MIT */
#include "cmd/cmd.h"

int probe_cmd_ping(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vd_error("probe ping: not available in this build");
	return VD_EXIT_UNKNOWN;
}
