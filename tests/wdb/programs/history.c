/* A short run to go through forward and then backward (reverse.wdb,
 * history.sh): a loop calling a function, a global written on several
 * lines, and, given an argument, a division by zero that traps. */
int g;

static int twice(int v)
{
    int t = v * 2;
    return t;
}

int main(int argc, char **argv)
{
    (void)argv;
    int acc = 0;
    for (int i = 0; i < 3; i++) {
        acc += twice(i);
        g = acc;
    }
    int last = acc + argc;
    g = last;
    if (argc > 1) {
        volatile int zero = 0;
        return last / zero;
    }
    return last - 7;
}
