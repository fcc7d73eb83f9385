# Unit tests of the variables and types reader (wb_dwarf.c "variables and
# types") and the location evaluator (wb_loc.c): test_vars.c on
# programs/types.c + types_other.c (two units) at -O0/-O2 with DWARF 3/4/5,
# and on the C++ program shapes.cpp (built by CMakeLists.txt). Included at
# the end of CMakeLists.txt, which defines `dir`.
set(WDB_VARS_PROGRAMS "")
foreach(variant O0_dwarf3 O0_dwarf4 O0_dwarf5 O2_dwarf4 O2_dwarf5)
  string(REGEX MATCH "^O[0-9]" lvl ${variant})
  string(REGEX MATCH "[0-9]$" dw ${variant})
  set(wasm ${dir}/types_${variant}.wasm)
  add_custom_command(OUTPUT ${wasm}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${WDB_CLANG22} --target=wasm32-wasi -Wno-deprecated -g -gdwarf-${dw} -${lvl}
            ${CMAKE_CURRENT_SOURCE_DIR}/programs/types.c
            ${CMAKE_CURRENT_SOURCE_DIR}/programs/types_other.c -o ${wasm}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/programs/types.c
            ${CMAKE_CURRENT_SOURCE_DIR}/programs/types_other.c
    COMMENT "Compiling types.c to Wasm (-${lvl}, DWARF ${dw})"
    VERBATIM)
  list(APPEND WDB_VARS_PROGRAMS ${wasm})
endforeach()
add_custom_target(wdb_vars_programs ALL DEPENDS ${WDB_VARS_PROGRAMS})

add_executable(test_vars test_vars.c)
target_link_libraries(test_vars PRIVATE wdb::bridge wdb_check wdb_flags)
add_dependencies(test_vars wdb_vars_programs wdb_bridge_programs)
add_test(NAME unit.bridge.vars
  COMMAND test_vars ${dir}/types_O0_dwarf3.wasm ${dir}/types_O0_dwarf4.wasm
          ${dir}/types_O0_dwarf5.wasm ${dir}/types_O2_dwarf4.wasm ${dir}/types_O2_dwarf5.wasm
          ${dir}/shapes_O0_dwarf5.wasm ${dir}/shapes_O2_dwarf4.wasm)
set_tests_properties(unit.bridge.vars PROPERTIES LABELS unit TIMEOUT 300)
