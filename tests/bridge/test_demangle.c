/* Rust symbol demangling (wb_demangle.h): the legacy and v0 schemes,
 * names that are not Rust's, and malformed or hostile names; and C++ type
 * names as a type_info holds them. */
#include "check.h"
#include "wb_demangle.h"

#include <stdio.h>
#include <string.h>

/* want NULL: the name is not a Rust name (or is malformed) */
static void expect(const char *sym, const char *want)
{
    char out[256] = "untouched";
    bool ok = wb_rust_demangle(sym, out, sizeof out);
    if (!want) {
        CHECK(!ok && strcmp(out, "untouched") == 0);
        if (ok) printf("  %s -> %s (want none)\n", sym, out);
        return;
    }
    CHECK(ok && strcmp(out, want) == 0);
    if (!ok || strcmp(out, want) != 0) printf("  %s -> %s (want %s)\n", sym, ok ? out : "-", want);
}

/* want NULL: not a type name this demangler reads */
static void expect_type(const char *name, const char *want)
{
    char out[64] = "untouched";
    bool ok = wb_cxx_type_demangle(name, out, sizeof out);
    CHECK(want ? ok && strcmp(out, want) == 0 : !ok && strcmp(out, "untouched") == 0);
    if (want ? !ok || strcmp(out, want) != 0 : ok)
        printf("  %s -> %s (want %s)\n", name, ok ? out : "-", want ? want : "none");
}

static void cxx_types(void)
{
    expect_type("i", "int");
    expect_type("St13runtime_error", "std::runtime_error");
    expect_type("PKc", "char const*");
    expect_type("N2ns5inner5ErrorE", "ns::inner::Error");
    expect_type("NSt3foo3barE", "std::foo::bar");
    expect_type("7Derived", "Derived");
    expect_type("P7Derived", "Derived*");
    expect_type("RKd", "double const&");
    expect_type("Dn", "decltype(nullptr)");
    /* templates, substitutions: not read */
    expect_type("St6vectorIiSaIiEE", NULL);
    expect_type("Ss", NULL);
    /* malformed, cut, too long for out, nested too deep */
    expect_type("", NULL);
    expect_type("5ab", NULL);
    expect_type("N3abcE3x", NULL);
    expect_type("NE", NULL);
    expect_type("99999999999abc", NULL);
    expect_type("70aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL);
    char deep[200];
    memset(deep, 'P', sizeof deep - 2);
    deep[sizeof deep - 2] = 'i';
    deep[sizeof deep - 1] = 0;
    expect_type(deep, NULL);
}

int main(void)
{
    cxx_types();
    /* legacy: components, escapes, the hash left out */
    expect("_ZN4test1a2bc17h1234567890abcdefE", "test::a::bc");
    expect(
        "_ZN59_$LT$core..fmt..Arguments$u20$as$u20$core..fmt..Display$GT$3fmt17h0123456789abcdefE",
        "<core::fmt::Arguments as core::fmt::Display>::fmt");
    expect("_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$"
           "u7d$$"
           "u7d$$GT$17h0123456789abcdefE",
           "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>");
    expect("_ZN5hello4main17h0123456789abcdefE.llvm.42", "hello::main");
    /* C++ and C names are not Rust's */
    expect("_ZN3foo3barE", NULL);
    expect("_ZN3foo3barEv", NULL);
    expect("main", NULL);
    expect("", NULL);
    /* v0 (RFC 2603's examples) */
    expect("_RNvCs15kBYyAo9fc_7mycrate7example", "mycrate::example");
    expect("_RNvMs_Cs4Cv8Wi1oAIB_7mycrateNtB4_7Example3foo", "<mycrate::Example>::foo");
    expect("_RNvXCs15kBYyAo9fc_7mycrateNtB2_7ExampleNtB2_5Trait3foo",
           "<mycrate::Example as mycrate::Trait>::foo");
    expect("_RNCNvCs15kBYyAo9fc_7mycrate7example0", "mycrate::example::{closure#0}");
    expect("_RINvCs15kBYyAo9fc_7mycrate7examplelE", "mycrate::example::<i32>");
    expect("_RINvCs15kBYyAo9fc_7mycrate7exampleReRAhj4_E", "mycrate::example::<&str, &[u8; 4]>");
    expect("_RINvCs15kBYyAo9fc_7mycrate7exampleTlmEE", "mycrate::example::<(i32, u32)>");
    expect("_RNvCs15kBYyAo9fc_7mycrate7example.llvm.123", "mycrate::example");
    /* malformed or hostile: refused, never a loop or an overread */
    expect("_RB_", NULL);
    expect("_RNvB0_1a", NULL);
    expect("_RNvCs15kBYyAo9fc_7mycrate99example", NULL);
    expect("_RINvC1a1bRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRl"
           "E",
           NULL);
    expect("_ZN4test1a2bc17h1234567890abcdef", NULL);
    expect("_ZN999999999999test17h1234567890abcdefE", NULL);
    /* a long name is cut with "..." */
    char small[16];
    CHECK(wb_rust_demangle("_ZN4test1a2bc17h1234567890abcdefE", small, sizeof small) &&
          strcmp(small, "test::a::bc") == 0);
    char tiny[10];
    CHECK(wb_rust_demangle("_RNvCs15kBYyAo9fc_7mycrate7example", tiny, sizeof tiny) &&
          strcmp(tiny, "mycrat...") == 0);
    CHECK(wb_rust_mangled("_RNvCs15kBYyAo9fc_7mycrate7example") && !wb_rust_mangled("main"));
    /* names wasm-ld demangled already, hash included */
    CHECK(wb_rust_hash_suffix_at("hello::main::h0123456789abcdef") == strlen("hello::main"));
    CHECK(wb_rust_hash_suffix_at("hello::main") == 0 && wb_rust_hash_suffix_at("main") == 0);
    CHECK(wb_rust_hash_suffix_at("a::hxyz3456789abcdef0") == 0);
    return CHECK_DONE("demangle");
}
