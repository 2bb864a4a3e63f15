/* SPDX-License-Identifier: MIT */
#include "cmd/cmd.h"

int probe_cmd_trace(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vd_error("probe trace: not available in this build");
	return VD_EXIT_UNKNOWN;
}
