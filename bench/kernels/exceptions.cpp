// C++ exceptions in a loop: each round recurses to a pseudo-random depth
// with an object to destroy in every frame, throws one of three types
// there, and catches it by base class a few frames up, some handlers
// rethrowing to an outer one. Wasm: clang++-22 -fwasm-exceptions with
// libwdb-cxxabi.a (bench/run.sh links it); native: g++.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

static uint64_t unwound; // frames whose Guard was destroyed

struct Guard {
    uint32_t v;
    explicit Guard(uint32_t x) : v(x) {}
    ~Guard() { unwound += v & 7; }
};

struct Error {
    uint32_t code;
    explicit Error(uint32_t c) : code(c) {}
    virtual ~Error() {}
    virtual uint32_t weight() const { return 1; }
};
struct Overflow : Error {
    explicit Overflow(uint32_t c) : Error(c) {}
    uint32_t weight() const override { return 3; }
};
struct Retry : Error {
    uint32_t left;
    Retry(uint32_t c, uint32_t l) : Error(c), left(l) {}
    uint32_t weight() const override { return 5 + left; }
};

static uint32_t rng = 0x2545f491u;
static uint32_t next()
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

// recurses depth frames, then throws; a handler every fourth frame takes
// Overflow and rethrows every other one
static __attribute__((noinline)) uint32_t dive(uint32_t depth, uint32_t seed)
{
    Guard g(seed);
    if (depth == 0) {
        switch (seed % 3) {
        case 0: throw Error(seed);
        case 1: throw Overflow(seed);
        default: throw Retry(seed, seed % 4);
        }
    }
    if (depth % 4 == 0) {
        try {
            return dive(depth - 1, seed * 31 + depth) + 1;
        } catch (Overflow &e) {
            if (e.code & 1) throw;
            return e.code % 97;
        }
    }
    return dive(depth - 1, seed * 31 + depth) + 1;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? std::atol(argv[1]) : 100000;
    uint64_t sum = 0, caught = 0, retried = 0;
    for (long r = 0; r < rounds; r++) {
        uint32_t s = next();
        try {
            sum += dive(s % 24, s);
        } catch (Retry &e) {
            retried++;
            sum += e.weight();
            try {
                dive(e.left, e.code + 1); // throws again, from a handler
            } catch (const Error &inner) {
                sum += inner.weight() * 7;
            }
        } catch (const Error &e) {
            caught++;
            sum += e.weight() + (e.code & 0xff);
        }
    }
    std::printf("exceptions: rounds=%ld caught=%llu retried=%llu unwound=%llu checksum=%016llx\n",
                rounds, (unsigned long long)caught, (unsigned long long)retried,
                (unsigned long long)unwound, (unsigned long long)(sum * 1000003u ^ unwound));
    return 0;
}
