/* A small bytecode interpreter (stack machine with calls, locals and
 * jumps) running a few programs, and a table-driven state machine that
 * tokenises text. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum op {
    OP_PUSH, OP_POP, OP_DUP, OP_SWAP, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_LT, OP_EQ,
    OP_JMP, OP_JZ, OP_LOAD, OP_STORE, OP_CALL, OP_RET, OP_PRINT, OP_HALT
};

static const char *const op_names[] = {"push", "pop", "dup", "swap", "add", "sub", "mul",
                                       "div", "mod", "lt", "eq", "jmp", "jz", "load",
                                       "store", "call", "ret", "print", "halt"};

struct vm {
    int64_t stack[256];
    int sp;
    int64_t locals[64][8];
    int ret_pc[64];
    int fp;
    long steps;
    long op_count[OP_HALT + 1];
};

/* Returns 0 on halt, -1 on a fault (reported, no crash). */
static int run(struct vm *vm, const int64_t *code, int len)
{
    int pc = 0;
    memset(vm, 0, sizeof *vm);
    for (;;) {
        if (pc < 0 || pc >= len) {
            printf("fault: pc %d out of range\n", pc);
            return -1;
        }
        enum op op = (enum op)code[pc++];
        vm->steps++;
        vm->op_count[op]++;
        int64_t a, b;
        switch (op) {
        case OP_PUSH: vm->stack[vm->sp++] = code[pc++]; break;
        case OP_POP: vm->sp--; break;
        case OP_DUP: vm->stack[vm->sp] = vm->stack[vm->sp - 1]; vm->sp++; break;
        case OP_SWAP:
            a = vm->stack[vm->sp - 1];
            vm->stack[vm->sp - 1] = vm->stack[vm->sp - 2];
            vm->stack[vm->sp - 2] = a;
            break;
        case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD: case OP_LT: case OP_EQ:
            b = vm->stack[--vm->sp];
            a = vm->stack[--vm->sp];
            if ((op == OP_DIV || op == OP_MOD) && b == 0) {
                printf("fault: division by zero at pc %d\n", pc - 1);
                return -1;
            }
            vm->stack[vm->sp++] = op == OP_ADD ? a + b : op == OP_SUB ? a - b
                                : op == OP_MUL ? a * b : op == OP_DIV ? a / b
                                : op == OP_MOD ? a % b : op == OP_LT ? a < b : a == b;
            break;
        case OP_JMP: pc = (int)code[pc]; break;
        case OP_JZ:
            if (vm->stack[--vm->sp] == 0)
                pc = (int)code[pc];
            else
                pc++;
            break;
        case OP_LOAD: vm->stack[vm->sp++] = vm->locals[vm->fp][code[pc++]]; break;
        case OP_STORE: vm->locals[vm->fp][code[pc++]] = vm->stack[--vm->sp]; break;
        case OP_CALL:
            if (vm->fp == 63) {
                printf("fault: call stack overflow\n");
                return -1;
            }
            vm->ret_pc[vm->fp] = pc + 1;
            pc = (int)code[pc];
            vm->fp++;
            vm->locals[vm->fp][0] = vm->stack[--vm->sp];
            break;
        case OP_RET:
            vm->fp--;
            pc = vm->ret_pc[vm->fp];
            break;
        case OP_PRINT: printf("  out: %lld\n", (long long)vm->stack[--vm->sp]); break;
        case OP_HALT: return 0;
        default: printf("fault: bad opcode\n"); return -1;
        }
        if (vm->sp < 0 || vm->sp > 250) {
            printf("fault: stack %d\n", vm->sp);
            return -1;
        }
    }
}

static void report(const char *name, struct vm *vm, int rc)
{
    printf("%s: rc=%d steps=%ld ops:", name, rc, vm->steps);
    for (int i = 0; i <= OP_HALT; i++)
        if (vm->op_count[i])
            printf(" %s=%ld", op_names[i], vm->op_count[i]);
    printf("\n");
}

/* Tokeniser state machine: states x character classes -> state + action. */
enum st { S_START, S_IDENT, S_NUMBER, S_STRING, S_OP, NSTATES };
enum cls { C_ALPHA, C_DIGIT, C_QUOTE, C_SPACE, C_OPCHAR, C_OTHER, NCLS };

static enum cls classify(int c)
{
    if (isalpha(c) || c == '_')
        return C_ALPHA;
    if (isdigit(c))
        return C_DIGIT;
    if (c == '"')
        return C_QUOTE;
    if (isspace(c))
        return C_SPACE;
    if (strchr("+-*/=<>!&|", c))
        return C_OPCHAR;
    return C_OTHER;
}

static void tokenize(const char *s)
{
    static const enum st next[NSTATES][NCLS] = {
        [S_START] = {S_IDENT, S_NUMBER, S_STRING, S_START, S_OP, S_START},
        [S_IDENT] = {S_IDENT, S_IDENT, S_STRING, S_START, S_OP, S_START},
        [S_NUMBER] = {S_IDENT, S_NUMBER, S_STRING, S_START, S_OP, S_START},
        [S_STRING] = {S_STRING, S_STRING, S_START, S_STRING, S_STRING, S_STRING},
        [S_OP] = {S_IDENT, S_NUMBER, S_STRING, S_START, S_OP, S_START},
    };
    static const char *const kind[NSTATES] = {"", "ident", "number", "string", "op"};
    enum st st = S_START;
    char tok[64];
    int n = 0, count = 0;
    for (const char *p = s;; p++) {
        int c = (unsigned char)*p;
        enum st ns = c ? next[st][classify(c)] : S_START;
        if (st == S_STRING && ns == S_START)
            p++; /* the closing quote belongs to the string */
        if (ns != st || (st == S_START && c)) {
            if (st != S_START && n) {
                tok[n] = '\0';
                printf("[%s %s]", kind[st], tok);
                count++;
            }
            n = 0;
            if (st == S_STRING)
                p--;
        }
        if (!c)
            break;
        if (ns != S_START && n < 63 && !(ns == S_STRING && st != S_STRING))
            tok[n++] = (char)c;
        else if (ns == S_START && classify(c) == C_OTHER) {
            printf("[punct %c]", c);
            count++;
        }
        st = ns;
    }
    printf(" -> %d tokens\n", count);
}

int main(void)
{
    static struct vm vm;
    /* sum of 1..100 with a loop */
    const int64_t sum[] = {OP_PUSH, 0, OP_STORE, 1, OP_PUSH, 1, OP_STORE, 2,
                           /* 8: */ OP_LOAD, 2, OP_PUSH, 101, OP_LT, OP_JZ, 30,
                           OP_LOAD, 1, OP_LOAD, 2, OP_ADD, OP_STORE, 1,
                           OP_LOAD, 2, OP_PUSH, 1, OP_ADD, OP_STORE, 2, OP_JMP, 8,
                           /* 30 is one past the JMP target: fix below */ OP_HALT};
    int64_t fixed[sizeof sum / sizeof sum[0]];
    memcpy(fixed, sum, sizeof sum);
    fixed[14] = 31; /* jz target: the halt, preceded by the print below */
    int64_t with_print[40];
    int len = (int)(sizeof sum / sizeof sum[0]);
    memcpy(with_print, fixed, sizeof fixed);
    with_print[len - 1] = OP_LOAD;
    with_print[len] = 1;
    with_print[len + 1] = OP_PRINT;
    with_print[len + 2] = OP_HALT;
    with_print[14] = len - 1;
    int rc = run(&vm, with_print, len + 3);
    report("sum", &vm, rc);

    /* recursive factorial: fact(n) = n < 2 ? 1 : n * fact(n - 1); entry at 8 */
    const int64_t fact[] = {OP_PUSH, 20, OP_CALL, 8, OP_PRINT, OP_HALT, OP_HALT, OP_HALT,
                            /* 8 */ OP_LOAD, 0, OP_PUSH, 2, OP_LT, OP_JZ, 18, OP_PUSH, 1, OP_RET,
                            /* 18 */ OP_LOAD, 0, OP_LOAD, 0, OP_PUSH, 1, OP_SUB, OP_CALL, 8,
                            OP_MUL, OP_RET};
    rc = run(&vm, fact, (int)(sizeof fact / sizeof fact[0]));
    report("fact", &vm, rc);

    /* collatz steps for 27 */
    const int64_t collatz[] = {OP_PUSH, 27, OP_STORE, 0, OP_PUSH, 0, OP_STORE, 1,
                               /* 8 */ OP_LOAD, 0, OP_PUSH, 1, OP_EQ, OP_JZ, 19, OP_LOAD, 1,
                               OP_PRINT, OP_HALT,
                               /* 19 */ OP_LOAD, 1, OP_PUSH, 1, OP_ADD, OP_STORE, 1,
                               OP_LOAD, 0, OP_PUSH, 2, OP_MOD, OP_JZ, 45,
                               OP_LOAD, 0, OP_PUSH, 3, OP_MUL, OP_PUSH, 1, OP_ADD, OP_STORE, 0,
                               OP_JMP, 8,
                               /* 45 */ OP_LOAD, 0, OP_PUSH, 2, OP_DIV, OP_STORE, 0, OP_JMP, 8};
    rc = run(&vm, collatz, (int)(sizeof collatz / sizeof collatz[0]));
    report("collatz", &vm, rc);

    const int64_t bad_div[] = {OP_PUSH, 1, OP_PUSH, 0, OP_DIV, OP_HALT};
    rc = run(&vm, bad_div, 6);
    report("bad_div", &vm, rc);
    const int64_t runaway[] = {OP_PUSH, 1, OP_CALL, 0};
    rc = run(&vm, runaway, 4);
    report("runaway", &vm, rc);

    tokenize("x = foo_1 + 42 * (bar - \"a string\") >= 7;");
    tokenize("if (a&&b) return \"x y z\"; else n != 10");
    tokenize("");
    return 0;
}
