# perfreg_add_suite(NAME SOURCES... [LINK LIBS...] [NO_TEST])
#
# Builds the benchmark suite NAME from SOURCES, linked with perfreg::main
# (which supplies main) and LIBS. Every run it makes records the build type
# and flags. Unless NO_TEST is given or BUILD_TESTING is off, it also
# registers a ctest entry "perfreg.NAME" that runs each benchmark briefly
# (--min-time 0.01, nothing recorded), so that a project's ctest proves its
# benchmarks still run; a failed benchmark fails the test (exit 3).
function(perfreg_add_suite name)
  cmake_parse_arguments(PARSE_ARGV 1 _pr "NO_TEST" "" "LINK")
  add_executable(${name} ${_pr_UNPARSED_ARGUMENTS})
  string(TOUPPER "${CMAKE_BUILD_TYPE}" _bt)
  string(STRIP "${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_${_bt}}" _flags)
  target_compile_definitions(${name} PRIVATE
    PERFREG_BUILD_TYPE="${CMAKE_BUILD_TYPE}"
    PERFREG_BUILD_FLAGS="${_flags}")
  if(PERFREG_WARNINGS)
    target_compile_options(${name} PRIVATE ${PERFREG_WARNINGS})
  endif()
  target_link_libraries(${name} PRIVATE perfreg::main ${_pr_LINK})
  if(NOT _pr_NO_TEST AND (BUILD_TESTING OR NOT DEFINED BUILD_TESTING))
    add_test(NAME perfreg.${name}
             COMMAND ${name} run --min-time 0.01 --warmup 0.001 --samples 10 --no-record)
  endif()
endfunction()
