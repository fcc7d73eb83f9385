# Runs one spec test file: cmake -DWAST2JSON=... -DSPECTEST=... -DWAST=X.wast
# -DOUT_DIR=DIR [-DSPECTEST_ARGS=--debug-step;...] [-DNODE_DIR=DIR [-DUNSUPPORTED=...]]
# -P run-spec.cmake
# Converts X.wast into DIR/X.json (+ the .wasm/.wat files it names), then runs
# wdb-spectest [SPECTEST_ARGS] on it. Fails when either step fails.
foreach(var WAST2JSON SPECTEST WAST OUT_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run-spec.cmake: -D${var}=... is required")
  endif()
endforeach()

if(NOT EXISTS "${SPECTEST}")
  message(FATAL_ERROR "${SPECTEST} does not exist: build the wdb-spectest target first")
endif()

get_filename_component(name "${WAST}" NAME_WE)
# Start clean so no file from an older conversion can be picked up.
file(REMOVE_RECURSE "${OUT_DIR}")
file(MAKE_DIRECTORY "${OUT_DIR}")

# wast2json 1.0.32 with --enable-all prints type errors for ref.func in a few
# files (its function-references proposal types it as (ref N)) yet writes the
# same binaries and exits 0; keep its chatter for when it actually fails.
# With -DNODE_DIR=DIR, WAST2JSON is tests/spec/wast2json.js, run by node
# over libwabt.js installed in DIR/node_modules (the exception-handling
# files, which wabt 1.0.32 cannot parse).
set(convert "${WAST2JSON}" --enable-all)
if(DEFINED NODE_DIR)
  if(NOT EXISTS "${NODE_DIR}/node_modules/wabt")
    message(FATAL_ERROR "${NODE_DIR}/node_modules/wabt is missing: run the spec.eh.npm-ci test "
                        "(npm ci of tests/spec/package.json)")
  endif()
  set(convert ${CMAKE_COMMAND} -E env "NODE_PATH=${NODE_DIR}/node_modules" node "${WAST2JSON}")
  # -DUNSUPPORTED=FIRST-LAST:REASON|...: wast2json.js --unsupported
  if(UNSUPPORTED)
    string(REPLACE "|" ";" ranges "${UNSUPPORTED}")
    foreach(r IN LISTS ranges)
      list(APPEND convert --unsupported "${r}")
    endforeach()
  endif()
endif()
execute_process(
  COMMAND ${convert} "${WAST}" -o "${OUT_DIR}/${name}.json"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message("${out}")
  message(FATAL_ERROR "wast2json failed (${rc}) on ${WAST}")
endif()

execute_process(
  COMMAND "${SPECTEST}" ${SPECTEST_ARGS} "${OUT_DIR}/${name}.json"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  # rc is the exit status, or a signal description when wdb-spectest crashed.
  message(FATAL_ERROR "wdb-spectest failed on ${name}.wast (${rc})")
endif()
