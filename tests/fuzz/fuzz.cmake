# The sanitizer build (-DGRAPHSTYLE_FUZZ=ON, clang): only the readers of untrusted files, built with
# AddressSanitizer + UndefinedBehaviorSanitizer, their libFuzzer targets (which also replay the
# regression corpus and the bad-input files: a libFuzzer binary given files runs each once). tools/fuzz.sh drives it;
# tools/test.sh runs it as CI's sanitizer job. Kept this small so that CI builds it in about a minute.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "GRAPHSTYLE_FUZZ needs clang (libFuzzer): configure with CC=clang CXX=clang++")
endif()
set(FUZZ_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1)
set(PARSER_SOURCES
    data/pickle_reader.cpp data/pth_file.cpp data/zip_reader.cpp data/hdf5_file.cpp data/model_file.cpp
    data/atomic_file.cpp data/image.cpp data/image_decode.cpp train/checkpoint.cpp arch/config.cpp arch/network.cpp
    tensor/tensor.cpp tensor/allocator.cpp tensor/elementwise.cpp tensor/indexing.cpp tensor/reduce.cpp)
list(TRANSFORM PARSER_SOURCES PREPEND ${CMAKE_SOURCE_DIR}/)
add_library(graphstyle_parsers STATIC ${PARSER_SOURCES})
target_include_directories(graphstyle_parsers PUBLIC ${CMAKE_SOURCE_DIR})
target_include_directories(graphstyle_parsers SYSTEM PUBLIC ${STB_INCLUDE_DIR} ${HDF5_INCLUDE_DIRS})
target_link_libraries(graphstyle_parsers PUBLIC Eigen3::Eigen ${HDF5_C_LIBRARIES} ${STB_LIBRARY} PkgConfig::LIBZIP
                      ZLIB::ZLIB JPEG::JPEG PNG::PNG)
# fuzzer-no-link: coverage feedback from the readers themselves, not only from the target files.
target_compile_options(graphstyle_parsers PUBLIC ${FUZZ_SANITIZE} -fsanitize=fuzzer-no-link -Wno-unknown-pragmas)
target_link_options(graphstyle_parsers PUBLIC -fsanitize=address,undefined)
target_compile_definitions(graphstyle_parsers PUBLIC EIGEN_DONT_PARALLELIZE)

enable_testing()
set(FUZZ_TARGETS fuzz_pth fuzz_pickle fuzz_model fuzz_image fuzz_request)
foreach(target ${FUZZ_TARGETS})
  add_executable(${target} ${CMAKE_SOURCE_DIR}/tests/fuzz/${target}.cpp)
  target_link_libraries(${target} PRIVATE graphstyle_parsers)
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer)
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  # -runs=0: every file of the folder once, then stop (the regression corpus).
  add_test(NAME sanitized_${target}_regressions
           COMMAND ${target} -runs=0 ${CMAKE_SOURCE_DIR}/tests/fuzz/regressions/${target})
endforeach()
# The request target also holds the service's form checks and the size forms they use (api/image.cpp,
# which also lists folders: data/image_folder.cpp).
# Debian's cpp-httplib is a compiled library, not instrumented here: the fuzzer's coverage feedback
# comes from our form code, while httplib's parsing runs under ASan's interceptors only (upstream
# fuzzes it in OSS-Fuzz).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
target_sources(fuzz_request PRIVATE ${CMAKE_SOURCE_DIR}/server/form.cpp ${CMAKE_SOURCE_DIR}/api/image.cpp
                                    ${CMAKE_SOURCE_DIR}/data/image_folder.cpp  # api/image.cpp: list_images
                                    ${CMAKE_SOURCE_DIR}/api/options.cpp)  # the option names
target_include_directories(fuzz_request PRIVATE ${CMAKE_SOURCE_DIR}/include)
target_link_libraries(fuzz_request PRIVATE PkgConfig::HTTPLIB)
add_executable(make_test_inputs ${CMAKE_SOURCE_DIR}/tests/cli/make_test_inputs.cpp)
target_link_libraries(make_test_inputs PRIVATE graphstyle_parsers doctest::doctest)
target_include_directories(make_test_inputs PRIVATE ${CMAKE_SOURCE_DIR}/tests)
# libhdf5 mallocs unchecked sizes from the file; NULL, as outside ASan, makes it report an error (fuzz.sh).
set_tests_properties(sanitized_fuzz_model_regressions PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:suppressions=${CMAKE_SOURCE_DIR}/tests/fuzz/libhdf5.supp")
add_test(NAME sanitized_bad_inputs COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fuzz/replay_bad_inputs.sh ${CMAKE_BINARY_DIR})
# The readers' unit tests, sanitized.
set(SANITIZED_TESTS tests/main.cpp tests/data/test_pickle_reader.cpp tests/data/test_pth_file.cpp
    tests/data/test_zip_reader.cpp tests/data/test_image.cpp tests/data/test_hdf5_file.cpp
    tests/data/test_model_file.cpp tests/data/test_atomic_file.cpp tests/train/test_checkpoint.cpp)
list(TRANSFORM SANITIZED_TESTS PREPEND ${CMAKE_SOURCE_DIR}/)
add_executable(sanitized_unit ${SANITIZED_TESTS})
target_link_libraries(sanitized_unit PRIVATE graphstyle_parsers doctest::doctest)
target_include_directories(sanitized_unit PRIVATE ${CMAKE_SOURCE_DIR}/tests)
target_compile_definitions(sanitized_unit PRIVATE GRAPHSTYLE_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
set(GRAPHSTYLE_SHARED "${CMAKE_SOURCE_DIR}/../shared" CACHE PATH "The shared folder (fixtures, weights, images)")
add_test(NAME sanitized_unit COMMAND sanitized_unit)
set_tests_properties(sanitized_unit PROPERTIES ENVIRONMENT "GRAPHSTYLE_SHARED=${GRAPHSTYLE_SHARED};ASAN_OPTIONS=detect_leaks=0")
