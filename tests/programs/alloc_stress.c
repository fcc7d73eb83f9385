/* malloc/realloc/free stress: a linked list built and torn down in several
 * orders, arrays grown by realloc, many small blocks of varied sizes freed
 * in a scrambled order, calloc zeroing. Prints checksums only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    struct node *next;
    int value;
    char tag[12];
};

static uint32_t rng_state = 12345u;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static struct node *push(struct node *head, int v)
{
    struct node *n = malloc(sizeof *n);
    if (!n) {
        puts("out of memory");
        exit(1);
    }
    n->next = head;
    n->value = v;
    snprintf(n->tag, sizeof n->tag, "n%d", v);
    return n;
}

static struct node *reverse(struct node *h)
{
    struct node *prev = NULL;
    while (h) {
        struct node *nx = h->next;
        h->next = prev;
        prev = h;
        h = nx;
    }
    return prev;
}

/* Removes every node whose value is divisible by k. */
static struct node *remove_multiples(struct node *h, int k, int *removed)
{
    struct node **pp = &h;
    while (*pp) {
        if ((*pp)->value % k == 0) {
            struct node *dead = *pp;
            *pp = dead->next;
            free(dead);
            (*removed)++;
        } else {
            pp = &(*pp)->next;
        }
    }
    return h;
}

int main(void)
{
    /* 1. linked list */
    struct node *list = NULL;
    for (int i = 1; i <= 20000; i++)
        list = push(list, i);
    list = reverse(list);
    int removed = 0;
    list = remove_multiples(list, 3, &removed);
    list = remove_multiples(list, 7, &removed);
    long long sum = 0;
    int count = 0;
    size_t taglen = 0;
    for (struct node *n = list; n; n = n->next) {
        sum += n->value;
        count++;
        taglen += strlen(n->tag);
    }
    printf("list: count=%d removed=%d sum=%lld taglen=%zu first=%s\n", count, removed, sum,
           taglen, list ? list->tag : "-");
    while (list) {
        struct node *nx = list->next;
        free(list);
        list = nx;
    }

    /* 2. growing arrays, doubling and by one */
    size_t cap = 1, len = 0;
    uint64_t *arr = malloc(cap * sizeof *arr);
    for (uint64_t i = 0; i < 100000; i++) {
        if (len == cap) {
            cap *= 2;
            uint64_t *na = realloc(arr, cap * sizeof *arr);
            if (!na) {
                puts("realloc failed");
                return 1;
            }
            arr = na;
        }
        arr[len++] = i * i;
    }
    uint64_t acc = 0;
    for (size_t i = 0; i < len; i++)
        acc = acc * 31 + arr[i];
    printf("array: len=%zu cap=%zu acc=%llu\n", len, cap, (unsigned long long)acc);
    free(arr);

    char *str = NULL;
    size_t slen = 0;
    for (int i = 0; i < 3000; i++) {
        char piece[16];
        int n = snprintf(piece, sizeof piece, "%d,", i);
        char *ns = realloc(str, slen + (size_t)n + 1);
        if (!ns)
            return 1;
        str = ns;
        memcpy(str + slen, piece, (size_t)n + 1);
        slen += (size_t)n;
    }
    printf("string: len=%zu tail=%s\n", slen, str + slen - 10);
    /* shrink it */
    str = realloc(str, 11);
    str[10] = '\0';
    printf("shrunk: %s\n", str);
    free(str);

    /* 3. many blocks of random size, freed in random order, with checks */
    enum { NB = 4000 };
    unsigned char **blocks = calloc(NB, sizeof *blocks);
    size_t *sizes = calloc(NB, sizeof *sizes);
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < NB; i++) {
            if (blocks[i] && (rng() & 1)) {
                for (size_t k = 0; k < sizes[i]; k++)
                    if (blocks[i][k] != (unsigned char)(i + k)) {
                        printf("corruption at block %d\n", i);
                        return 1;
                    }
                free(blocks[i]);
                blocks[i] = NULL;
            }
            if (!blocks[i]) {
                sizes[i] = 1 + rng() % (round == 3 ? 9000 : 300);
                blocks[i] = malloc(sizes[i]);
                for (size_t k = 0; k < sizes[i]; k++)
                    blocks[i][k] = (unsigned char)(i + k);
            } else if (rng() % 4 == 0) {
                size_t ns = 1 + rng() % 600;
                unsigned char *nb = realloc(blocks[i], ns);
                size_t keep = ns < sizes[i] ? ns : sizes[i];
                for (size_t k = 0; k < keep; k++)
                    if (nb[k] != (unsigned char)(i + k)) {
                        printf("realloc lost data at block %d\n", i);
                        return 1;
                    }
                for (size_t k = keep; k < ns; k++)
                    nb[k] = (unsigned char)(i + k);
                blocks[i] = nb;
                sizes[i] = ns;
            }
        }
        size_t total = 0;
        for (int i = 0; i < NB; i++)
            total += blocks[i] ? sizes[i] : 0;
        printf("round %d: total bytes %zu\n", round, total);
    }
    for (int i = 0; i < NB; i++)
        free(blocks[i]);
    free(blocks);
    free(sizes);

    int *z = calloc(1000, sizeof *z);
    int nonzero = 0;
    for (int i = 0; i < 1000; i++)
        nonzero += z[i] != 0;
    printf("calloc nonzero=%d\n", nonzero);
    free(z);
    /* one big block: grows linear memory */
    size_t big = 16u << 20;
    char *b = malloc(big);
    memset(b, 0x5a, big);
    unsigned s = 0;
    for (size_t i = 0; i < big; i += 4096)
        s += (unsigned char)b[i];
    printf("big block sum=%u\n", s);
    free(b);
    return 0;
}
