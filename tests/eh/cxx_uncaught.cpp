// An exception that no handler takes (e2e.eh.cxx-uncaught): the throw
// leaves the module as wdb-run's uncaught-exception trap, after the
// destructors of the frames it unwound ran (Wasm unwinds in one phase:
// each frame's cleanup catches and rethrows; g++'s build would terminate
// without unwinding, so the test has its own expected output).
#include <cstdio>
#include <stdexcept>

struct Guard {
    const char *name;
    ~Guard() { std::printf("unwound %s\n", name); }
};

__attribute__((noinline)) static void fail(int depth)
{
    Guard g{depth ? "an inner frame" : "the throwing frame"};
    if (depth == 0) throw std::runtime_error("nobody catches this");
    fail(depth - 1);
}

int main()
{
    std::setvbuf(stdout, nullptr, _IONBF, 0); // a trap flushes nothing
    try {
        fail(0);
    } catch (const std::exception &e) {
        std::printf("caught: %s\n", e.what());
    }
    Guard g{"main"};
    try {
        fail(1);
    } catch (const std::logic_error &) {
        std::printf("not this handler\n");
    }
    std::printf("not reached\n");
}
