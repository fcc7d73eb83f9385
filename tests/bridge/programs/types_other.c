/* Second unit of the types test program (test_vars.c): `struct node` is
 * only declared here (its definition is in types.c), and a file static
 * has the same name as one in types.c. */
struct node;

struct node *g_list;
static int s_shared = 11;

__attribute__((noinline)) int other_count(void)
{
    int n = 0;
    for (struct node *p = g_list; p && n < 100; p = 0)
        n++;
    return n + s_shared;
}
