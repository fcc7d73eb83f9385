/*
 * The websocket transport of the DAP server (see wdb_dap_ws.h, and
 * docs/SECURITY.md for the rules it enforces).
 *
 * Threads. libwebsockets runs on this thread only (its service loop); each
 * connection's wb_dap session runs on a thread of its own and calls
 * ws_send from there. ws_send queues the message on the connection (under
 * the connection's lock) and wakes the loop with lws_cancel_service; the
 * loop then asks for LWS_CALLBACK_SERVER_WRITEABLE on every connection with
 * output and writes there, in chunks, so one big message does not hold up
 * the others. A closed connection's session is freed (wb_dap_free, which
 * may wait for a program to be killed) on a reaper thread, so the loop
 * keeps serving the other connections meanwhile.
 *
 * Sockets. We bind and accept ourselves and hand each accepted socket to
 * lws (lws_adopt_socket_vhost): binding exactly the address asked for,
 * with our own errors, is simpler than lws's interface matching, which
 * also defers a listener on an address that does not exist instead of
 * failing. The listening socket and the signal pipe are adopted as "raw
 * file" descriptors, so lws's poll wakes for them too.
 */
#define _GNU_SOURCE
#include "wdb_dap_ws.h"
#include "wdb/net.h"

#include <libwebsockets.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* Outgoing messages are written in pieces of this size (websocket
 * continuation frames), one piece per writeable callback. */
#define WS_TX_CHUNK (64u * 1024)
/* After the last output, how long until we look again whether the
 * session is done (wb_dap_done may turn true just after its last send). */
#define WS_DONE_RECHECK_US (200 * 1000)

typedef struct ws_out {
    struct ws_out *next;
    size_t len;          /* payload bytes */
    size_t off;          /* bytes already handed to lws_write */
    unsigned char buf[]; /* LWS_PRE bytes of room, then the payload */
} ws_out;

typedef struct ws_server ws_server;

typedef struct ws_conn {
    ws_server *srv;
    unsigned id;   /* for the log */
    char peer[64]; /* client address, for the log */
    wb_dap *dap;
    /* Service thread only. */
    struct lws *wsi;      /* NULL once lws closed it */
    struct ws_conn *next; /* srv->conns */
    char *rx;             /* the message being assembled */
    size_t rx_len, rx_cap;
    bool closing; /* we asked lws to close: say it once */
    /* Shared with the session's thread: under lock. */
    pthread_mutex_t lock;
    ws_out *head, *tail;
    size_t queued; /* payload bytes in the queue */
    bool overflow; /* the client reads too slowly: drop it */
    bool gone;     /* the connection is closed: ws_send discards */
} ws_conn;

struct ws_server {
    struct lws_context *ctx;
    struct lws_vhost *vh;
    const char *token;
    size_t token_len;
    const char *const *origins;
    bool allow_remote; /* --dap-allow-remote: any Host header */
    const wb_dap_opts *opts;
    int listen_fd, sig_fd; /* adopted by lws: it closes them */
    bool stop;
    unsigned next_id;
    ws_conn *conns; /* open connections (service thread only) */
    pthread_mutex_t reap_lock;
    pthread_cond_t reap_cond;
    size_t reaping; /* reaper threads still running */
};

/* The signal handler's only way to the server: a pipe the loop polls.
 * Process-wide by nature (signal dispositions are), hence one server per
 * process. */
static volatile sig_atomic_t ws_sig_write_fd = -1;

static void ws_on_signal(int sig)
{
    (void)sig;
    int saved = errno;
    int fd = ws_sig_write_fd;
    if (fd >= 0) {
        ssize_t n = write(fd, "x", 1);
        (void)n; /* a full pipe already holds a wake-up */
    }
    errno = saved;
}

static void ws_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ws_log(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "wdb: DAP websocket: %s\n", line);
}

/* libwebsockets' own messages (errors and warnings only). */
static void ws_lws_log(int level, const char *line)
{
    (void)level;
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    fprintf(stderr, "wdb: libwebsockets: %.*s\n", (int)n, line);
}

/* ------------------------------------------------------------- sending */

/* wb_dap_send_fn: called on the session's thread. Holding the lock while
 * waking the loop matters at shutdown: once the loop has marked the
 * connection gone (under the same lock), no thread touches the lws
 * context any more, so it can be destroyed. */
static void ws_send(void *user, const char *json, size_t len)
{
    ws_conn *c = user;
    ws_out *m = NULL;
    if (len <= WB_DAP_WS_MAX_QUEUE) {
        m = malloc(sizeof *m + LWS_PRE + len);
        if (m) {
            m->next = NULL;
            m->len = len;
            m->off = 0;
            memcpy(m->buf + LWS_PRE, json, len);
        }
    }
    pthread_mutex_lock(&c->lock);
    if (c->gone || c->overflow) {
        pthread_mutex_unlock(&c->lock);
        free(m);
        return;
    }
    if (!m || len > WB_DAP_WS_MAX_QUEUE - c->queued) {
        /* Too slow a reader (or no memory): the connection is dropped by
         * the loop; a session with a hole in its output is no use. */
        c->overflow = true;
        free(m);
    } else {
        if (c->tail)
            c->tail->next = m;
        else
            c->head = m;
        c->tail = m;
        c->queued += len;
    }
    lws_cancel_service(c->srv->ctx);
    pthread_mutex_unlock(&c->lock);
}

static void ws_queue_clear(ws_conn *c)
{
    while (c->head) {
        ws_out *m = c->head;
        c->head = m->next;
        free(m);
    }
    c->tail = NULL;
    c->queued = 0;
}

/* Writes the next piece of the queue. Returns -1 to close the connection
 * (after lws_close_reason), else 0. */
static int ws_writeable(ws_conn *c, struct lws *wsi)
{
    pthread_mutex_lock(&c->lock);
    bool overflow = c->overflow;
    ws_out *m = c->head;
    pthread_mutex_unlock(&c->lock);
    if (c->closing) return -1;
    if (overflow) {
        c->closing = true;
        ws_log("session %u (%s): client does not read its messages (over %u MiB queued); "
               "closing",
               c->id, c->peer, WB_DAP_WS_MAX_QUEUE >> 20);
        static const char why[] = "client too slow";
        lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION, (unsigned char *)why,
                         sizeof why - 1);
        return -1;
    }
    if (!m) {
        if (wb_dap_done(c->dap)) {
            c->closing = true;
            ws_log("session %u (%s): ended by the client (disconnect)", c->id, c->peer);
            lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
            return -1;
        }
        /* (Re)scheduled after every drain: one look, shortly after the
         * last output. */
        lws_set_timer_usecs(wsi, WS_DONE_RECHECK_US);
        return 0;
    }
    /* Only the service thread consumes the queue, so m stays at its head
     * without the lock; the session thread only appends. */
    size_t n = m->len - m->off;
    if (n > WS_TX_CHUNK) n = WS_TX_CHUNK;
    bool first = m->off == 0, last = m->off + n == m->len;
    /* lws_write writes the frame header into the LWS_PRE bytes before the
     * payload: the room we left for the first piece, payload already sent
     * for the others (WS_TX_CHUNK > LWS_PRE). */
    unsigned char *p = m->buf + LWS_PRE + m->off;
    int flags = lws_write_ws_flags(LWS_WRITE_TEXT, first, last);
    if (lws_write(wsi, p, n, (enum lws_write_protocol)flags) < 0) {
        ws_log("session %u (%s): write failed; closing", c->id, c->peer);
        return -1;
    }
    m->off += n;
    if (last) {
        pthread_mutex_lock(&c->lock);
        c->head = m->next;
        if (!c->head) c->tail = NULL;
        c->queued -= m->len;
        pthread_mutex_unlock(&c->lock);
        free(m);
    }
    /* Once more: for the next piece, or, with the queue empty, to see
     * whether the session is done (the write may still be draining). */
    lws_callback_on_writable(wsi);
    return 0;
}

/* ------------------------------------------------------------ receiving */

/* One piece of an incoming message. Returns -1 to close the connection. */
static int ws_receive(ws_conn *c, struct lws *wsi, const void *in, size_t len)
{
    if (lws_frame_is_binary(wsi)) {
        ws_log("session %u (%s): binary frame (DAP messages are text); closing", c->id, c->peer);
        static const char why[] = "DAP messages are text frames";
        lws_close_reason(wsi, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, (unsigned char *)why,
                         sizeof why - 1);
        return -1;
    }
    size_t rest = lws_remaining_packet_payload(wsi); /* of this frame */
    size_t max = WB_DAP_WS_MAX_MESSAGE;
    if (len > max - c->rx_len || rest > max - c->rx_len - len) {
        ws_log("session %u (%s): message over %u MiB; closing", c->id, c->peer,
               WB_DAP_WS_MAX_MESSAGE >> 20);
        static const char why[] = "message too big";
        lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, (unsigned char *)why,
                         sizeof why - 1);
        return -1;
    }
    size_t need = c->rx_len + len + rest;
    if (need > c->rx_cap) {
        size_t cap = c->rx_cap ? c->rx_cap : 4096;
        while (cap < need)
            cap = cap > max / 2 ? max : cap * 2;
        char *rx = realloc(c->rx, cap);
        if (!rx) {
            ws_log("session %u (%s): out of memory for a message of %zu bytes; closing", c->id,
                   c->peer, need);
            lws_close_reason(wsi, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION, NULL, 0);
            return -1;
        }
        c->rx = rx;
        c->rx_cap = cap;
    }
    if (len) memcpy(c->rx + c->rx_len, in, len);
    c->rx_len += len;
    if (!lws_is_final_fragment(wsi)) return 0;
    wb_dap_receive(c->dap, c->rx ? c->rx : "", c->rx_len); /* copies */
    c->rx_len = 0;
    if (c->rx_cap > 1024 * 1024) { /* do not keep a big buffer around */
        free(c->rx);
        c->rx = NULL;
        c->rx_cap = 0;
    }
    return 0;
}

/* ----------------------------------------------- connections and reaping */

static void ws_conn_free(ws_conn *c)
{
    wb_dap_free(c->dap); /* stops the session's thread: no ws_send after */
    ws_queue_clear(c);
    pthread_mutex_destroy(&c->lock);
    free(c->rx);
    free(c);
}

static void *ws_reaper(void *arg)
{
    ws_conn *c = arg;
    ws_server *srv = c->srv;
    ws_conn_free(c);
    pthread_mutex_lock(&srv->reap_lock);
    srv->reaping--;
    pthread_cond_broadcast(&srv->reap_cond);
    pthread_mutex_unlock(&srv->reap_lock);
    return NULL;
}

/* Takes c off the server (it must be marked gone) and frees it on a
 * thread of its own. */
static void ws_reap(ws_server *srv, ws_conn *c)
{
    for (ws_conn **pp = &srv->conns; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    c->wsi = NULL;
    pthread_mutex_lock(&srv->reap_lock);
    srv->reaping++;
    pthread_mutex_unlock(&srv->reap_lock);
    pthread_attr_t attr;
    pthread_t t;
    bool started = false;
    if (pthread_attr_init(&attr) == 0) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        started = pthread_create(&t, &attr, ws_reaper, c) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!started) ws_reaper(c); /* here, then: the others wait a little */
}

static void ws_mark_gone(ws_conn *c)
{
    pthread_mutex_lock(&c->lock);
    c->gone = true;
    ws_queue_clear(c);
    pthread_mutex_unlock(&c->lock);
}

static ws_conn *ws_conn_open(ws_server *srv, struct lws *wsi)
{
    ws_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    c->srv = srv;
    c->wsi = wsi;
    c->id = ++srv->next_id;
    if (!lws_get_peer_simple(wsi, c->peer, sizeof c->peer)) snprintf(c->peer, sizeof c->peer, "?");
    c->dap = wb_dap_new(srv->opts, ws_send, c);
    if (!c->dap) {
        pthread_mutex_destroy(&c->lock);
        free(c);
        return NULL;
    }
    c->next = srv->conns;
    srv->conns = c;
    return c;
}

/* ------------------------------------------------------------ admission */

/* Equal strings, in a time that depends on the expected one's length
 * only (not on where the first difference is). */
static bool ws_token_equal(const char *expected, size_t elen, const char *given, size_t glen)
{
    unsigned char diff = elen != glen;
    for (size_t i = 0; i < elen; i++)
        diff |= (unsigned char)expected[i] ^ (unsigned char)(i < glen ? given[i] : 0);
    return diff == 0;
}

static bool ws_prefix_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Origins of VS Code's own renderer and webviews: only VS Code can send
 * them (a browser page cannot forge the scheme). */
static const char *const ws_builtin_origin_schemes[] = {"vscode-webview://", "vscode-file://"};

static bool ws_origin_allowed(const ws_server *srv, const char *origin)
{
    for (size_t i = 0; i < sizeof ws_builtin_origin_schemes / sizeof *ws_builtin_origin_schemes;
         i++)
        if (ws_prefix_ci(origin, ws_builtin_origin_schemes[i]) &&
            origin[strlen(ws_builtin_origin_schemes[i])])
            return true;
    for (const char *const *o = srv->origins; o && *o; o++)
        if (strcasecmp(*o, origin) == 0) return true;
    return false;
}

/* Copies header h into buf (NUL-terminated). 0: absent, -1: longer than
 * buf, else its length + 1. */
static int ws_header(struct lws *wsi, enum lws_token_indexes h, char *buf, int size)
{
    int n = lws_hdr_total_length(wsi, h);
    if (n <= 0) return 0;
    if (n >= size || lws_hdr_copy(wsi, buf, size, h) < 0) return -1;
    return n + 1;
}

/* A Host header naming loopback: `localhost`, an address in 127.0.0.0/8
 * or `[::1]`, each with an optional `:PORT`. Anything else is refused
 * while the server is loopback-only: a web page whose own name was made
 * to resolve to 127.0.0.1 (DNS rebinding) sends its own name here. */
static bool ws_host_loopback(const char *host)
{
    char name[64];
    const char *end;
    if (host[0] == '[') {
        end = strchr(host, ']');
        if (!end || (size_t)(end - host - 1) >= sizeof name) return false;
        memcpy(name, host + 1, (size_t)(end - host - 1));
        name[end - host - 1] = 0;
        end++;
    } else {
        end = strchr(host, ':');
        if (!end) end = host + strlen(host);
        if ((size_t)(end - host) >= sizeof name) return false;
        memcpy(name, host, (size_t)(end - host));
        name[end - host] = 0;
    }
    if (*end == ':') {
        const char *p = end + 1;
        if (!*p || strlen(p) > 5) return false;
        for (; *p; p++)
            if (*p < '0' || *p > '9') return false;
    } else if (*end) {
        return false;
    }
    if (host[0] == '[') {
        struct in6_addr a6;
        return inet_pton(AF_INET6, name, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
    }
    if (strcasecmp(name, "localhost") == 0) return true;
    struct in_addr a4;
    return inet_pton(AF_INET, name, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

/* The `token=` argument of the URL's query: its value in buf and its
 * length as received (a NUL inside counts, so it cannot cut the token
 * short). NULL if there is none. */
static const char *ws_query_token(struct lws *wsi, char *buf, int size, size_t *len)
{
    for (int i = 0;; i++) {
        int n = lws_hdr_copy_fragment(wsi, buf, size, WSI_TOKEN_HTTP_URI_ARGS, i);
        if (n < 0) return NULL;
        if (n >= 6 && strncmp(buf, "token=", 6) == 0) {
            *len = (size_t)n - 6;
            return buf + 6;
        }
    }
}

/* Whether this upgrade request may become a session: NULL if so, else why
 * not, with the HTTP status to answer in *status. */
static const char *ws_refusal(const ws_server *srv, struct lws *wsi, unsigned *status)
{
    char buf[1024];
    const char *token = NULL;
    size_t token_len = 0;
    *status = HTTP_STATUS_UNAUTHORIZED;
    /* The token: `Authorization: Bearer TOKEN`, else `?token=TOKEN` (what
     * a browser's WebSocket API can send). */
    int n = ws_header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, buf, (int)sizeof buf);
    if (n < 0) return "Authorization header too long";
    if (n > 0) {
        if (!ws_prefix_ci(buf, "Bearer ")) return "Authorization is not `Bearer TOKEN`";
        /* the header's length as received, not strlen: a NUL after the
         * token must not cut what is compared */
        const char *hend = buf + n - 1;
        token = buf + 7;
        while (token < hend && *token == ' ')
            token++;
        token_len = (size_t)(hend - token);
        while (token_len && token[token_len - 1] == ' ')
            token_len--;
    } else {
        token = ws_query_token(wsi, buf, (int)sizeof buf, &token_len);
    }
    if (!token) return "no token";
    if (!ws_token_equal(srv->token, srv->token_len, token, token_len)) return "wrong token";
    /* The Host: loopback names only, unless the server serves remote
     * clients (DNS rebinding, docs/SECURITY.md). Every browser sends one. */
    n = ws_header(wsi, WSI_TOKEN_HOST, buf, (int)sizeof buf);
    *status = HTTP_STATUS_FORBIDDEN;
    if (n < 0) return "Host header too long";
    if (n > 0 && !srv->allow_remote && (memchr(buf, 0, (size_t)n - 1) || !ws_host_loopback(buf)))
        return "Host is not a loopback name (localhost, 127.x.y.z, [::1])";
    /* The Origin: browsers always send one, other clients need not. */
    n = ws_header(wsi, WSI_TOKEN_ORIGIN, buf, (int)sizeof buf);
    *status = HTTP_STATUS_FORBIDDEN;
    if (n < 0) return "Origin header too long";
    if (n > 0 && !ws_origin_allowed(srv, buf)) return "Origin not allowed (see --dap-origin)";
    return NULL;
}

static void ws_log_refusal(struct lws *wsi, const char *why)
{
    char peer[64], origin[128];
    if (!lws_get_peer_simple(wsi, peer, sizeof peer)) snprintf(peer, sizeof peer, "?");
    int n = ws_header(wsi, WSI_TOKEN_ORIGIN, origin, (int)sizeof origin);
    if (n > 0) {
        for (char *p = origin; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e) *p = '?';
        ws_log("refused a connection from %s (Origin %s): %s", peer, origin, why);
    } else {
        ws_log("refused a connection from %s: %s", peer, why);
    }
}

/* ------------------------------------------------- listening and signals */

static int ws_accept_all(ws_server *srv)
{
    for (;;) {
        int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
                ws_log("accept: %s", strerror(errno));
            return 0;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (!lws_adopt_socket_vhost(srv->vh, fd)) /* closes fd on failure */
            ws_log("could not take a connection (out of memory?)");
    }
}

/* A raw descriptor became readable: the listening socket or the signal
 * pipe. */
static int ws_raw_readable(ws_server *srv, struct lws *wsi)
{
    int fd = (int)lws_get_socket_fd(wsi);
    if (fd == srv->listen_fd) return ws_accept_all(srv);
    if (fd == srv->sig_fd) {
        char buf[64];
        while (read(fd, buf, sizeof buf) > 0) {
        }
        srv->stop = true;
    }
    return 0;
}

/* Binds and listens on spec (see wb_dap_ws_main). Returns the descriptor
 * (non-blocking) and the bound address as a ws:// URL, or -1 after a
 * message on stderr. */
static int ws_listen(const char *spec, bool allow_remote, char *url, size_t url_size)
{
    const wdb_net_listen_opts opts = {
        .allow_remote = allow_remote,
        .what = "serve DAP",
        .risk = "whoever has the token can run programs as you; pass --dap-allow-remote to "
                "allow it (docs/SECURITY.md)",
        .backlog = 16,
        .nonblock = true,
    };
    char name[INET6_ADDRSTRLEN], why[400];
    int port;
    bool loopback;
    int fd = wdb_net_listen(spec, &opts, name, &port, &loopback, why, sizeof why);
    if (fd < 0) {
        fprintf(stderr, "wdb: %s\n", why);
        return -1;
    }
    snprintf(url, url_size, strchr(name, ':') ? "ws://[%s]:%d" : "ws://%s:%d", name, port);
    if (!loopback)
        fprintf(stderr, "wdb: warning: the DAP server is reachable from other hosts and "
                        "websocket traffic is not encrypted: the token and the session can be "
                        "read on the network (an SSH tunnel to a loopback server is safer)\n");
    return fd;
}

/* ------------------------------------------------------------- callback */

typedef struct ws_pss {
    ws_conn *c;
} ws_pss;

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                       size_t len)
{
    ws_server *srv = lws_context_user(lws_get_context(wsi));
    ws_pss *pss = user;
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE: return ws_raw_readable(srv, wsi);

    case LWS_CALLBACK_HTTP: {
        /* A plain HTTP request: nothing is served over HTTP. */
        if (lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND,
                                   "wdb DAP server: websocket connections only"))
            return -1;
        return lws_http_transaction_completed(wsi) ? -1 : 0;
    }

    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: {
        /* The one door to a session: check before the upgrade, so a
         * refusal is an HTTP status the client can report. */
        unsigned status;
        const char *why = in && strcasecmp(in, "websocket") == 0 ? NULL : "not a websocket upgrade";
        status = HTTP_STATUS_FORBIDDEN;
        if (!why) why = ws_refusal(srv, wsi, &status);
        if (!why) return 0;
        ws_log_refusal(wsi, why);
        if (lws_return_http_status(wsi, status, why)) return -1;
        return 1; /* answered: lws completes the transaction */
    }

    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: {
        /* Checked again here in case some other path (an HTTP/2 stream's
         * websocket) reaches a session without the check above. */
        unsigned status;
        const char *why = ws_refusal(srv, wsi, &status);
        if (!why) return 0;
        ws_log_refusal(wsi, why);
        return -1;
    }

    case LWS_CALLBACK_ESTABLISHED: {
        ws_conn *c = ws_conn_open(srv, wsi);
        pss->c = c;
        if (!c) {
            ws_log("could not start a session (out of memory?)");
            lws_close_reason(wsi, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION, NULL, 0);
            return -1;
        }
        ws_log("session %u: client %s connected", c->id, c->peer);
        return 0;
    }

    case LWS_CALLBACK_RECEIVE:
        if (!pss->c) return -1;
        return ws_receive(pss->c, wsi, in, len);

    case LWS_CALLBACK_SERVER_WRITEABLE:
        if (!pss->c) return 0;
        return ws_writeable(pss->c, wsi);

    case LWS_CALLBACK_TIMER:
        if (pss->c && wb_dap_done(pss->c->dap)) lws_callback_on_writable(wsi);
        return 0;

    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        /* Some session queued output (or overflowed). */
        for (ws_conn *c = srv->conns; c; c = c->next) {
            pthread_mutex_lock(&c->lock);
            bool want = c->head || c->overflow;
            pthread_mutex_unlock(&c->lock);
            if (want && c->wsi) lws_callback_on_writable(c->wsi);
        }
        return 0;

    case LWS_CALLBACK_CLOSED:
        if (pss->c) {
            ws_conn *c = pss->c;
            pss->c = NULL;
            ws_log("session %u (%s): closed", c->id, c->peer);
            ws_mark_gone(c);
            ws_reap(srv, c);
        }
        return 0;

    default: return 0;
    }
}

static const struct lws_protocols ws_protocols[] = {
    /* The only protocol: plain HTTP (refused), the websocket sessions (a
     * client may ask for subprotocol "dap" or none) and the raw
     * descriptors all come here. A second protocol would be reachable by
     * any client naming it in Sec-WebSocket-Protocol. */
    {.name = "dap",
     .callback = ws_callback,
     .per_session_data_size = sizeof(ws_pss),
     .rx_buffer_size = 64 * 1024},
    {.name = NULL},
};

/* ----------------------------------------------------------------- main */

static bool ws_adopt_raw(ws_server *srv, int fd)
{
    lws_sock_file_fd_type d;
    d.filefd = fd;
    return lws_adopt_descriptor_vhost(srv->vh, LWS_ADOPT_RAW_FILE_DESC, d, NULL, NULL) != NULL;
}

static bool ws_token_ok(const char *token)
{
    if (!token || strlen(token) < WB_DAP_WS_MIN_TOKEN) return false;
    for (const char *p = token; *p; p++)
        if (*p <= ' ' || *p > '~') return false;
    return true;
}

int wb_dap_ws_main(const char *addr_port, const char *token, const char *const *allowed_origins,
                   bool allow_remote, const wb_dap_opts *o)
{
    if (!ws_token_ok(token)) {
        fprintf(stderr,
                "wdb: the DAP token must be at least %d printable characters without "
                "spaces (e.g. WDB_DAP_TOKEN=$(openssl rand -hex 24))\n",
                WB_DAP_WS_MIN_TOKEN);
        return 2;
    }
    ws_server srv;
    memset(&srv, 0, sizeof srv);
    srv.token = token;
    srv.token_len = strlen(token);
    srv.allow_remote = allow_remote;
    srv.origins = allowed_origins;
    srv.opts = o;
    srv.listen_fd = -1;
    srv.sig_fd = -1;
    int sig_pipe[2] = {-1, -1};
    int status = 1;
    bool locks = false, handlers = false;
    struct sigaction old_int, old_term, old_pipe;

    char url[96];
    int lfd = ws_listen(addr_port, allow_remote, url, sizeof url);
    if (lfd < 0) return 1;
    if (pthread_mutex_init(&srv.reap_lock, NULL) != 0) goto fail;
    if (pthread_cond_init(&srv.reap_cond, NULL) != 0) {
        pthread_mutex_destroy(&srv.reap_lock);
        goto fail;
    }
    locks = true;
    if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        fprintf(stderr, "wdb: pipe: %s\n", strerror(errno));
        goto fail;
    }

    lws_set_log_level(LLL_ERR | LLL_WARN, ws_lws_log);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    /* RFC 6455 5.6/8.1: text must be UTF-8; lws checks it and closes with
     * 1007 when it is not. */
    info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_VALIDATE_UTF8;
    info.user = &srv;
    srv.ctx = lws_create_context(&info);
    if (!srv.ctx) {
        fprintf(stderr, "wdb: cannot start libwebsockets\n");
        goto fail;
    }
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER; /* we accept, lws serves */
    info.vhost_name = "wdb-dap";
    info.protocols = ws_protocols;
    srv.vh = lws_create_vhost(srv.ctx, &info);
    if (!srv.vh) {
        fprintf(stderr, "wdb: cannot start libwebsockets (vhost)\n");
        goto fail;
    }
    /* From here lws owns (and closes) what it adopted. */
    srv.listen_fd = lfd;
    if (!ws_adopt_raw(&srv, lfd)) {
        fprintf(stderr, "wdb: cannot poll the listening socket\n");
        srv.listen_fd = -1;
        goto fail;
    }
    lfd = -1;
    srv.sig_fd = sig_pipe[0];
    if (!ws_adopt_raw(&srv, sig_pipe[0])) {
        fprintf(stderr, "wdb: cannot poll the signal pipe\n");
        srv.sig_fd = -1;
        goto fail;
    }
    sig_pipe[0] = -1;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = ws_on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ws_sig_write_fd = sig_pipe[1];
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &old_pipe);
    handlers = true;

    fprintf(stderr, "wdb: DAP websocket server on %s (token required)\n", url);
    fflush(stderr);
    while (!srv.stop)
        if (lws_service(srv.ctx, 0) < 0) {
            fprintf(stderr, "wdb: DAP websocket server: the service loop failed\n");
            goto fail;
        }
    fprintf(stderr, "wdb: DAP websocket server: stopping\n");
    status = 0;

fail:
    if (srv.ctx) {
        /* No session may wake the loop once the context is gone. */
        for (ws_conn *c = srv.conns; c; c = c->next)
            ws_mark_gone(c);
        lws_context_destroy(srv.ctx); /* CLOSED for each connection: reaped */
        while (srv.conns)
            ws_reap(&srv, srv.conns); /* any lws did not report */
    }
    if (locks) {
        pthread_mutex_lock(&srv.reap_lock);
        while (srv.reaping)
            pthread_cond_wait(&srv.reap_cond, &srv.reap_lock);
        pthread_mutex_unlock(&srv.reap_lock);
        pthread_cond_destroy(&srv.reap_cond);
        pthread_mutex_destroy(&srv.reap_lock);
    }
    if (handlers) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        sigaction(SIGPIPE, &old_pipe, NULL);
    }
    ws_sig_write_fd = -1;
    if (lfd >= 0) close(lfd);
    if (sig_pipe[0] >= 0) close(sig_pipe[0]);
    if (sig_pipe[1] >= 0) close(sig_pipe[1]);
    return status;
}

/* ------------------------------------------------------------ the options */

/* "--name=VALUE" / "-name=VALUE" / "--name VALUE": the value of option
 * name (given without dashes) at argv[*i], advancing *i past a separate
 * value; NULL if argv[*i] is not that option. *missing is set when the
 * value is absent. */
static const char *ws_opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    const char *a = argv[*i];
    if (a[0] != '-') return NULL;
    a += a[1] == '-' ? 2 : 1;
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (a[n]) return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

static bool ws_opt_flag(const char *a, const char *name)
{
    if (a[0] != '-') return false;
    a += a[1] == '-' ? 2 : 1;
    return strcmp(a, name) == 0;
}

bool wb_dap_ws_is_option(const char *arg)
{
    /* --source-map and --dap-log are shared with `wdb --dap`, which is
     * recognised before the CLI's options: here they mean the websocket
     * server (or an error saying --dap-ws is missing). */
    static const char *const names[] = {"dap-ws",           "dap-token", "dap-origin",
                                        "dap-allow-remote", "dap-log",   "source-map"};
    if (arg[0] != '-') return false;
    arg += arg[1] == '-' ? 2 : 1;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(arg, names[i], n) == 0 && (arg[n] == 0 || arg[n] == '=')) return true;
    }
    return false;
}

static void ws_usage(FILE *out)
{
    fprintf(out,
            "usage: wdb --dap-ws=ADDR:PORT [--dap-token=TOKEN] [--dap-origin=ORIGIN]...\n"
            "           [--dap-allow-remote] [--runtime=PATH] [--source-map=FROM::TO]...\n"
            "           [--dap-log=FILE]\n"
            "Serves the Debug Adapter Protocol over websockets: one session per connection,\n"
            "one DAP message per text message. ADDR defaults to 127.0.0.1; port 0 picks one.\n"
            "Every connection must present the token (at least %d characters; better from\n"
            "the environment, WDB_DAP_TOKEN, than on the command line) as\n"
            "`Authorization: Bearer TOKEN` or as `?token=TOKEN` in the URL. Browser Origins\n"
            "other than vscode-webview:// and vscode-file:// must be listed with\n"
            "--dap-origin. See docs/SECURITY.md.\n",
            WB_DAP_WS_MIN_TOKEN);
}

int wb_dap_ws_cli(int argc, char **argv)
{
    const char *addr = NULL, *token = NULL;
    bool allow_remote = false;
    int status = 2;
    wb_dap_opts o;
    memset(&o, 0, sizeof o);
    const char **origins = calloc((size_t)argc + 1, sizeof *origins);
    /* pairs FROM, TO; the FROMs are allocated (the even entries) */
    char **map = calloc((size_t)argc * 2 + 1, sizeof *map);
    size_t norigins = 0, nmap = 0;
    if (!origins || !map) {
        status = 1;
        goto out;
    }
    for (int i = 1; i < argc; i++) {
        bool missing = false;
        const char *v;
        if ((v = ws_opt_value(argc, argv, &i, "dap-ws", &missing))) {
            addr = v;
        } else if ((v = ws_opt_value(argc, argv, &i, "dap-token", &missing))) {
            token = v;
        } else if ((v = ws_opt_value(argc, argv, &i, "dap-origin", &missing))) {
            origins[norigins++] = v;
        } else if ((v = ws_opt_value(argc, argv, &i, "runtime", &missing))) {
            o.runtime = v;
        } else if ((v = ws_opt_value(argc, argv, &i, "source-map", &missing))) {
            const char *sep = strstr(v, "::");
            if (!sep) {
                fprintf(stderr, "wdb: --source-map needs FROM::TO\n");
                goto out;
            }
            if (!(map[nmap] = strndup(v, (size_t)(sep - v)))) {
                status = 1;
                goto out;
            }
            map[nmap + 1] = (char *)(sep + 2);
            nmap += 2;
        } else if ((v = ws_opt_value(argc, argv, &i, "dap-log", &missing))) {
            if (o.log) fclose(o.log);
            if (!(o.log = fopen(v, "w"))) {
                fprintf(stderr, "wdb: cannot open %s: %s\n", v, strerror(errno));
                goto out;
            }
        } else if (!missing && ws_opt_flag(argv[i], "dap-allow-remote")) {
            allow_remote = true;
        } else if (!missing && (ws_opt_flag(argv[i], "help") || ws_opt_flag(argv[i], "h"))) {
            ws_usage(stdout);
            status = 0;
            goto out;
        } else if (missing) {
            fprintf(stderr, "wdb: option '%s' requires an argument\n", argv[i]);
            goto out;
        } else {
            fprintf(stderr, "wdb: '%s' does not go with --dap-ws\n", argv[i]);
            ws_usage(stderr);
            goto out;
        }
    }
    if (!addr) {
        fprintf(stderr, "wdb: the DAP websocket options need --dap-ws=ADDR:PORT\n");
        goto out;
    }
    if (!token) token = getenv("WDB_DAP_TOKEN");
    if (!token || !*token) {
        fprintf(stderr, "wdb: --dap-ws needs a token: set WDB_DAP_TOKEN (or --dap-token=TOKEN, "
                        "visible to other users in ps)\n");
        goto out;
    }
    o.source_map = (const char *const *)map;
    status = wb_dap_ws_main(addr, token, origins, allow_remote, &o);
out:
    for (size_t k = 0; map && k < nmap; k += 2)
        free(map[k]);
    free(map);
    free(origins);
    if (o.log) fclose(o.log);
    return status;
}
