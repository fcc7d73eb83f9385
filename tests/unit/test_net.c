/*
 * Unit tests of the address rules (runtime/port/posix/wdb_net.c,
 * wdb/net.h) that the stub, the DAP websocket server and the RSP client
 * share: ADDR:PORT forms, refusals, the loopback test, listening.
 */
#include "wdb/net.h"

#include "wdb_check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int split(const char *spec, char *host, char *port)
{
    char err[128] = "";
    return wdb_net_split(spec, host, 64, port, err, sizeof err);
}

static void test_split(void)
{
    char host[64], port[8];
    CHECK_EQ(split("127.0.0.1:1234", host, port), 0);
    CHECK_STR(host, "127.0.0.1");
    CHECK_STR(port, "1234");
    CHECK_EQ(split(":0", host, port), 0);
    CHECK_STR(host, "127.0.0.1"); /* no host: loopback */
    CHECK_STR(port, "0");
    CHECK_EQ(split("5555", host, port), 0);
    CHECK_STR(host, "127.0.0.1");
    CHECK_EQ(split("[::1]:65535", host, port), 0);
    CHECK_STR(host, "::1");
    CHECK_STR(port, "65535");
    CHECK_EQ(split("localhost:7", host, port), 0);
    CHECK_STR(host, "localhost");
    /* refused: ambiguous IPv6, bad brackets, bad ports, a host too long */
    CHECK_EQ(split("::1:1234", host, port), -1);
    CHECK_EQ(split("[::1]1234", host, port), -1);
    CHECK_EQ(split("[::1", host, port), -1);
    CHECK_EQ(split("host:", host, port), -1);
    CHECK_EQ(split("host:65536", host, port), -1);
    CHECK_EQ(split("host:-1", host, port), -1);
    CHECK_EQ(split("host:12x", host, port), -1);
    CHECK_EQ(split("host:99999999999999999999", host, port), -1);
    char longspec[200];
    memset(longspec, 'a', 100);
    strcpy(longspec + 100, ":1");
    CHECK_EQ(split(longspec, host, port), -1); /* 100 bytes of host in 64 */
    char err[128];
    CHECK_EQ(wdb_net_split("x:y", host, sizeof host, port, err, sizeof err), -1);
    CHECK(strstr(err, "bad port in 'x:y'") != NULL);
}

static void test_loopback(void)
{
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
    memset(&in, 0, sizeof in);
    in.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
    CHECK(wdb_net_is_loopback((struct sockaddr *)&in));
    inet_pton(AF_INET, "127.255.1.2", &in.sin_addr);
    CHECK(wdb_net_is_loopback((struct sockaddr *)&in));
    inet_pton(AF_INET, "0.0.0.0", &in.sin_addr);
    CHECK(!wdb_net_is_loopback((struct sockaddr *)&in));
    inet_pton(AF_INET, "10.0.0.1", &in.sin_addr);
    CHECK(!wdb_net_is_loopback((struct sockaddr *)&in));
    memset(&in6, 0, sizeof in6);
    in6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "::1", &in6.sin6_addr);
    CHECK(wdb_net_is_loopback((struct sockaddr *)&in6));
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
    CHECK(wdb_net_is_loopback((struct sockaddr *)&in6));
    inet_pton(AF_INET6, "::", &in6.sin6_addr);
    CHECK(!wdb_net_is_loopback((struct sockaddr *)&in6));
    inet_pton(AF_INET6, "::ffff:10.0.0.1", &in6.sin6_addr);
    CHECK(!wdb_net_is_loopback((struct sockaddr *)&in6));
}

static void test_listen(void)
{
    const wdb_net_listen_opts opts = {
        .what = "serve X", .risk = "pass --x to allow it", .backlog = 1};
    char err[256] = "", bound[INET6_ADDRSTRLEN] = "";
    int port = -1;
    bool lo = false;
    /* port 0: any free port, reported; loopback by default */
    int fd = wdb_net_listen("0", &opts, bound, &port, &lo, err, sizeof err);
    CHECK(fd >= 0);
    CHECK_STR(bound, "127.0.0.1");
    CHECK(port > 0);
    CHECK(lo);
    /* the port is taken by fd: a second listener on it fails and says where */
    char spec[32];
    snprintf(spec, sizeof spec, "127.0.0.1:%d", port);
    CHECK_EQ(wdb_net_listen(spec, &opts, NULL, NULL, NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "cannot listen on 127.0.0.1:", 27) == 0);
    if (fd >= 0) close(fd);
    /* every address is refused without allow_remote, naming the server and the risk */
    CHECK_EQ(wdb_net_listen("0.0.0.0:0", &opts, NULL, NULL, NULL, err, sizeof err), -1);
    CHECK_STR(err, "refusing to serve X on non-loopback address '0.0.0.0': pass --x to allow it");
    /* bad syntax comes from wdb_net_split */
    CHECK_EQ(wdb_net_listen("::1:5", &opts, NULL, NULL, NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "bad address '::1:5'", 19) == 0);
    /* allowed: listens, and says it is not loopback */
    wdb_net_listen_opts remote = opts;
    remote.allow_remote = true;
    fd = wdb_net_listen("0.0.0.0:0", &remote, bound, &port, &lo, err, sizeof err);
    CHECK(fd >= 0);
    CHECK_STR(bound, "0.0.0.0");
    CHECK(!lo);
    if (fd >= 0) close(fd);
}

int main(void)
{
    test_split();
    test_loopback();
    test_listen();
    return wdb_check_summary();
}
