# sunshine_add_test(NAME SOURCES a.cc b.cc LIBS ... LABELS unit)
# One GoogleTest executable, its tests discovered into CTest with the given labels.
function(sunshine_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} sunshine_testutil GTest::gmock GTest::gtest_main
                        sunshine_warnings sunshine_sanitizers)
  target_include_directories(${name} PRIVATE "${CMAKE_SOURCE_DIR}")
  add_dependencies(${name} sunshine)
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${ARG_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
