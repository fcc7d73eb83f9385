/* The bench's SQLite workload (bench/workloads.sh): an in-memory database
 * of orders, customers and products filled from a fixed pseudo-random
 * sequence, then queries of the kinds applications run (point lookups
 * through an index, joins, GROUP BY with aggregates, ORDER BY with LIMIT,
 * LIKE, an UPDATE and a DELETE in a transaction, a recursive CTE), each
 * result folded into a checksum. SQLite is the amalgamation built from
 * Debian's sqlite3 source package, with SQLITE_OS_OTHER: the VFS below
 * gives randomness and time and opens no files, so the Wasm and the native
 * build do the same work (the database and its temporary tables stay in
 * memory). */
#include "sqlite3.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 0x2545f491u;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* --- a VFS that opens nothing: every database is ":memory:" */
static int v_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v, (void)name, (void)f, (void)flags, (void)out;
    return SQLITE_CANTOPEN;
}
static int v_delete(sqlite3_vfs *v, const char *name, int sync)
{
    (void)v, (void)name, (void)sync;
    return SQLITE_IOERR_DELETE;
}
static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v, (void)name, (void)flags;
    *out = 0;
    return SQLITE_OK;
}
static int v_full(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    snprintf(out, (size_t)n, "%s", name);
    return SQLITE_OK;
}
static int v_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    for (int i = 0; i < n; i++) out[i] = (char)next();
    return n;
}
static int v_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return us;
}
static int v_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    *out = 2461382.5; /* a fixed Julian day: the workload asks no time */
    return SQLITE_OK;
}
static int v_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    if (n > 0) out[0] = 0;
    return 0;
}

static sqlite3_vfs vfs = {
    .iVersion = 1,
    .szOsFile = sizeof(sqlite3_file),
    .mxPathname = 256,
    .zName = "bench",
    .xOpen = v_open,
    .xDelete = v_delete,
    .xAccess = v_access,
    .xFullPathname = v_full,
    .xRandomness = v_random,
    .xSleep = v_sleep,
    .xCurrentTime = v_time,
    .xGetLastError = v_error,
};

int sqlite3_os_init(void)
{
    return sqlite3_vfs_register(&vfs, 1);
}
int sqlite3_os_end(void)
{
    return SQLITE_OK;
}

/* --- the workload */
static sqlite3 *db;
static uint32_t sum;

static void fail(const char *what)
{
    fprintf(stderr, "sqlite-main: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "sqlite-main: %s: %s\n", sql, err ? err : "?");
        exit(1);
    }
}

/* runs sql with one optional integer parameter, folding every column of
 * every row into the checksum; returns the number of rows */
static int query(const char *sql, int has_param, int64_t param)
{
    sqlite3_stmt *st;
    int rows = 0, rc;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fail(sql);
    if (has_param) sqlite3_bind_int64(st, 1, param);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows++;
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const unsigned char *t = sqlite3_column_text(st, c);
            for (; t && *t; t++) sum = sum * 31 + *t;
        }
    }
    if (rc != SQLITE_DONE) fail(sql);
    sqlite3_finalize(st);
    return rows;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    int ncust = 2000 * scale, nprod = 500, nord = 40000 * scale;
    static const char *const words[] = {"red", "blue", "green", "large", "small", "steel",
                                        "wood", "glass", "lamp", "chair", "table", "cup"};
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) fail("open");
    exec("PRAGMA temp_store=MEMORY;"
         "CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT, city INTEGER);"
         "CREATE TABLE product(id INTEGER PRIMARY KEY, title TEXT, price INTEGER);"
         "CREATE TABLE orders(id INTEGER PRIMARY KEY, cust INTEGER, prod INTEGER,"
         " qty INTEGER, day INTEGER);");

    sqlite3_stmt *ins;
    exec("BEGIN");
    if (sqlite3_prepare_v2(db, "INSERT INTO customer VALUES(?1, ?2, ?3)", -1, &ins, NULL))
        fail("prepare customer");
    for (int i = 1; i <= ncust; i++) {
        char name[32];
        snprintf(name, sizeof name, "cust%05u", next() % 100000);
        sqlite3_bind_int(ins, 1, i);
        sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 3, (int)(next() % 40));
        if (sqlite3_step(ins) != SQLITE_DONE) fail("insert customer");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    if (sqlite3_prepare_v2(db, "INSERT INTO product VALUES(?1, ?2, ?3)", -1, &ins, NULL))
        fail("prepare product");
    for (int i = 1; i <= nprod; i++) {
        char title[64];
        /* one call a statement: C leaves the order of arguments open */
        const char *w1 = words[next() % 12], *w2 = words[next() % 12], *w3 = words[next() % 12];
        snprintf(title, sizeof title, "%s %s %s", w1, w2, w3);
        sqlite3_bind_int(ins, 1, i);
        sqlite3_bind_text(ins, 2, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 3, (int)(100 + next() % 9900));
        if (sqlite3_step(ins) != SQLITE_DONE) fail("insert product");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    if (sqlite3_prepare_v2(db, "INSERT INTO orders VALUES(NULL, ?1, ?2, ?3, ?4)", -1, &ins,
                           NULL))
        fail("prepare orders");
    for (int i = 0; i < nord; i++) {
        sqlite3_bind_int(ins, 1, (int)(1 + next() % (uint32_t)ncust));
        sqlite3_bind_int(ins, 2, (int)(1 + next() % (uint32_t)nprod));
        sqlite3_bind_int(ins, 3, (int)(1 + next() % 9));
        sqlite3_bind_int(ins, 4, (int)(next() % 365));
        if (sqlite3_step(ins) != SQLITE_DONE) fail("insert orders");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    exec("COMMIT;"
         "CREATE INDEX orders_cust ON orders(cust);"
         "CREATE INDEX orders_day ON orders(day);");

    int rows = 0;
    for (int i = 0; i < 12000 * scale; i++)
        rows += query("SELECT o.id, p.title, o.qty * p.price FROM orders o"
                      " JOIN product p ON p.id = o.prod WHERE o.cust = ?1",
                      1, 1 + next() % (uint32_t)ncust);
    rows += query("SELECT c.city, count(*), sum(o.qty * p.price), max(o.qty)"
                  " FROM orders o JOIN customer c ON c.id = o.cust"
                  " JOIN product p ON p.id = o.prod GROUP BY c.city ORDER BY c.city",
                  0, 0);
    rows += query("SELECT p.title, sum(o.qty) AS n FROM orders o JOIN product p ON p.id = o.prod"
                  " GROUP BY p.id ORDER BY n DESC, p.id LIMIT 20",
                  0, 0);
    rows += query("SELECT count(*), sum(price) FROM product WHERE title LIKE '%steel%cup%'", 0, 0);
    for (int d = 0; d < 365; d += 7)
        rows += query("SELECT day, count(*), avg(qty) FROM orders WHERE day BETWEEN ?1 AND ?1 + 6"
                      " GROUP BY day",
                      1, d);
    exec("BEGIN;"
         "UPDATE product SET price = price * 11 / 10 WHERE title LIKE 'red%';"
         "DELETE FROM orders WHERE qty = 1 AND day % 5 = 0;"
         "COMMIT;");
    rows += query("SELECT count(*), sum(qty) FROM orders", 0, 0);
    rows += query("WITH RECURSIVE r(n, acc) AS (SELECT 1, 1 UNION ALL"
                  " SELECT n + 1, (acc * 7 + n) % 1000003 FROM r WHERE n < 20000)"
                  " SELECT max(acc), sum(acc) FROM r",
                  0, 0);
    sqlite3_close(db);
    printf("sqlite: rows=%d checksum=%08x\n", rows, sum);
    return 0;
}
