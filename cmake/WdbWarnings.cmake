# Project-wide warning and sanitizer flags, applied through an interface target
# so each library opts in with target_link_libraries(... PRIVATE wdb_flags).
add_library(wdb_flags INTERFACE)
target_compile_options(wdb_flags INTERFACE
  -Wall -Wextra -Wshadow -Wundef -Wstrict-prototypes -Wmissing-prototypes
  -Wformat=2 -Wimplicit-fallthrough -Wvla)
if(WDB_WERROR)
  target_compile_options(wdb_flags INTERFACE -Werror)
endif()
if(WDB_SANITIZE)
  target_compile_options(wdb_flags INTERFACE -fsanitize=address,undefined
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(wdb_flags INTERFACE -fsanitize=address,undefined)
endif()
if(WDB_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "WDB_FUZZ=ON needs clang: -DCMAKE_C_COMPILER=clang-22")
  endif()
  target_compile_options(wdb_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(wdb_flags INTERFACE -fsanitize=address,undefined)
endif()
