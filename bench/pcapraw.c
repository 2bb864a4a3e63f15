/* SPDX-License-Identifier: MIT */
/*
 * pcapraw: the lower bound of reading a capture.  Each record of a pcap or
 * pcapng file is read with libpcap's pcap_next_ex and touched (its captured
 * length summed, its first byte xored) so that it is really read; nothing
 * is decoded.  bench/pcap.sh sets `vnetdiag pcap` against it.
 *
 *   pcapraw FILE    prints "PACKETS packets, BYTES bytes, SECONDS s, RATE
 *                   packets/s (xor X)"
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include <pcap/pcap.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct timespec t0, t1;
	uint64_t n = 0, bytes = 0;
	unsigned x = 0;
	double s;
	pcap_t *p;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: pcapraw FILE\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "pcapraw: %s\n", err);
		return 1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		n++;
		bytes += h->caplen;
		if (h->caplen)
			x ^= data[0];
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "pcapraw: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%" PRIu64 " packets, %" PRIu64 " bytes, %.3f s, %.0f packets/s "
	       "(xor %u)\n",
	       n, bytes, s, s > 0 ? n / s : 0.0, x);
	return 0;
}
