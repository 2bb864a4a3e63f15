/* SPDX-License-Identifier: MIT */
#include "cmd/cmd.h"

int probe_cmd_mtu(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vd_error("probe mtu: not available in this build");
	return VD_EXIT_UNKNOWN;
}
