/* A bytecode interpreter, the shape of code an interpreter runs worst on
 * (issue 18: wdb-run was slower than wasm3 on one): a register VM with a
 * switch dispatch loop running three small programs (a counting loop with
 * a call, an integer sieve in VM memory, an iterative Fibonacci mod 2^32),
 * each checked against the same computation in C. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum op {
    OP_LI,   /* r[a] = imm */
    OP_MOV,  /* r[a] = r[b] */
    OP_ADD,  /* r[a] = r[b] + r[c] */
    OP_SUB,  /* r[a] = r[b] - r[c] */
    OP_MUL,  /* r[a] = r[b] * r[c] */
    OP_ADDI, /* r[a] = r[b] + imm */
    OP_XOR,  /* r[a] = r[b] ^ r[c] */
    OP_SHLI, /* r[a] = r[b] << imm */
    OP_SHRI, /* r[a] = r[b] >> imm */
    OP_LD,   /* r[a] = mem[r[b]] */
    OP_ST,   /* mem[r[b]] = r[a] */
    OP_BLT,  /* if r[a] < r[b] goto imm */
    OP_BNE,  /* if r[a] != r[b] goto imm */
    OP_BNZ,  /* if r[a] != 0 goto imm */
    OP_JMP,  /* goto imm */
    OP_CALL, /* push pc; goto imm */
    OP_RET,  /* pc = pop */
    OP_HALT,
};

typedef struct insn {
    uint8_t op, a, b, c;
    int32_t imm;
} insn;

#define MEM_WORDS 65536

static uint32_t run(const insn *code, uint32_t *r, uint32_t *mem)
{
    uint32_t stack[64], sp = 0, pc = 0;
    for (;;) {
        const insn *i = &code[pc++];
        switch (i->op) {
        case OP_LI: r[i->a] = (uint32_t)i->imm; break;
        case OP_MOV: r[i->a] = r[i->b]; break;
        case OP_ADD: r[i->a] = r[i->b] + r[i->c]; break;
        case OP_SUB: r[i->a] = r[i->b] - r[i->c]; break;
        case OP_MUL: r[i->a] = r[i->b] * r[i->c]; break;
        case OP_ADDI: r[i->a] = r[i->b] + (uint32_t)i->imm; break;
        case OP_XOR: r[i->a] = r[i->b] ^ r[i->c]; break;
        case OP_SHLI: r[i->a] = r[i->b] << (i->imm & 31); break;
        case OP_SHRI: r[i->a] = r[i->b] >> (i->imm & 31); break;
        case OP_LD: r[i->a] = mem[r[i->b] % MEM_WORDS]; break;
        case OP_ST: mem[r[i->b] % MEM_WORDS] = r[i->a]; break;
        case OP_BLT:
            if (r[i->a] < r[i->b]) pc = (uint32_t)i->imm;
            break;
        case OP_BNE:
            if (r[i->a] != r[i->b]) pc = (uint32_t)i->imm;
            break;
        case OP_BNZ:
            if (r[i->a]) pc = (uint32_t)i->imm;
            break;
        case OP_JMP: pc = (uint32_t)i->imm; break;
        case OP_CALL:
            if (sp == 64) return 0xdeadu;
            stack[sp++] = pc;
            pc = (uint32_t)i->imm;
            break;
        case OP_RET: pc = stack[--sp]; break;
        case OP_HALT: return r[0];
        default: return 0xbadu;
        }
    }
}

/* r0 = sum over i < r1 of mix(i), mix in a subroutine */
static const insn prog_loop[] = {
    {OP_LI, 0, 0, 0, 0},      /* 0: acc = 0 */
    {OP_LI, 2, 0, 0, 0},      /* 1: i = 0 */
    {OP_CALL, 0, 0, 0, 6},    /* 2: mix */
    {OP_ADDI, 2, 2, 0, 1},    /* 3: i++ */
    {OP_BLT, 2, 1, 0, 2},     /* 4: while i < n */
    {OP_HALT, 0, 0, 0, 0},    /* 5 */
    {OP_SHLI, 3, 2, 0, 5},    /* 6: t = i << 5 */
    {OP_XOR, 3, 3, 2, 0},     /*    t ^= i */
    {OP_SHRI, 4, 0, 0, 3},    /*    u = acc >> 3 */
    {OP_ADD, 0, 0, 3, 0},     /*    acc += t */
    {OP_XOR, 0, 0, 4, 0},     /*    acc ^= u */
    {OP_RET, 0, 0, 0, 0},
};

/* sieve of Eratosthenes in mem[0..r1): r0 = number of primes */
static const insn prog_sieve[] = {
    {OP_LI, 2, 0, 0, 2},   /* 0: i = 2 */
    {OP_LI, 5, 0, 0, 1},   /* 1: one = 1 */
    {OP_LI, 6, 0, 0, 0},   /* 2: zero = 0 */
    {OP_LI, 0, 0, 0, 0},   /* 3: count = 0 */
    {OP_ST, 6, 2, 0, 0},   /* 4: clear: mem[i] = 0 */
    {OP_ADDI, 2, 2, 0, 1}, /* 5:   i++ */
    {OP_BLT, 2, 1, 0, 4},  /* 6:   while i < n */
    {OP_LI, 2, 0, 0, 2},   /* 7: i = 2 */
    {OP_LD, 3, 2, 0, 0},   /* 8: outer: c = mem[i] */
    {OP_BNZ, 3, 0, 0, 17}, /* 9:   composite: next i */
    {OP_ADDI, 0, 0, 0, 1}, /* 10:  count++ */
    {OP_ADD, 4, 2, 2, 0},  /* 11:  j = 2i */
    {OP_BLT, 4, 1, 0, 14}, /* 12:  j < n: mark */
    {OP_JMP, 0, 0, 0, 17}, /* 13:  else next i */
    {OP_ST, 5, 4, 0, 0},   /* 14: mark: mem[j] = 1 */
    {OP_ADD, 4, 4, 2, 0},  /* 15:  j += i */
    {OP_BLT, 4, 1, 0, 14}, /* 16:  while j < n */
    {OP_ADDI, 2, 2, 0, 1}, /* 17: next: i++ */
    {OP_BLT, 2, 1, 0, 8},  /* 18:  while i < n */
    {OP_HALT, 0, 0, 0, 0}, /* 19 */
};

/* iterative Fibonacci mod 2^32, r1 steps, repeated r7 times */
static const insn prog_fib[] = {
    {OP_LI, 0, 0, 0, 0},   /* 0: acc */
    {OP_LI, 8, 0, 0, 0},   /* 1: rep = 0 */
    {OP_LI, 2, 0, 0, 0},   /* 2: a = 0 */
    {OP_LI, 3, 0, 0, 1},   /* 3: b = 1 */
    {OP_LI, 4, 0, 0, 0},   /* 4: k = 0 */
    {OP_ADD, 5, 2, 3, 0},  /* 5: t = a + b */
    {OP_MOV, 2, 3, 0, 0},  /* 6: a = b */
    {OP_MOV, 3, 5, 0, 0},  /* 7: b = t */
    {OP_ADDI, 4, 4, 0, 1}, /* 8: k++ */
    {OP_BLT, 4, 1, 0, 5},  /* 9 */
    {OP_XOR, 0, 0, 2, 0},  /* 10: acc ^= a */
    {OP_ADDI, 1, 1, 0, 1}, /* 11: n++ (vary) */
    {OP_ADDI, 8, 8, 0, 1}, /* 12 */
    {OP_BNE, 8, 7, 0, 2},  /* 13 */
    {OP_HALT, 0, 0, 0, 0}, /* 14 */
};

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    uint32_t *mem = calloc(MEM_WORDS, sizeof *mem);
    uint32_t r[16] = {0}, sum = 0;
    if (!mem) return 1;

    /* loop: C reference */
    uint32_t n = 16000000u * (uint32_t)scale, acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = (i << 5) ^ i, u = acc >> 3;
        acc = (acc + t) ^ u;
    }
    r[1] = n;
    uint32_t got = run(prog_loop, r, mem);
    if (got != acc) {
        printf("bytevm: loop: %08x, C says %08x\n", got, acc);
        return 1;
    }
    sum ^= got;

    for (int rep = 0; rep < 30 * scale; rep++) {
        uint32_t lim = 60000u + (uint32_t)rep;
        memset(r, 0, sizeof r);
        r[1] = lim;
        got = run(prog_sieve, r, mem);
        uint8_t *comp = calloc(lim, 1);
        uint32_t primes = 0;
        for (uint32_t i = 2; i < lim; i++) {
            if (comp[i]) continue;
            primes++;
            for (uint32_t j = 2 * i; j < lim; j += i) comp[j] = 1;
        }
        free(comp);
        if (got != primes) {
            printf("bytevm: sieve(%u): %u, C says %u\n", lim, got, primes);
            return 1;
        }
        sum = sum * 31 + got;
    }

    memset(r, 0, sizeof r);
    r[1] = 1000;
    r[7] = 8000u * (uint32_t)scale;
    got = run(prog_fib, r, mem);
    acc = 0;
    for (uint32_t rep = 0, m = 1000; rep < 8000u * (uint32_t)scale; rep++, m++) {
        uint32_t a = 0, b = 1;
        for (uint32_t k = 0; k < m; k++) {
            uint32_t t = a + b;
            a = b;
            b = t;
        }
        acc ^= a;
    }
    if (got != acc) {
        printf("bytevm: fib: %08x, C says %08x\n", got, acc);
        return 1;
    }
    sum ^= got;
    printf("bytevm: checksum=%08x\n", sum);
    free(mem);
    return 0;
}
