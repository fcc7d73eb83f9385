// C++ exceptions (label e2e): built natively with g++ and for Wasm with
// clang++-22 -fwasm-exceptions and libwdb-cxxabi.a (runtime/guest/cxxabi), both
// runs must print the same. Throw and catch by type, by base class (single,
// multiple and virtual inheritance), by pointer, catch (...), rethrow,
// nested handlers, exceptions of the standard library's types, and
// destructors that run while the stack unwinds.
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

static int live; // Tracked objects alive

struct Tracked {
    const char *name;
    explicit Tracked(const char *n) : name(n)
    {
        live++;
        std::printf("  make %s\n", name);
    }
    Tracked(const Tracked &o) : name(o.name)
    {
        live++;
        std::printf("  copy %s\n", name);
    }
    ~Tracked()
    {
        live--;
        std::printf("  drop %s\n", name);
    }
};

struct Base {
    int code;
    explicit Base(int c) : code(c) {}
    virtual ~Base() {}
    virtual const char *what() const { return "Base"; }
};
struct Derived : Base {
    explicit Derived(int c) : Base(c) {}
    const char *what() const override { return "Derived"; }
};
struct Mixin {
    int tag = 7;
    virtual ~Mixin() {}
};
struct Multi : Mixin, Derived { // Derived is at a non-zero offset
    explicit Multi(int c) : Derived(c) {}
    const char *what() const override { return "Multi"; }
};
struct VBase {
    int v = 11;
    virtual ~VBase() {}
};
struct VLeft : virtual VBase {
};
struct VRight : virtual VBase {
};
struct Diamond : VLeft, VRight {
    int d = 12;
};

__attribute__((noinline)) static void thrower(int kind, int depth)
{
    Tracked t(depth == 0 ? "frame0" : "frameN");
    if (depth > 0) {
        thrower(kind, depth - 1);
        return;
    }
    switch (kind) {
    case 0: throw 42;
    case 1: throw Derived(5);
    case 2: throw Multi(6);
    case 3: throw std::runtime_error("runtime trouble");
    case 4: throw "a C string";
    case 5: throw Diamond();
    case 6: throw 2.5;
    case 7: {
        static Derived d(9);
        throw &d;
    }
    case 8: throw Tracked("thrown");
    default: break;
    }
}

static void by_type(int kind)
{
    std::printf("kind %d\n", kind);
    try {
        thrower(kind, 2);
        std::printf("  returned\n");
    } catch (int e) {
        std::printf("  int %d\n", e);
    } catch (const Multi &m) {
        std::printf("  Multi %s code %d tag %d\n", m.what(), m.code, m.tag);
    } catch (const Base &b) {
        std::printf("  Base& %s code %d\n", b.what(), b.code);
    } catch (const std::exception &e) {
        std::printf("  std::exception %s\n", e.what());
    } catch (const char *s) {
        std::printf("  const char* %s\n", s);
    } catch (VBase &v) {
        std::printf("  VBase& v %d\n", v.v);
    } catch (Base *p) {
        std::printf("  Base* %s code %d\n", p->what(), p->code);
    } catch (Tracked t) {
        std::printf("  Tracked by value %s\n", t.name);
    } catch (...) {
        std::printf("  something else\n");
    }
}

// a base at a non-zero offset, and a virtual base, by reference and by pointer
static void bases()
{
    try {
        throw Multi(8);
    } catch (Base &b) {
        std::printf("Base& of a Multi: %s code %d\n", b.what(), b.code);
    }
    static Multi m(10);
    try {
        throw &m;
    } catch (const Base *b) {
        std::printf("const Base* of a Multi*: %s code %d same object %d\n", b->what(), b->code,
                    static_cast<const Base *>(&m) == b);
    }
    static Diamond dm;
    try {
        throw &dm;
    } catch (VBase *v) {
        std::printf("VBase* of a Diamond*: v %d same object %d\n", v->v,
                    static_cast<VBase *>(&dm) == v);
    }
    try {
        throw static_cast<Base *>(nullptr);
    } catch (void *p) {
        std::printf("void* %s\n", p ? "set" : "null");
    }
}

static void rethrow_it()
{
    try {
        try {
            throw Derived(21);
        } catch (Base &b) {
            std::printf("inner caught %s, rethrowing\n", b.what());
            b.code++;
            throw;
        }
    } catch (Derived &d) {
        std::printf("outer caught %s code %d\n", d.what(), d.code);
    }
}

static void nested()
{
    try {
        Tracked a("outer-guard");
        try {
            throw std::string("first");
        } catch (std::string &s) {
            std::printf("caught %s\n", s.c_str());
            try {
                Tracked b("inner-guard");
                throw 7;
            } catch (int i) {
                std::printf("caught %d while handling %s\n", i, s.c_str());
            }
            throw std::logic_error("second, from a handler");
        }
    } catch (std::logic_error &e) {
        std::printf("caught %s\n", e.what());
    }
}

static int through_noexcept_free_frames(int n)
{
    Tracked t("recursion");
    if (n == 0) throw std::out_of_range("bottom");
    return through_noexcept_free_frames(n - 1) + 1;
}

int main()
{
    std::setvbuf(stdout, nullptr, _IONBF, 0); // whole lines before a debugger's stop
    for (int k = 0; k <= 9; k++)
        by_type(k);
    bases();
    rethrow_it();
    nested();
    try {
        through_noexcept_free_frames(3);
    } catch (const std::out_of_range &e) {
        std::printf("out_of_range %s\n", e.what());
    }
    std::printf("live objects: %d\n", live);
    return live;
}
