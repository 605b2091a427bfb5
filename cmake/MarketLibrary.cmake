# market_warnings(target): our own code builds warning-free or not at all.
# GCC 12 at -O3 reports -Wrestrict on std::string internals it inlined
# (a known false positive, GCC bug 105329): warned, not an error.
function(market_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor
                                           -Wimplicit-fallthrough
                                           $<$<CXX_COMPILER_ID:GNU>:-Wno-error=restrict>)
endfunction()

# market_test(name sources... LIBS libs...): a GoogleTest binary registered with ctest.
function(market_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main)
  market_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
