/* An open-addressing hash table (FNV-1a, linear probing, tombstones,
 * resizing) and a chained one, checked against each other on a stream of
 * inserts, updates, deletes and lookups. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 16777619u;
    }
    return h;
}

/* --- open addressing --- */
enum { EMPTY, USED, DEAD };
struct slot {
    char *key;
    int value;
    int state;
};
struct oht {
    struct slot *slots;
    size_t cap, used, dead, resizes;
};

static void oht_put(struct oht *t, const char *key, int value);

static void oht_grow(struct oht *t)
{
    struct slot *old = t->slots;
    size_t oldcap = t->cap;
    t->cap = oldcap ? oldcap * 2 : 8;
    t->slots = calloc(t->cap, sizeof *t->slots);
    t->used = t->dead = 0;
    t->resizes++;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].state == USED) {
            oht_put(t, old[i].key, old[i].value);
            free(old[i].key);
        }
    free(old);
}

static struct slot *oht_find(struct oht *t, const char *key)
{
    if (!t->cap)
        return NULL;
    size_t i = fnv1a(key) & (t->cap - 1);
    for (;;) {
        struct slot *s = &t->slots[i];
        if (s->state == EMPTY)
            return NULL;
        if (s->state == USED && strcmp(s->key, key) == 0)
            return s;
        i = (i + 1) & (t->cap - 1);
    }
}

static void oht_put(struct oht *t, const char *key, int value)
{
    struct slot *s = oht_find(t, key);
    if (s) {
        s->value = value;
        return;
    }
    if ((t->used + t->dead + 1) * 4 > t->cap * 3)
        oht_grow(t);
    size_t i = fnv1a(key) & (t->cap - 1);
    while (t->slots[i].state == USED)
        i = (i + 1) & (t->cap - 1);
    if (t->slots[i].state == DEAD)
        t->dead--;
    t->slots[i].key = strdup(key);
    t->slots[i].value = value;
    t->slots[i].state = USED;
    t->used++;
}

static int oht_del(struct oht *t, const char *key)
{
    struct slot *s = oht_find(t, key);
    if (!s)
        return 0;
    free(s->key);
    s->key = NULL;
    s->state = DEAD;
    t->used--;
    t->dead++;
    return 1;
}

/* --- chaining --- */
struct entry {
    struct entry *next;
    int value;
    char key[];
};
struct cht {
    struct entry *buckets[257];
    size_t count;
};

static struct entry **cht_slot(struct cht *t, const char *key)
{
    struct entry **pp = &t->buckets[fnv1a(key) % 257];
    while (*pp && strcmp((*pp)->key, key) != 0)
        pp = &(*pp)->next;
    return pp;
}

static void cht_put(struct cht *t, const char *key, int value)
{
    struct entry **pp = cht_slot(t, key);
    if (*pp) {
        (*pp)->value = value;
        return;
    }
    size_t n = strlen(key);
    struct entry *e = malloc(sizeof *e + n + 1);
    memcpy(e->key, key, n + 1);
    e->value = value;
    e->next = NULL;
    *pp = e;
    t->count++;
}

static int cht_del(struct cht *t, const char *key)
{
    struct entry **pp = cht_slot(t, key);
    if (!*pp)
        return 0;
    struct entry *dead = *pp;
    *pp = dead->next;
    free(dead);
    t->count--;
    return 1;
}

int main(void)
{
    struct oht o = {0};
    static struct cht c;
    uint32_t r = 1;
    long mismatches = 0, hits = 0, deletes = 0;
    char key[32];
    for (int i = 0; i < 60000; i++) {
        r = r * 1103515245u + 12345u;
        unsigned k = (r >> 8) % 5000;
        snprintf(key, sizeof key, "key-%u-%x", k, k * 2654435761u);
        unsigned action = (r >> 4) % 10;
        if (action < 5) {
            oht_put(&o, key, i);
            cht_put(&c, key, i);
        } else if (action < 7) {
            int a = oht_del(&o, key), b = cht_del(&c, key);
            deletes += a;
            mismatches += a != b;
        } else {
            struct slot *s = oht_find(&o, key);
            struct entry **e = cht_slot(&c, key);
            if ((s != NULL) != (*e != NULL) || (s && s->value != (*e)->value))
                mismatches++;
            hits += s != NULL;
        }
    }
    printf("open: used=%zu dead=%zu cap=%zu resizes=%zu\n", o.used, o.dead, o.cap, o.resizes);
    printf("chained: count=%zu deletes=%ld hits=%ld mismatches=%ld\n", c.count, deletes, hits,
           mismatches);
    size_t longest = 0, emptyb = 0;
    for (int b = 0; b < 257; b++) {
        size_t n = 0;
        for (struct entry *e = c.buckets[b]; e; e = e->next)
            n++;
        if (n > longest)
            longest = n;
        emptyb += n == 0;
    }
    printf("chains: longest=%zu empty=%zu\n", longest, emptyb);
    long long vsum = 0;
    for (size_t i = 0; i < o.cap; i++)
        if (o.slots[i].state == USED)
            vsum += o.slots[i].value;
    printf("value sum=%lld\n", vsum);
    const char *probe[] = {"key-0-0", "key-1-9e3779b1", "key-4999-5ee7c1cf", "nope"};
    for (int i = 0; i < 4; i++) {
        struct slot *s = oht_find(&o, probe[i]);
        printf("find %s -> %d\n", probe[i], s ? s->value : -1);
    }
    printf("fnv1a: %08x %08x %08x\n", fnv1a(""), fnv1a("a"), fnv1a("hello world"));
    for (size_t i = 0; i < o.cap; i++)
        free(o.slots[i].key);
    free(o.slots);
    for (int b = 0; b < 257; b++)
        while (c.buckets[b])
            cht_del(&c, c.buckets[b]->key);
    printf("after cleanup: %zu\n", c.count);
    return 0;
}
